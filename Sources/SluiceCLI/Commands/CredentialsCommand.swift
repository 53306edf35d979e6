import ArgumentParser
import Foundation
import SluiceConfig
import SluiceCore

/// `--credentials FILE` (or `SLUICE_CREDENTIALS`), shared by the commands that load pipelines.
struct CredentialsOption: ParsableArguments {
    @Option(name: .long, help: "The credentials file (YAML or JSON; default: $SLUICE_CREDENTIALS). Never part of a pipeline.",
            completion: .file(extensions: ["yaml", "yml", "json"]))
    var credentials: String?

    /// The path given, else the environment's.
    var path: String? {
        credentials ?? ProcessInfo.processInfo.environment[CredentialsFile.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The store, nil when no file is given; prints the file's problems and exits 66 or 78.
    func load() throws -> CredentialStore? {
        guard let path else { return nil }
        let (store, problems) = CredentialsFile.load(path: path)
        if !problems.isEmpty {
            let source = (try? String(contentsOfFile: path, encoding: .utf8))
            ErrorReport.diagnostics(problems, source: source, file: path)
        }
        if problems.contains(where: { $0.code == "missing_file" }) { throw ExitCode(ExitStatus.inputMissing.rawValue) }
        if problems.contains(where: { $0.code == CredentialsFile.exposedCode }) { throw ExitCode(ExitStatus.permissionDenied.rawValue) }
        guard let store else { throw ExitCode(ExitStatus.configInvalid.rawValue) }
        return store
    }
}

/// `sluice credentials check PIPELINE`: which scopes a pipeline's inputs need, which their
/// credentials grant, and whether every request known before a run is covered.
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Check a pipeline's credentials against the requests it will make.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "List, per input, the scopes it needs and those its credential grants.",
            discussion: """
                Nothing is sent and no secret is read. Pagination links and redirects are known only at run \
                time; each is checked again before it is requested.

                Examples:
                  sluice credentials check pipelines/http-local.yaml --credentials ~/.config/sluice/credentials.yaml
                  SLUICE_CREDENTIALS=/etc/sluice/credentials.yaml sluice credentials check pipelines/nightly.yaml

                Exit status: 0 when every needed scope is granted, 77 when one is not, 78 when a credential \
                is unknown or a file is invalid, 66 when a file does not exist.
                """)

        @Argument(help: "The pipeline file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var pipeline: String

        @OptionGroup var credentialsOption: CredentialsOption

        func run() throws {
            let store = try credentialsOption.load()
            let plan = try PipelineFile.load(pipeline, showWarnings: false, credentials: store)
            var invalid = false
            var denied = false
            var users = 0
            for input in plan.inputs {
                guard let user = input.component as? any CredentialUser else { continue }
                users += 1
                guard let name = user.credentialName else {
                    print("input '\(input.name)': no credential (requests stay on the input's own origin)")
                    continue
                }
                guard let store else {
                    print("input '\(input.name)': credential '\(name)': no credentials file given (--credentials or \(CredentialsFile.environmentVariable))")
                    invalid = true
                    continue
                }
                guard let credential = store[name] else {
                    print("input '\(input.name)': credential '\(name)' is not defined in \(store.origin)")
                    invalid = true
                    continue
                }
                print("input '\(input.name)': credential '\(name)' (\(credential.kind.word), secret from \(credential.secretSource))")
                for needed in user.neededScopes {
                    let parts = needed.split(separator: ":", maxSplits: 2).map(String.init)
                    let granted = parts.count == 3 ? URL(string: parts[2]).flatMap { credential.scope(allowing: parts[1], url: $0) } : nil
                    if let granted {
                        print("  needs \(needed)\n    granted by \(granted)")
                    } else {
                        print("  needs \(needed)\n    NOT GRANTED")
                        denied = true
                    }
                }
                print("  grants: " + (credential.scopes.isEmpty ? "nothing" : credential.scopes.map(\.description).joined(separator: ", ")))
            }
            if users == 0 { print("\(pipeline): no input sends requests") }
            // Configuration problems come first: they must be fixed before scopes can be judged.
            if invalid { throw ExitCode(ExitStatus.configInvalid.rawValue) }
            if denied { throw ExitCode(ExitStatus.permissionDenied.rawValue) }
        }
    }
}
