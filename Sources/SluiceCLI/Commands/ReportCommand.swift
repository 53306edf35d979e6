import ArgumentParser
import Foundation
import Sluice
import SluiceCore

/// `sluice report PIPELINE [--run RUN] [--out FILE]`: the data-quality report of a run.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's data-quality report: one self-contained HTML file that opens offline.",
        discussion: """
            The ledger, records per input, quarantine reasons with examples, stages, outputs, drop \
            reasons (duplicates), repairs, chunks, upstream requests and a trend over the last runs, \
            with charts as inline SVG. Its numbers are the run summary's. Quarantined record content \
            is shown only with --show-content.

            Examples:
              sluice report pipelines/quickstart.yaml --out out/report.html        # the newest run
              sluice report pipelines/quickstart.yaml --run 20261130T030501Z-4f2a9c --out r.html
              sluice run pipelines/quickstart.yaml --report out/report.html        # while running
            """)

    @Argument(help: "The pipeline file (its state DB holds the runs).", completion: .file(extensions: ["yaml", "yml"]))
    var pipeline: String

    @Option(name: .long, help: "The run id (default: the newest finished run).")
    var run: String?

    @Option(name: .long, help: "Write the report here (written atomically); default: stdout.")
    var out: String?

    @Flag(name: .long, help: "Include quarantined records' original content in the examples.")
    var showContent = false

    func run() async throws {
        let plan = try PipelineFile.load(pipeline, showWarnings: false)
        guard let report = RunReport.load(stateDirectory: plan.stateDirectory, quarantinePath: plan.quarantinePath, runID: run) else {
            ErrorReport.failure(run.map { "no run \($0) with a summary in the state of \(pipeline)" } ?? "\(pipeline) has no finished run yet")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        try ReportCommand.write(report, to: out, showContent: showContent)
    }

    static func write(_ report: RunReport, to path: String?, showContent: Bool) throws {
        let html = ReportHTML.render(report, showContent: showContent)
        guard let path else { return print(html, terminator: "") }
        do { try AtomicFile.write(Array(html.utf8), to: URL(fileURLWithPath: path), what: "the report") } catch {
            throw ExitCode(ErrorReport.failure(error, fallback: .cannotCreateOutput).rawValue)
        }
    }
}
