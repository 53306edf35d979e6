import ArgumentParser
import Foundation
import Logging
import Sluice
import SluiceCore

/// `sluice test PIPELINE`: the pipeline's YAML tests, run in memory.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a pipeline's tests (PIPELINE.test.yaml beside it) in memory: no outputs or state are touched.",
        discussion: """
            Each test gives records for named inputs (inline or from a JSON Lines file) and expects \
            written records (partial match by JSON Pointer, in order), quarantine reason codes, drop \
            reasons or ledger counts. The pipeline's stages run as configured; its inputs, outputs \
            and state are replaced for the test. Exit 0 when every test passes, 1 otherwise.

            Example (pipelines/quickstart.test.yaml):
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

    @Option(name: .long, help: "The test file (default: the pipeline's name with .test.yaml).")
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
        guard let testURL = tests.map({ URL(fileURLWithPath: $0) }) ?? PipelineTestSuite.file(for: pipelineURL) else {
            Terminal.printError("no test file: write \(pipelineURL.deletingPathExtension().path).test.yaml or pass --tests FILE")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        let display = tests ?? testURL.path.replacingOccurrences(of: FileManager.default.currentDirectoryPath + "/", with: "")
        let (suite, diagnostics) = PipelineTestSuite.load(testURL, displayPath: display)
        if !diagnostics.isEmpty {
            let text = (try? String(contentsOf: testURL, encoding: .utf8)) ?? ""
            FileHandle.standardError.write(Data(DiagnosticRenderer.render(diagnostics, source: text, fallbackFile: display).utf8))
        }
        guard let suite else {
            throw ExitCode(diagnostics.contains { $0.code == "missing_file" } ? ExitStatus.inputMissing.rawValue : ExitStatus.configInvalid.rawValue)
        }
        let cases = suite.cases.filter { filter == nil || $0.name.contains(filter ?? "") }
        print("\(display): \(cases.count) test\(cases.count == 1 ? "" : "s")")
        var failed = 0
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
        print("\(cases.count - failed) passed, \(failed) failed")
        if failed > 0 || cases.isEmpty { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}
