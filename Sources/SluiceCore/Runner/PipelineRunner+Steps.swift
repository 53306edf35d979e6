import Foundation
import Logging
import SluiceJSON

/// What every step of one run shares: its id, clock readings, lock, state store and committer.
struct RunScope {
    let runID: String
    let started: Date
    let uptimeAtStart: Double
    let lock: RunLock?
    let store: any StateStore
    let interrupted: RunRecord?
    let checkpoints: [String: JSONValue]
    let context: RunContext
    let committer: StateCommitter
    let tally: RunTally
    /// Stateful stages read the state DB while they process, so they must see every earlier batch.
    let stagesReadState: Bool
}

/// The steps of `PipelineRunner.run()`, in the order it takes them.
extension PipelineRunner {
    /// Takes the state folder's lock (a second run exits 75 at once), opens the state DB, notes
    /// an interrupted run and records this one as begun.
    func openRun() throws -> RunScope {
        let time = options.time
        let started = time.now()
        let t0 = time.uptime()
        let runID = options.runID ?? PipelineRunner.makeRunID(started)
        let lock = options.dryRun ? nil : try RunLock(directory: plan.stateDirectory)
        let store = options.dryRun ? DryRunStateStore(base: try options.readState?(plan.stateDirectory)) : try makeStore(plan.stateDirectory)
        let interrupted = try store.unfinishedRuns().first
        if let interrupted {
            options.logger.warning("resuming after an interrupted run", metadata: ["interrupted_run": "\(interrupted.id)"])
        }
        let checkpoints = try store.checkpoints()
        let context = RunContext(runID: runID, pipeline: plan.name, startedAt: started, time: time, logger: options.logger,
                                 baseDirectory: plan.baseDirectory, stateDirectory: plan.stateDirectory,
                                 limits: plan.limits, dryRun: options.dryRun, random: options.random)
        try store.beginRun(RunRecord(id: runID, pipeline: plan.name, startedAt: started, actor: ProcessActor.current))
        options.logger.info("run started", metadata: ["run": "\(runID)", "pipeline": "\(plan.name)"])
        return RunScope(runID: runID, started: started, uptimeAtStart: t0, lock: lock, store: store, interrupted: interrupted,
                        checkpoints: checkpoints, context: context, committer: StateCommitter(store: store),
                        tally: RunTally(RunState(runID: runID, plan: plan), report: options.progress, time: time,
                                        start: t0, inputCount: plan.inputs.count),
                        stagesReadState: plan.stages.contains { $0.component is any StatefulStage })
    }

    /// Inputs open first, so that a missing input stops the run before any output is created.
    func openInputs(_ scope: RunScope) throws -> [(name: String, source: any RecordSource)] {
        try plan.inputs.map { input in
            (input.name, try input.component.open(checkpoint: scope.checkpoints["input:\(input.name)"], context: scope.context))
        }
    }

    /// Outputs and the quarantine open next (none in a dry run), cutting back whatever an
    /// interrupted run wrote after its last commit.
    func openOutputs(_ scope: RunScope) throws -> BatchDelivery {
        var writers: [(PipelinePlan.Named<any Output>, any OutputWriter)] = []
        var quarantine: QuarantineFile?
        if !options.dryRun {
            for o in plan.outputs {
                writers.append((o, try o.component.open(checkpoint: scope.checkpoints["output:\(o.name)"], context: scope.context)))
            }
            quarantine = try QuarantineFile(url: plan.quarantinePath, checkpoint: scope.checkpoints["quarantine"],
                                            keepOriginal: plan.quarantineKeepsOriginal)
        }
        return BatchDelivery(plan: plan, runID: scope.runID, writers: writers, quarantine: quarantine,
                             committer: scope.committer, tally: scope.tally, time: options.time)
    }

    /// The outputs' starting checkpoints are committed (with `run_started`) before anything is
    /// appended, so a crash before the first batch leaves nothing behind.
    func recordStart(_ scope: RunScope, _ delivery: BatchDelivery) async throws {
        let event = AuditEvent(.runStarted, time: scope.started,
                               details: plan.provenance.details(pipeline: plan.name, file: plan.file, resumedAfter: scope.interrupted?.id))
        try await delivery.commit(checkpoints: [:], ledger: RunLedger(), events: [event], sequence: 0)
        try await scope.committer.drain()
    }

    func beginStages(_ scope: RunScope) throws {
        for st in plan.stages { try st.component.begin(run: scope.context, state: scope.store) }
    }

