import Foundation
import SluiceJSON

/// Runs records through the pipeline's stages: runs of stateless stages on all cores (order
/// kept), stateful stages one record at a time, in order.
struct StageExecutor: Sendable {
    let stages: [PipelinePlan.Named<any Stage>]
    let parallelism: Int
    let time: any TimeSource
    /// Each stage as a `StatefulStage`, when it is one.
    let stateful: [(any StatefulStage)?]

    init(stages: [PipelinePlan.Named<any Stage>], parallelism: Int, time: any TimeSource) {
        self.stages = stages
        self.parallelism = parallelism
        self.time = time
        stateful = stages.map { $0.component as? any StatefulStage }
    }

    /// The stages of `range`, consecutive ones grouped: a group of stateless stages may run in parallel.
    func segments(_ range: Range<Int>) -> [(range: Range<Int>, parallel: Bool)] {
        var out: [(Range<Int>, Bool)] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let stateless = stages[i].component is any StatelessStage
            var j = i + 1
            while j < range.upperBound && stateless && stages[j].component is any StatelessStage { j += 1 }
            out.append((i..<j, stateless))
            i = j
        }
        return out
    }

    /// Processes `records` (entering at stage `start`) through the stages before `end` (all
    /// later stages by default); records that a stateful stage dropped because of a record that
    /// is not written after all are processed again (see `settle`).
    func process(_ records: [Record], from start: Int = 0, to end: Int? = nil) async throws -> BatchResult {
        var result = try await processOnce(records, from: start, to: end ?? stages.count)
        try await settle(&result)
        return result
    }

    /// One pass of `records` (entering at stage `start`) through the stages before `end`.
    func processOnce(_ records: [Record], from start: Int, to end: Int) async throws -> BatchResult {
        var current = records
        var total = BatchResult()
        for seg in segments(start..<end) {
            let range = seg.range
            let r: BatchResult
            if seg.parallel && parallelism > 1 && current.count > 1 {
                r = try await parallelMap(current, range)
            } else {
                var acc = BatchResult()
                for rec in current { acc.absorb(try run(rec, range)) }
                r = acc
            }
            current = r.survivors
            var withoutSurvivors = r
            withoutSurvivors.survivors = []
            total.absorb(withoutSurvivors)
        }
        total.survivors = current
        return total
    }

    /// Calls each stage's `finish()` in order; what it releases goes through the later stages.
    func finish() async throws -> BatchResult {
        var total = BatchResult()
        var carried: [Record] = []
        for i in stages.indices {
            // Records released by earlier stages pass through this one first.
            if !carried.isEmpty {
                let r = try await process(carried, from: i)
                carried = []
                total.absorb(r)
            }
            var released = BatchResult()
            for outcome in try stateful[i]?.finish() ?? [] {
                released.absorb(try apply(outcome, stageIndex: i, input: nil, then: i + 1..<i + 1))
            }
            carried = released.survivors
            released.survivors = []
            total.absorb(released)
            if i == stages.count - 1 { total.survivors += carried; carried = [] }
        }
        return total
    }

    /// One record through `range`.
    func run(_ record: Record, _ range: Range<Int>) throws -> BatchResult {
        guard let i = range.first else {
            var r = BatchResult()
            r.survivors = [record]
            return r
        }
        let named = stages[i]
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outcome: StageOutcome
        do {
            outcome = try named.component.process(record)
        } catch let failure as RecordFailure {
            outcome = .quarantine(failure)
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds &- t0
        var r = try apply(outcome, stageIndex: i, input: record, then: (i + 1)..<range.upperBound)
        r.stageStats[i, default: StageCounters()].seen += 1
        r.stageStats[i, default: StageCounters()].nanoseconds += elapsed
        return r
    }

    /// Records one outcome of stage `stageIndex` and sends what survives through `next`.
    private func apply(_ outcome: StageOutcome, stageIndex i: Int, input: Record?, then next: Range<Int>) throws -> BatchResult {
        let name = stages[i].name
        var r = BatchResult()
        let now = time.now()
        switch outcome {
        case .pass(let rec, let notes):
            r.stageStats[i, default: StageCounters()].passed += 1
            if stateful[i] != nil {
                r.pending.insert(rec.id)
                if let input { r.pending.insert(input.id) }
            }
            if let input, rec.value != input.value || rec.id != input.id { r.stageStats[i, default: StageCounters()].changed += 1 }
            for n in notes {
                r.events.append(AuditEvent(n.kind, time: now, recordID: rec.id, parentID: rec.parent,
                                           input: rec.provenance.input, uri: rec.provenance.uri, locator: rec.provenance.locator,
                                           stage: name, details: n.details))
            }
            r.noteSupersessions(notes, of: rec.id)
            r.absorb(try run(rec, next))
        case .emit(let parent, let children, let notes), .derive(let parent, let children, let notes):
            // `derive` keeps the document (it goes on and is written); `emit` forks it away.
            let kept: Bool
            if case .derive = outcome { kept = true } else { kept = false }
            r.stageStats[i, default: StageCounters()].emitted += children.count
            if kept { r.stageStats[i, default: StageCounters()].passed += 1 }
            if stateful[i] != nil { r.pending.insert(parent.id) }
            if !kept { r.ledger.count(.forked) }
            r.ledger.derived += children.count
            // One `chunked` row per document: what the stage said about it joins the runner's own details.
            var details = JSONObject()
            for n in notes where n.kind == .chunked {
                for (k, v) in n.details?.objectValue ?? JSONObject() { details[k] = v }
            }
            details["children"] = .number(JSONNumber(children.count))
            details["child_ids"] = .array(children.prefix(1000).map { .string($0.id) })
            if kept { details["kept"] = .bool(true) }
            r.events.append(AuditEvent(kept ? .chunked : RecordFate.forked.event, time: now, recordID: parent.id, parentID: parent.parent,
                                       input: parent.provenance.input, uri: parent.provenance.uri, locator: parent.provenance.locator,
                                       stage: name, details: .object(details)))
            r.noteSupersessions(notes, of: parent.id)
            for n in notes where n.kind != .chunked {
                r.events.append(AuditEvent(n.kind, time: now, recordID: parent.id, input: parent.provenance.input,
                                           uri: parent.provenance.uri, locator: parent.provenance.locator, stage: name, details: n.details))
            }
            if kept { r.absorb(try run(parent, next)) }
            for c in children { r.absorb(try run(c, next)) }
        case .drop(let rec, let reason):
            r.stageStats[i, default: StageCounters()].dropped += 1
            r.ledger.count(.dropped(reason))
            // What `finish()` releases is not processed again (the stage has finished).
            if reason.relatedID != nil, let input, stateful[i] != nil {
                r.relatedDrops.append(.init(stage: i, record: input, droppedID: rec.id, reason: reason))
            }
            r.dropReasons[reason.code, default: 0] += 1
            r.events.append(AuditEvent(RecordFate.dropped(reason).event, time: now, recordID: rec.id, parentID: rec.parent,
                                       input: rec.provenance.input, uri: rec.provenance.uri, locator: rec.provenance.locator,
                                       stage: name, reason: reason.code,
                                       details: reason.relatedID.map { rel in
                                           var o = reason.details?.objectValue ?? JSONObject()
                                           o["related_id"] = .string(rel)
                                           return .object(o)
                                       } ?? reason.details))
        case .quarantine(var failure):
            r.stageStats[i, default: StageCounters()].quarantined += 1
            if failure.stage == nil { failure.stage = name }
            if failure.recordID == nil { failure.recordID = input?.id }
            if failure.provenance == nil { failure.provenance = input?.provenance }
            r.ledger.count(.quarantined)
            r.quarantined.append(failure)
            r.events.append(AuditEvent.quarantined(failure, time: now))
        }
        return r
    }

    /// Runs `range` over `records` as child tasks of contiguous slices, at most `parallelism`
    /// at once; results are joined in slice order, so output order is input order.
    private func parallelMap(_ records: [Record], _ range: Range<Int>) async throws -> BatchResult {
        // A few slices per core, so that a slice of slow records does not leave a core idle.
        let slices = min(records.count, parallelism * 4)
        let size = (records.count + slices - 1) / slices
        return try await withThrowingTaskGroup(of: (Int, BatchResult).self) { group in
            var parts = [BatchResult?](repeating: nil, count: slices)
            var running = 0
            for s in 0..<slices {
                let lo = s * size, hi = min(records.count, lo + size)
                guard lo < hi else { continue }
                if running == parallelism, let (k, part) = try await group.next() {
                    parts[k] = part
                    running -= 1
                }
                group.addTask {
                    var acc = BatchResult()
                    for idx in lo..<hi { acc.absorb(try run(records[idx], range)) }
                    return (s, acc)
                }
                running += 1
            }
            for try await (k, part) in group { parts[k] = part }
            var total = BatchResult()
            for part in parts { if let part { total.absorb(part) } }
            return total
        }
    }
}

extension AuditEvent {
    static func quarantined(_ f: RecordFailure, time: Date) -> AuditEvent {
        var details = JSONObject()
        details["message"] = .string(f.message)
        if let p = f.pointer { details["pointer"] = .string(p) }
        if let d = f.details { details["details"] = d }
        return AuditEvent(RecordFate.quarantined.event, time: time, recordID: f.recordID, input: f.provenance?.input,
                          uri: f.provenance?.uri, locator: f.provenance?.locator, stage: f.stage,
                          reason: f.code.rawValue, details: .object(details))
    }
}
