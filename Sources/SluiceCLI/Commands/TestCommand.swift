import ArgumentParser
import Foundation
import Logging
import Sluice
import SluiceCore

/// `sluice test PIPELINE`: the pipeline's YAML tests, run in memory.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a pipeline's tests (its tests: section and PIPELINE.test.yaml beside it) in memory: no outputs or state are touched.",
        discussion: """
            Each test gives records for named inputs (inline or from a JSON Lines file) and expects \
            written records (partial match by JSON Pointer, in order), quarantine reason codes, drop \
            reasons or ledger counts. The pipeline's stages run as configured; its inputs, outputs \
            and state are replaced for the test. Exit 0 when every test passes, 1 otherwise.

            Tests live in the pipeline file's own top-level 'tests:' section, in PIPELINE.test.yaml \
            beside it, or both. Example (pipelines/quickstart.test.yaml):
              tests:
                - name: a product's name becomes its title
                  inputs:
                    products:
                      - {name: "Kettle", price: "24.00"}
                  expect:
                    written:
                      - {/title: "Kettle"}
                    quarantined: []
            """)

    @Argument(help: "The pipeline file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var pipeline: String

    @Option(name: .long, help: "Run only this test file (default: the pipeline's own tests: section and the pipeline's name with .test.yaml).")
    var tests: String?

    @Option(name: .long, help: "Run only tests whose name contains this text.")
    var filter: String?

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var credentialsOption: CredentialsOption

    func run() async throws {
        var logger = try logging.bootstrap()
        if logging.logLevel == "info" { logger.logLevel = .warning }
        let plan = try PipelineFile.load(pipeline, credentials: try credentialsOption.load())
        let pipelineURL = URL(fileURLWithPath: pipeline)
        var suites: [(display: String, suite: PipelineTestSuite)] = []
        if let tests {
            if let suite = try load(URL(fileURLWithPath: tests), display: tests, embedded: false) { suites.append((tests, suite)) }
        } else {
            if let own = try load(pipelineURL, display: pipeline, embedded: true) { suites.append((pipeline, own)) }
            if let url = PipelineTestSuite.file(for: pipelineURL) {
                let display = url.path.replacingOccurrences(of: FileManager.default.currentDirectoryPath + "/", with: "")
                if let suite = try load(url, display: display, embedded: false) { suites.append((display, suite)) }
            }
        }
        guard !suites.isEmpty else {
            ErrorReport.failure("no tests: add a 'tests:' section to \(pipeline) or write \(pipelineURL.deletingPathExtension().path).test.yaml (or pass --tests FILE)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        var total = 0, failed = 0
        for (display, suite) in suites {
            let cases = suite.cases.filter { filter == nil || $0.name.contains(filter ?? "") }
            total += cases.count
            print("\(display): \(cases.count) test\(cases.count == 1 ? "" : "s")")
            for c in cases {
                var options = PipelineRunner.Options()
                options.logger = logger
                let r = await PipelineTestRunner.run(plan, c, options: options)
                if r.passed {
                    print("  ok    \(c.name)")
                } else {
                    failed += 1
                    let place = c.location.map { " (\(display):\($0.line))" } ?? ""
                    print("  FAIL  \(c.name)\(place)")
                    for f in r.failures { print("        \(f)") }
                }
            }
        }
        print("\(total - failed) passed, \(failed) failed")
        if failed > 0 || total == 0 { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    /// One test suite, its diagnostics printed; exits 66 when the file is missing, 78 when it is invalid.
    private func load(_ url: URL, display: String, embedded: Bool) throws -> PipelineTestSuite? {
        let (suite, diagnostics) = PipelineTestSuite.load(url, displayPath: display, embedded: embedded)
        if !diagnostics.isEmpty {
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            ErrorReport.diagnostics(diagnostics, source: text, file: display)
        }
        if suite == nil && !(embedded && diagnostics.isEmpty) {
            throw ExitCode(diagnostics.contains { $0.code == "missing_file" } ? ExitStatus.inputMissing.rawValue : ExitStatus.configInvalid.rawValue)
        }
        return suite
    }
}