    /// Every batch of every input through the stages into the outputs. Four steps run at once,
    /// joined by queues of one batch (backpressure: a step waits while the next is busy):
    /// reading, the stateless stages before the first stateful one (on all cores), the stateful
    /// stage and the stages after it (in input order, each batch after the batch before is
    /// committed), and delivery (outputs, quarantine, then the state commit in the background).
    /// Returns how many batches were delivered.
    func streamBatches(_ sources: [(name: String, source: any RecordSource)], executor: StageExecutor,
                       delivery: BatchDelivery, scope: RunScope) async throws -> Int {
        let firstStateful = plan.stages.firstIndex { $0.component is any StatefulStage } ?? plan.stages.count
        let reader = BatchReader(sources: sources, limits: plan.limits, recordContent: plan.audit.recordContent,
                                 time: options.time, log: options.logger, tally: scope.tally, stopRequested: options.stopRequested)
        let stateless = StageStep(executor: executor, stages: 0..<firstStateful, committer: nil)
        let ordered = StageStep(executor: executor, stages: firstStateful..<plan.stages.count,
                                committer: scope.stagesReadState ? scope.committer : nil)
        let read = BoundedQueue<BatchInFlight>(capacity: 1)
        let prepared = BoundedQueue<BatchInFlight>(capacity: 1)
        let processed = BoundedQueue<BatchInFlight>(capacity: 1)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await reader.run(into: read) }
            group.addTask { await stateless.run(from: read, into: prepared) }
            group.addTask { await ordered.run(from: prepared, into: processed) }
            let delivered = try await delivery.run(from: processed)
            try await group.waitForAll()
            return delivered
        }
    }

    /// Each stage's `finish()` (stateful stages release what they held back), through the later
    /// stages into the outputs, as one more batch.
    func finishStages(_ executor: StageExecutor, delivery: BatchDelivery, sequence: Int, scope: RunScope) async throws {
        if scope.stagesReadState { try await scope.committer.drain() }
        let tail = try await executor.finish()
        if !tail.survivors.isEmpty || !tail.quarantined.isEmpty || !tail.events.isEmpty {
            try await delivery.deliver(tail, checkpoints: [:], sequence: sequence)
        }
    }

    /// Outputs publish (rename into place) only what the state DB has committed.
    func publishOutputs(_ delivery: BatchDelivery, scope: RunScope) async throws {
        try await scope.committer.drain()
        for (_, w) in delivery.writers { try w.finish() }
    }

    /// The run summary and its exit status.
    func summarize(_ delivery: BatchDelivery, scope: RunScope) -> RunSummary {
        let state = scope.tally.run
        var s = state.summary
        s.startedAt = scope.started
        s.finishedAt = options.time.now()
        s.durationSeconds = options.time.uptime() - scope.uptimeAtStart
        s.ledger = state.ledger
        s.balanced = state.ledger.isBalanced
        s.newRecords = state.ledger.received
        s.resumedAfter = scope.interrupted?.id
        s.quarantinePath = options.dryRun ? nil : plan.quarantinePath.path
        for (o, w) in delivery.writers { s.outputs[o.name, default: .init(type: o.type)].destination = w.destination }
        (s.status, s.exitStatus, s.problems) = PipelineRunner.verdict(s, limits: plan.limits, dryRun: options.dryRun)
        if let signal = scope.tally.stoppedBy, s.balanced {
            s.status = "interrupted"
            s.exitStatus = 128 + signal
            s.problems.append("stopped by signal \(signal) between batches; the next run resumes after the last one committed")
            options.logger.warning("run stopped by a signal", metadata: ["run": "\(scope.runID)", "signal": .stringConvertible(signal)])
        }
        return s
    }

    /// `run_finished` in the audit trail, then the run's row.
    func recordFinish(_ s: RunSummary, sequence: Int, scope: RunScope) async throws {
        let summaryJSON = (try? JSONParser.parse([UInt8](s.jsonData()))) ?? .null
        try await scope.committer.submit(BatchCommit(runID: scope.runID, checkpoints: [:], ledger: RunLedger(), events: [
            AuditEvent(.runFinished, time: s.finishedAt, reason: s.status,
                       details: ["ledger": summaryJSON["ledger"] ?? .null, "exit_status": .number(JSONNumber(Int(s.exitStatus)))]),
        ]), sequence: sequence)
        try await scope.committer.drain()
        try scope.store.finishRun(id: scope.runID, finishedAt: s.finishedAt, status: s.status, exitStatus: s.exitStatus, summary: summaryJSON)
        options.logger.info("run finished", metadata: ["run": "\(scope.runID)", "status": "\(s.status)", "received": .stringConvertible(s.ledger.received),
                                                       "written": .stringConvertible(s.ledger.written),
                                                       "quarantined": .stringConvertible(s.ledger.quarantined)])
    }

    /// A run that fails (rather than dies) is recorded as failed, not left looking interrupted.
    func recordFailure(_ error: any Error, scope: RunScope) async {
        let time = options.time
        let status = (error as? SluiceError)?.status ?? .internalError
        try? await scope.committer.drain()
        try? scope.store.commit(BatchCommit(runID: scope.runID, checkpoints: [:], ledger: RunLedger(), events: [
            AuditEvent(.runFinished, time: time.now(), reason: "failed", details: ["error": .string(String(describing: error))]),
        ]))
        try? scope.store.finishRun(id: scope.runID, finishedAt: time.now(), status: "failed", exitStatus: status.rawValue,
                                   summary: ["error": .string(String(describing: error))])
        options.logger.error("run finished", metadata: ["run": "\(scope.runID)", "status": "failed",
                                                        "exit_status": .stringConvertible(Int(status.rawValue)), "error": "\(error)"])
    }

    /// Writes `records` in order; right before the first record that is (or whose parent is) a
    /// superseding record, the output is told to replace what that record supersedes.
    static func write(_ records: [Record], to w: any OutputWriter, superseding: [String: [String]]) throws {
        guard !superseding.isEmpty else { return try w.write(records) }
        var done = Set<String>()
        var start = 0
        for (i, r) in records.enumerated() {
            let owner = superseding[r.id] != nil ? r.id : (r.parent.flatMap { superseding[$0] != nil ? $0 : nil })
            guard let owner, !done.contains(owner), let ids = superseding[owner] else { continue }
            done.insert(owner)
            if i > start { try w.write(Array(records[start..<i])) }
            start = i
            try w.supersede(ids: ids, by: owner)
        }
        if start < records.count { try w.write(Array(records[start...])) }
    }
}
