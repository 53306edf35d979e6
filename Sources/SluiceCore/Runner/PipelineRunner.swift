public import Foundation
public import Logging
import SluiceJSON

/// Runs a `PipelinePlan`: streams every input through the stages into the outputs, batch by batch.
///
/// Per batch: the outputs write and commit their part, then one state transaction commits input
/// checkpoints, output checkpoints, audit events and ledger counts. A crash at any moment leaves
/// the state at the last committed batch; the next run resumes there and the outputs discard
/// their uncommitted tails. Memory is bounded by the batch size, never by the corpus.
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
        /// there, after the batches already committed; the run still finishes its stages, outputs
        /// and summary, with status `interrupted` and exit status 128 + the signal.
        public var stopRequested: (@Sendable () -> Int32?)?
        /// Jitter and sampling for components (seed it in tests).
        public var random: any RandomSource = SystemRandomSource()
        public init() {}
    }

    public let plan: PipelinePlan
    public let options: Options
    private let makeStore: (URL) throws -> any StateStore

    /// `makeStore` opens the state DB in the given folder (SQLite in `Sluice.run`).
    public init(plan: PipelinePlan, options: Options = Options(), makeStore: @escaping (URL) throws -> any StateStore) {
        self.plan = plan
        self.options = options
        self.makeStore = makeStore
    }

    public func run() async throws -> RunSummary {
        let time = options.time
        let started = time.now()
        let t0 = time.uptime()
        let runID = options.runID ?? PipelineRunner.makeRunID(started)
        let log = options.logger
        let lock = options.dryRun ? nil : try RunLock(directory: plan.stateDirectory)
        defer { withExtendedLifetime(lock) {} }
        let store = options.dryRun ? DryRunStateStore(base: try options.readState?(plan.stateDirectory)) : try makeStore(plan.stateDirectory)
        let interrupted = try store.unfinishedRuns().first
        if let interrupted {
            log.warning("resuming after an interrupted run", metadata: ["interrupted_run": "\(interrupted.id)"])
        }
        var checkpoints = try store.checkpoints()
        let context = RunContext(runID: runID, pipeline: plan.name, startedAt: started, time: time, logger: log,
                                 baseDirectory: plan.baseDirectory, stateDirectory: plan.stateDirectory,
                                 limits: plan.limits, dryRun: options.dryRun, random: options.random)
        try store.beginRun(RunRecord(id: runID, pipeline: plan.name, startedAt: started, actor: ProcessActor.current))
        let committer = BatchCommitter(store: store)
        // Stateful stages read the state DB while they process, so they must see every earlier batch.
        let stagesReadState = plan.stages.contains { $0.component is any StatefulStage }
        do {
            log.info("run started", metadata: ["run": "\(runID)", "pipeline": "\(plan.name)"])

            // Inputs open first, so that a missing input stops the run before any output is created.
            var sources: [(PipelinePlan.Named<any Input>, any RecordSource)] = []
            for input in plan.inputs {
                sources.append((input, try input.component.open(checkpoint: checkpoints["input:\(input.name)"], context: context)))
            }

            // Outputs and quarantine open next; their starting checkpoints are committed before
            // anything is appended, so a crash before the first batch leaves nothing behind.
            var writers: [(PipelinePlan.Named<any Output>, any OutputWriter)] = []
            var quarantine: QuarantineFile?
            if !options.dryRun {
                for o in plan.outputs {
                    writers.append((o, try o.component.open(checkpoint: checkpoints["output:\(o.name)"], context: context)))
                }
                quarantine = try QuarantineFile(url: plan.quarantinePath, checkpoint: checkpoints["quarantine"],
                                                keepOriginal: plan.quarantineKeepsOriginal)
            }
            var state = RunState(runID: runID, plan: plan)
            let startEvent = AuditEvent(.runStarted, time: started,
                                        details: plan.provenance.details(pipeline: plan.name, file: plan.file, resumedAfter: interrupted?.id))
            try commitBatch(committer, writers: writers, quarantine: quarantine, checkpoints: [:],
                            ledger: RunLedger(), events: [startEvent], runID: runID)
            try committer.drain()

            for st in plan.stages { try st.component.begin(run: context, state: store) }
            let executor = StageExecutor(stages: plan.stages, parallelism: max(1, plan.limits.parallelism), time: time)
            let progress = ProgressClock(report: options.progress, time: time, start: t0, inputCount: sources.count)
            var stoppedBy: Int32?
            for (inputIndex, (input, source)) in sources.enumerated() where stoppedBy == nil {
                var exhausted = false
                while !exhausted {
                    if let signal = options.stopRequested?() { stoppedBy = signal; break }
                    var records: [Record] = []
                    var failures: [RecordFailure] = []
                    var events: [AuditEvent] = []
                    var ledger = RunLedger()
                    var deferred = 0
                    var batchBytes = 0  // cut by bytes too (`limits.max_batch_bytes`)
                    records.reserveCapacity(min(plan.limits.batchSize, 4096))
                    while records.count + failures.count + deferred < plan.limits.batchSize, batchBytes < plan.limits.maxBatchBytes {
                        let next: SourceItem?
                        do {
                            next = try await source.next()
                        } catch {
                            // The input's own events so far (a credential_denied, the retries before an
                            // outage) belong in the audit trail even though the batch is not committed.
                            let upstream = events.filter { ![AuditEventKind.received, .quarantined, .deferred].contains($0.kind) }
                            if !upstream.isEmpty {
                                try? committer.submit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(), events: upstream))
                            }
                            throw error
                        }
                        guard let item = next else { exhausted = true; break }
                        progress.tick(input: input.name, index: inputIndex, source: source, ledger: state.ledger,
                                      reading: records.count + failures.count + deferred)
                        switch item {
                        case .record(let r):
                            records.append(r)
                            batchBytes += r.value.estimatedSize
                            events.append(AuditEvent.received(r, content: plan.audit.recordContent, time: time.now()))
                        case .failure(var f):
                            if f.provenance == nil {
                                f.provenance = Provenance(input: input.name, uri: "", locator: Locator(), sha256: "")
                            }
                            failures.append(f)
                            batchBytes += f.original?.bytes.count ?? 0
                            events.append(AuditEvent.received(f, time: time.now()))
                            events.append(AuditEvent.quarantined(f, time: time.now()))
                        case .deferred(let w):
                            deferred += 1
                            events.append(AuditEvent(RecordFate.deferred.event, time: time.now(), input: input.name, uri: w.uri,
                                                     reason: w.reason, details: ["what": .string(w.description)]))
                            log.warning("deferred to the next run", metadata: ["input": "\(input.name)", "what": "\(w.description)", "reason": "\(w.reason)"])
                        case .event(let e):
                            events.append(e)
                        case .notice(let n):
                            state.summary.inputs[input.name, default: .init()].notices[n.code, default: 0] += n.count
                            log.info("\(n.message)", metadata: ["input": "\(input.name)", "notice": "\(n.code)"])
                        }
                    }
                    if records.isEmpty && failures.isEmpty && deferred == 0 && events.isEmpty && !exhausted { continue }
                    // A deferred page is work, not a record: counted apart from the records' law.
                    ledger.received = records.count + failures.count
                    ledger.quarantined = failures.count
                    ledger.deferredPages = deferred
                    state.summary.inputs[input.name, default: .init()].received += ledger.received
                    state.summary.inputs[input.name, default: .init()].quarantined += failures.count

                    if stagesReadState { try committer.drain() }
                    var result = try executor.process(records)
                    if plan.quarantineKeepsOriginal { PipelineRunner.keepOriginals(&result.quarantined, received: records) }
                    result.quarantined = failures + result.quarantined
                    result.events = events + result.events
                    result.ledger += ledger
                    try deliver(result, writers: writers, quarantine: quarantine, committer: committer, state: &state,
                                checkpoints: ["input:\(input.name)": source.checkpoint], runID: runID)
                    progress.batchDone(input: input.name, index: inputIndex, source: source, ledger: state.ledger)
                }
                checkpoints["input:\(input.name)"] = source.checkpoint
            }
            // Stages that held records back release them now.
            if stagesReadState { try committer.drain() }
            let tail = try executor.finish()
            if !tail.survivors.isEmpty || !tail.quarantined.isEmpty || !tail.events.isEmpty {
                try deliver(tail, writers: writers, quarantine: quarantine, committer: committer, state: &state, checkpoints: [:], runID: runID)
            }
            // Outputs publish only what the state DB has committed.
            try committer.drain()
            for (_, w) in writers { try w.finish() }

            // The summary and the exit status.
            let finished = time.now()
            var s = state.summary
            s.startedAt = started
            s.finishedAt = finished
            s.durationSeconds = time.uptime() - t0
            s.ledger = state.ledger
            s.balanced = state.ledger.isBalanced
            s.newRecords = state.ledger.received
            s.resumedAfter = interrupted?.id
            s.quarantinePath = options.dryRun ? nil : plan.quarantinePath.path
            for (o, w) in writers { s.outputs[o.name, default: .init(type: o.type)].destination = w.destination }
            (s.status, s.exitStatus, s.problems) = PipelineRunner.verdict(s, limits: plan.limits, dryRun: options.dryRun)
            if let signal = stoppedBy, s.balanced {
                s.status = "interrupted"
                s.exitStatus = 128 + signal
                s.problems.append("stopped by signal \(signal) between batches; the next run resumes after the last one committed")
                log.warning("run stopped by a signal", metadata: ["run": "\(runID)", "signal": .stringConvertible(signal)])
            }
            let summaryJSON = (try? JSONParser.parse([UInt8](s.jsonData()))) ?? .null
            try committer.submit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(), events: [
                AuditEvent(.runFinished, time: finished, reason: s.status,
                           details: ["ledger": summaryJSON["ledger"] ?? .null, "exit_status": .number(JSONNumber(Int(s.exitStatus)))]),
            ]))
            try committer.drain()
            try store.finishRun(id: runID, finishedAt: finished, status: s.status, exitStatus: s.exitStatus, summary: summaryJSON)
            log.info("run finished", metadata: ["run": "\(runID)", "status": "\(s.status)", "received": .stringConvertible(s.ledger.received),
                                                "written": .stringConvertible(s.ledger.written),
                                                "quarantined": .stringConvertible(s.ledger.quarantined)])
            return s
        } catch {
            // A run that fails (rather than dies) is recorded as failed, not left looking interrupted.
            let status = (error as? SluiceError)?.status ?? .internalError
            try? committer.drain()
            try? store.commit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(), events: [
                AuditEvent(.runFinished, time: time.now(), reason: "failed", details: ["error": .string(String(describing: error))]),
            ]))
            try? store.finishRun(id: runID, finishedAt: time.now(), status: "failed", exitStatus: status.rawValue,
                                 summary: ["error": .string(String(describing: error))])
            log.error("run finished", metadata: ["run": "\(runID)", "status": "failed",
                                                 "exit_status": .stringConvertible(Int(status.rawValue)), "error": "\(error)"])
            throw error
        }
    }

    /// Writes a processed batch to outputs and quarantine, then commits it to the state DB.
    private func deliver(_ result: BatchResult, writers: [(PipelinePlan.Named<any Output>, any OutputWriter)],
                         quarantine: QuarantineFile?, committer: BatchCommitter, state: inout RunState,
                         checkpoints: [String: JSONValue], runID: String) throws {
        var events = result.events
        var ledger = result.ledger
        ledger.written += result.survivors.count
        let now = options.time.now()
        if !result.survivors.isEmpty {
            for (o, w) in writers {
                try PipelineRunner.write(result.survivors, to: w, superseding: result.supersessions)
                state.summary.outputs[o.name, default: .init(type: o.type)].written += result.survivors.count
            }
            let outputNames = JSONValue.array(plan.outputs.map { .string($0.name) })
            for r in result.survivors {
                events.append(AuditEvent(RecordFate.written.event, time: now, recordID: r.id, parentID: r.parent,
                                         input: r.provenance.input, uri: r.provenance.uri, locator: r.provenance.locator,
                                         details: ["outputs": outputNames]))
            }
        }
        for f in result.quarantined {
            quarantine?.append(f, runID: runID, time: now)
            state.summary.quarantineReasons[f.code.rawValue, default: 0] += 1
        }
        for (k, v) in result.dropReasons { state.summary.dropReasons[k, default: 0] += v }
        for (i, c) in result.stageStats {
            let named = plan.stages[i]
            var st = state.summary.stages[named.name] ?? .init(type: named.type)
            st.seen += c.seen; st.passed += c.passed; st.changed += c.changed; st.emitted += c.emitted
            st.dropped += c.dropped; st.quarantined += c.quarantined
            st.cpuSeconds += Double(c.nanoseconds) / 1e9
            state.summary.stages[named.name] = st
        }
        state.ledger += ledger
        // Stateful stages remember only what the outputs accepted.
        var accepted = Set<String>()
        for r in result.survivors {
            accepted.insert(r.id)
            if let p = r.parent { accepted.insert(p) }
        }
        let writes = plan.stages.flatMap { ($0.component as? any StatefulStage)?.stateWrites(accepted: accepted) ?? [] }
        try commitBatch(committer, writers: writers, quarantine: quarantine, checkpoints: checkpoints,
                        ledger: ledger, events: events, stateWrites: writes, runID: runID)
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

    /// Makes outputs durable, then commits their checkpoints with the batch's state in one
    /// transaction (in the background: see `BatchCommitter`).
    private func commitBatch(_ committer: BatchCommitter, writers: [(PipelinePlan.Named<any Output>, any OutputWriter)],
                             quarantine: QuarantineFile?, checkpoints: [String: JSONValue], ledger: RunLedger,
                             events: [AuditEvent], stateWrites: [StateWrite] = [], runID: String) throws {
        var all = checkpoints
        for (o, w) in writers { if let c = try w.commit() { all["output:\(o.name)"] = c } }
        if let quarantine { all["quarantine"] = try quarantine.commit() }
        try committer.submit(BatchCommit(runID: runID, checkpoints: all, ledger: ledger, events: events, stateWrites: stateWrites))
    }
}
