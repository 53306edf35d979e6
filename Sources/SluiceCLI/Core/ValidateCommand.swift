import ArgumentParser
import Foundation
import Sluice
import SluiceConfig
import SluiceCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files and report every problem at once, with file:line:column.",
        discussion: """
            Catches YAML syntax errors, unknown keys and options (with did-you-mean), wrong types, \
            values out of range, missing required options, unknown component types, duplicate \
            names, unset ${VARIABLES}, referenced files that do not exist, output paths that \
            cannot be created, each component's own rules (an overlap as large as the chunk size, \
            a glob that matches nothing), a malformed 'tests:' section and (with --credentials) \
            credentials that are unknown or whose scopes do not cover an input. Nothing is read or \
            written besides the pipeline and credentials files, and no secret is read.

            Test files (*.test.yaml) and credentials files are checked as such, so a whole \
            folder can be named at once.

            Examples:
              sluice validate pipelines/quickstart.yaml
              sluice validate pipelines/*.yaml

            Exit status: 0 when every file is clean (warnings allowed), 78 when any has an error, \
            77 when a credential's scopes do not cover an input, 66 when a file does not exist.
            """)

    @Argument(help: "Pipeline files to check.", completion: .file(extensions: ["yaml", "yml"]))
    var pipelines: [String]

    @OptionGroup var credentialsOption: CredentialsOption

    func validate() throws {
        if pipelines.isEmpty { throw ValidationError("name at least one pipeline file") }
    }

    func run() throws {
        var worst: Int32 = 0
        let credentials = try credentialsOption.load()
        for path in pipelines {
            if let status = try validateOther(path) {
                worst = max(worst, status)
                continue
            }
            let result = try PipelineFile.loadResult(path, credentials: credentials)
            // The pipeline's own `tests:` section is checked too (`sluice test` runs it), in the
            // same pass; what both readings of the file report (YAML syntax) is reported once.
            let tests = result.sourceText != nil
                ? PipelineTestSuite.embedded(in: URL(fileURLWithPath: path), displayPath: path).diagnostics : []
            let diagnostics = ConfigDiagnostic.unique(result.diagnostics + tests)
            if !diagnostics.isEmpty {
                ErrorReport.diagnostics(diagnostics, source: result.sourceText, file: path)
            }
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            if result.diagnostics.contains(where: { $0.code == "missing_file" && $0.location == nil }) {
                worst = max(worst, ExitStatus.inputMissing.rawValue)
            } else if errors > 0 {
                print("\(path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
                worst = max(worst, ExitStatus.configInvalid.rawValue)
            } else if result.diagnostics.contains(where: { $0.code == "scope_not_granted" }) {
                print("\(path): a credential's scopes do not cover an input")
                worst = max(worst, ExitStatus.permissionDenied.rawValue)
            } else if let plan = result.plan {
                print("\(path): ok (\(plan.inputs.count) input\(plan.inputs.count == 1 ? "" : "s"), \(plan.stages.count) stage\(plan.stages.count == 1 ? "" : "s"), \(plan.outputs.count) output\(plan.outputs.count == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))")
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    /// Test files (`*.test.yaml`) and credentials files in the same folder are checked as what
    /// they are, so `sluice validate pipelines/*.yaml` works; nil for a pipeline file.
    private func validateOther(_ path: String) throws -> Int32? {
        let url = URL(fileURLWithPath: path)
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let diagnostics: [ConfigDiagnostic]
        let what: String
        if path.hasSuffix(".test.yaml") || path.hasSuffix(".test.yml") {
            let (suite, d) = PipelineTestSuite.load(url, displayPath: path)
            diagnostics = d
            what = suite.map { "\($0.cases.count) test\($0.cases.count == 1 ? "" : "s")" } ?? ""
        } else if let root = YAMLDocument(file: path, text: text, environment: [:]).parse().root,
                  root["credentials"] != nil, root["inputs"] == nil {
            diagnostics = CredentialsFile.parse(text: text, file: path, baseDirectory: url.deletingLastPathComponent()).diagnostics
            what = "a credentials file"
        } else {
            return nil
        }
        if !diagnostics.isEmpty {
            ErrorReport.diagnostics(diagnostics, source: text, file: path)
        }
        if diagnostics.contains(where: { $0.code == "missing_file" && $0.location == nil }) { return ExitStatus.inputMissing.rawValue }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            print("\(path): \(errors) error\(errors == 1 ? "" : "s")")
            return ExitStatus.configInvalid.rawValue
        }
        print("\(path): ok (\(what))")
        return 0
    }
}
