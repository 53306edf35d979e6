import Foundation
import SluiceJSON

/// The last step of a run: hands each processed batch to the outputs and the quarantine, makes
/// them durable, then submits the batch's state transaction (input checkpoint, output
/// checkpoints, ledger, audit events, stage state) to the `StateCommitter`, which runs it while
/// the next batch is written. Runs in the runner's own task: it alone touches the writers.
struct BatchDelivery {
    let plan: PipelinePlan
    let runID: String
    let writers: [(PipelinePlan.Named<any Output>, any OutputWriter)]
    let quarantine: QuarantineFile?
    let committer: StateCommitter
    let tally: RunTally
    let time: any TimeSource

    /// Delivers every batch from `input`, in order; returns how many. A batch whose input failed
    /// commits the input's own events, then its error ends the run.
    func run(from input: BoundedQueue<BatchInFlight>) async throws -> Int {
        var delivered = 0
        do {
            while let batch = try await input.next() {
                if let error = batch.read.error {
                    if !batch.read.events.isEmpty {
                        try? await committer.submit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(), events: batch.read.events),
                                                    sequence: batch.sequence)
                    }
                    throw error
                }
                var result = batch.result
                if plan.quarantineKeepsOriginal { PipelineRunner.keepOriginals(&result.quarantined, received: batch.read.records) }
                result.quarantined = batch.read.failures + result.quarantined
                result.events = batch.read.events + result.events
                result.ledger += batch.read.ledger
                try await deliver(result, checkpoints: ["input:\(batch.read.input)": batch.read.checkpoint], sequence: batch.sequence)
                tally.delivered(input: batch.read.input, index: batch.read.inputIndex, source: batch.read.progress)
                delivered += 1
            }
            return delivered
        } catch {
            input.close(throwing: error)
            committer.abandon(error)
            throw error
        }
    }

    /// Writes a processed batch to outputs and quarantine, makes them durable, then submits its
    /// state commit.
    func deliver(_ result: BatchResult, checkpoints: [String: JSONValue], sequence: Int) async throws {
        var events = result.events
        var ledger = result.ledger
        ledger.count(.written, result.survivors.count)
        let now = time.now()
        if !result.survivors.isEmpty {
            for (o, w) in writers {
                try PipelineRunner.write(result.survivors, to: w, superseding: result.supersessions)
                tally.update { $0.summary.outputs[o.name, default: .init(type: o.type)].written += result.survivors.count }
            }
            let outputNames = JSONValue.array(plan.outputs.map { .string($0.name) })
            for r in result.survivors {
                events.append(AuditEvent(RecordFate.written.event, time: now, recordID: r.id, parentID: r.parent,
                                         input: r.provenance.input, uri: r.provenance.uri, locator: r.provenance.locator,
                                         details: ["outputs": outputNames]))
            }
        }
        for f in result.quarantined { quarantine?.append(f, runID: runID, time: now) }
        tally.update { state in
            for f in result.quarantined { state.summary.quarantineReasons[f.code.rawValue, default: 0] += 1 }
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
        }
        // Stateful stages remember only what the outputs accepted.
        let accepted = StageExecutor.writtenIDs(result.survivors)
        let writes = plan.stages.flatMap { ($0.component as? any StatefulStage)?.stateWrites(accepted: accepted) ?? [] }
        try await commit(checkpoints: checkpoints, ledger: ledger, events: events, stateWrites: writes, sequence: sequence)
    }

    /// Makes outputs durable, then submits their checkpoints with the batch's state as one
    /// transaction.
    func commit(checkpoints: [String: JSONValue], ledger: RunLedger, events: [AuditEvent], stateWrites: [StateWrite] = [],
                sequence: Int) async throws {
        var all = checkpoints
        for (o, w) in writers { if let c = try w.commit() { all["output:\(o.name)"] = c } }
        if let quarantine { all["quarantine"] = try quarantine.commit() }
        try await committer.submit(BatchCommit(runID: runID, checkpoints: all, ledger: ledger, events: events, stateWrites: stateWrites),
                                   sequence: sequence)
    }
}
