import Foundation
import Logging

/// One batch as read from an input: what the stages get, and what the runner already knows
/// about it (failures to quarantine, events, the input's checkpoint after it).
struct ReadBatch: Sendable {
    var input: String
    var inputIndex: Int
    var records: [Record] = []
    /// Items the input could not make records of: quarantined with the batch.
    var failures: [RecordFailure] = []
    var events: [AuditEvent] = []
    var ledger = RunLedger()
    /// The input's checkpoint after the batch's last item: committed with the batch.
    var checkpoint: Checkpoint = .null
    var progress: SourceProgress?
    /// The input failed while this batch was read: its own events so far (the retries before an
    /// outage, a credential_denied) are committed, then the run fails with the error.
    var error: (any Error)?
}

/// The first step of a run: reads every input in turn, batch by batch, into `output`. A batch
/// ends at `limits.batch_size` items or `limits.max_batch_bytes` bytes (at least one record);
/// reading waits while the queue is full, so nothing is read further ahead than the queue holds.
struct BatchReader: @unchecked Sendable {
    // The sources are used by this step alone.
    let sources: [(name: String, source: any RecordSource)]
    let limits: Limits
    let recordContent: Bool
    let time: any TimeSource
    let log: Logger
    let tally: RunTally
    let stopRequested: (@Sendable () -> Int32?)?

    func run(into output: BoundedQueue<BatchInFlight>) async {
        var sequence = 0
        do {
            for (index, (name, source)) in sources.enumerated() {
                var exhausted = false
                while !exhausted {
                    if let signal = stopRequested?() {
                        tally.stop(signal)
                        output.finish()
                        return
                    }
                    var batch = ReadBatch(input: name, inputIndex: index)
                    exhausted = await read(source, into: &batch)
                    batch.checkpoint = source.checkpoint
                    batch.progress = source.progress
                    let empty = batch.ledger.received == 0 && batch.ledger.deferredPages == 0 && batch.events.isEmpty
                    if empty && !exhausted && batch.error == nil { continue }
                    let failed = batch.error != nil
                    sequence += 1
                    try await output.send(BatchInFlight(sequence: sequence, read: batch))
                    if failed { output.finish(); return }
                }
            }
            output.finish()
        } catch {
            // The consumer stopped; it has its own error.
            output.finish(throwing: error)
        }
    }

    /// Fills `batch` from `source`; true when the source has nothing more (or failed).
    private func read(_ source: any RecordSource, into batch: inout ReadBatch) async -> Bool {
        var bytes = 0
        var deferred = 0
        var exhausted = false
        batch.records.reserveCapacity(min(limits.batchSize, 4096))
        while batch.records.count + batch.failures.count + deferred < limits.batchSize, bytes < limits.maxBatchBytes {
            let next: SourceItem?
            do {
                next = try await source.next()
            } catch {
                batch.events.removeAll { [AuditEventKind.received, .quarantined, .deferred].contains($0.kind) }
                batch.records = []
                batch.failures = []
                batch.error = error
                return true
            }
            guard let item = next else { exhausted = true; break }
            var counted = 1
            switch item {
            case .record(let r):
                batch.records.append(r)
                bytes += r.value.estimatedSize
                batch.events.append(AuditEvent.received(r, content: recordContent, time: time.now()))
            case .failure(var f):
                if f.provenance == nil {
                    f.provenance = Provenance(input: batch.input, uri: "", locator: Locator(), sha256: "")
                }
                batch.failures.append(f)
                bytes += f.original?.bytes.count ?? 0
                batch.events.append(AuditEvent.received(f, time: time.now()))
                batch.events.append(AuditEvent.quarantined(f, time: time.now()))
            case .deferred(let w):
                deferred += 1
                counted = 0
                batch.events.append(AuditEvent(RecordFate.deferred.event, time: time.now(), input: batch.input, uri: w.uri,
                                               reason: w.reason, details: ["what": .string(w.description)]))
                log.warning("deferred to the next run", metadata: ["input": "\(batch.input)", "what": "\(w.description)", "reason": "\(w.reason)"])
            case .event(let e):
                batch.events.append(e)
                counted = 0
            case .notice(let n):
                tally.notice(n, input: batch.input)
                log.info("\(n.message)", metadata: ["input": "\(batch.input)", "notice": "\(n.code)"])
                counted = 0
            }
            tally.read(counted, input: batch.input, index: batch.inputIndex, source: source.progress)
        }
        // A deferred page is work, not a record: counted apart from the records' law.
        batch.ledger.received = batch.records.count + batch.failures.count
        batch.ledger.count(.quarantined, batch.failures.count)
        batch.ledger.deferredPages = deferred
        tally.received(batch)
        return exhausted
    }
}
