import ArgumentParser
import Foundation
import Sluice
import SluiceCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: read its inputs, pass records through its stages, write its outputs.",
        discussion: """
            Only what is new since the last successful run is processed: unchanged files are skipped \
            and the run says '0 new records'. A run resumes after a crash where the last committed \
            batch ended. Two runs of one pipeline never overlap: the second exits 75 at once.

            Examples:
              sluice run pipelines/quickstart.yaml
              sluice run pipelines/nightly.yaml --summary out/summary.json --log-format json   # from cron
              sluice run pipelines/quickstart.yaml --dry-run                                   # writes nothing

            The run summary goes to stdout; logs and progress to stderr. The exit status says how \
            it went: 0 success, 65 quarantine over the pipeline's limits, 66 input missing, 69 an \
            upstream refused a request for good, 75 lock held or records deferred, 77 a credential's \
            scopes denied a request, 78 invalid pipeline, 143/130 stopped by SIGTERM/SIGINT after the \
            batch under way (see 'sluice --help' for all).
            """)

    @Argument(help: "The pipeline file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var pipeline: String

    @Option(name: .long, help: "Also write the run summary as JSON to this file (written atomically).")
    var summary: String?

    @Option(name: .long, help: "Also write the run's metrics in Prometheus text format to this file (atomically; for node_exporter's textfile collector).")
    var metrics: String?

    @Option(name: .long, help: "Also write the run's data-quality report (self-contained HTML) to this file.")
    var report: String?

    @Flag(name: .long, help: "Preview the next run: read the state (read-only) and the inputs, run every stage, report what would happen; write no outputs and no state.")
    var dryRun = false

    @Flag(name: .long, help: "Do not print the run summary on stdout.")
    var quiet = false

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var credentialsOption: CredentialsOption

    func run() async throws {
        let logger = try logging.bootstrap()
        let plan = try PipelineFile.load(pipeline, credentials: try credentialsOption.load(),
)
        var options = PipelineRunner.Options()
        options.logger = logger
        options.dryRun = dryRun
        let display = ProgressDisplay(logger: logger)
        options.progress = { display.show($0) }
        StopSignals.install()
        options.stopRequested = { StopSignals.requested }
        let result: RunSummary
        do {
            result = try await SluiceEngine.runner(plan: plan, options: options).run()
        } catch {
            let status = ErrorReport.failure(error)
            writeFailureMetrics(plan: plan, status: status)
            throw ExitCode(status.rawValue)
        }
        Terminal.clearProgressLine()
        if let metrics {
            let history = RunHistory(stateDirectory: plan.stateDirectory)
            let last = result.status == "succeeded" ? result.finishedAt : history.lastSuccess()
            let upstream = dryRun ? UpstreamActivity() : history.upstream(runID: result.runID)
            do { try MetricsFile.write(RunMetrics(summary: result, lastSuccess: last, upstream: upstream), to: metrics) } catch {
                throw ExitCode(ErrorReport.failure(error, fallback: .cannotCreateOutput).rawValue)
            }
        }
        if let report {
            let r = RunReport.load(stateDirectory: plan.stateDirectory, quarantinePath: plan.quarantinePath, summary: result)
            if let r { try ReportCommand.write(r, to: report, showContent: false) }
        }
        if let summary {
            do { try AtomicFile.write(try result.jsonData(), to: URL(fileURLWithPath: summary), what: "the run summary") } catch {
                throw ExitCode(ErrorReport.failure(error, fallback: .cannotCreateOutput).rawValue)
            }
        }
        if !quiet { print(SummaryRenderer.render(result), terminator: "") }
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}

extension RunCommand {
    /// A run that stopped with an error still replaces the metrics file, so alerts see the
    /// failure, except when another run holds the lock (75 before anything ran): that run owns
    /// the file and will write it when it ends.
    func writeFailureMetrics(plan: PipelinePlan, status: ExitStatus) {
        guard let metrics, status != .temporaryFailure else { return }
        let history = RunHistory(stateDirectory: plan.stateDirectory)
        let m = RunMetrics(pipeline: plan.name, failedAt: Date(), exitStatus: status.rawValue, lastSuccess: history.lastSuccess())
        do { try MetricsFile.write(m, to: metrics) } catch {
            ErrorReport.failure(error)
        }
    }
}
