public import Foundation
public import Logging
import SluiceJSON

/// Runs a `PipelinePlan`: streams every input through the stages into the outputs, batch by batch.
///
/// Per batch: the outputs write and commit their part, then one state transaction commits input
/// checkpoints, output checkpoints, audit events and ledger counts. A crash at any moment leaves
/// the state at the last committed batch; the next run resumes there and the outputs discard
/// their uncommitted tails. The steps of a run (read, stages, deliver, commit) run at the same
/// time on different batches, joined by queues of one batch each, so memory is bounded by a few
/// batches, never by the corpus (docs/architecture.md, "The runner").
public final class PipelineRunner {
    public struct Options: Sendable {
        public var time: any TimeSource = SystemTimeSource()
        public var logger = Logger(label: "sluice.run")
        /// Reads and runs every stage but writes no outputs and no state.
        public var dryRun = false
        /// For a dry run: opens the committed state of the given folder read-only (nil when there
        /// is none), so that the dry run previews the next run (see `DryRunStateStore`). Unset: a
        /// dry run starts from empty state, as a first run would.
        public var readState: (@Sendable (URL) throws -> (any StateStore)?)?
        public var runID: String?
        public var progress: (@Sendable (RunProgress) -> Void)?
        /// Asked before each batch is read: a signal number (SIGTERM 15, SIGINT 2) stops the run
        /// there, after the batches already read; the run still finishes its stages, outputs
        /// and summary, with status `interrupted` and exit status 128 + the signal.
        public var stopRequested: (@Sendable () -> Int32?)?
        /// Jitter and sampling for components (seed it in tests).
        public var random: any RandomSource = SystemRandomSource()
        public init() {}
    }

    public let plan: PipelinePlan
    public let options: Options
    let makeStore: (URL) throws -> any StateStore

    /// `makeStore` opens the state DB in the given folder (SQLite in `Sluice.run`).
    public init(plan: PipelinePlan, options: Options = Options(), makeStore: @escaping (URL) throws -> any StateStore) {
        self.plan = plan
        self.options = options
        self.makeStore = makeStore
    }

    public func run() async throws -> RunSummary {
        let scope = try openRun()
        defer { withExtendedLifetime(scope.lock) {} }
        do {
            let sources = try openInputs(scope)
            let delivery = try openOutputs(scope)
            try await recordStart(scope, delivery)
            try beginStages(scope)
            let executor = StageExecutor(stages: plan.stages, parallelism: max(1, plan.limits.parallelism), time: options.time)
            let batches = try await streamBatches(sources, executor: executor, delivery: delivery, scope: scope)
            try await finishStages(executor, delivery: delivery, sequence: batches + 1, scope: scope)
            try await publishOutputs(delivery, scope: scope)
            let summary = summarize(delivery, scope: scope)
            try await recordFinish(summary, sequence: batches + 2, scope: scope)
            return summary
        } catch {
            await recordFailure(error, scope: scope)
            throw error
        }
    }
}
