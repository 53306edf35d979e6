import Foundation
import SluiceJSON

/// Runs records through the pipeline's stages: stateless runs of stages on all cores (order
/// kept), stateful stages one record at a time, in order.
struct StageExecutor {
    let stages: [PipelinePlan.Named<any Stage>]
    let parallelism: Int
    let time: any TimeSource

    /// Consecutive stages grouped: a group of stateless stages may run in parallel.
    var segments: [(range: Range<Int>, parallel: Bool)] {
        var out: [(Range<Int>, Bool)] = []
        var i = 0
        while i < stages.count {
            let stateless = stages[i].component is any StatelessStage
            var j = i + 1
            while j < stages.count && stateless && stages[j].component is any StatelessStage { j += 1 }
            out.append((i..<j, stateless))
            i = j
        }
        return out
    }

    /// Processes `records` (entering at stage `start`) through all later stages; records that
    /// a stateful stage dropped because of a record that is not written after all are processed
    /// again (see `settle`).
    func process(_ records: [Record], from start: Int = 0) throws -> BatchResult {
        var result = try processOnce(records, from: start)
        try settle(&result)
        return result
    }

    /// One pass of `records` (entering at stage `start`) through all later stages.
    func processOnce(_ records: [Record], from start: Int) throws -> BatchResult {
        var current = records
        var total = BatchResult()
        for seg in segments where seg.range.upperBound > start {
            let range = max(seg.range.lowerBound, start)..<seg.range.upperBound
            let r: BatchResult
            if seg.parallel && parallelism > 1 && current.count > 1 {
                r = try parallelMap(current, range)
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
    func finish() throws -> BatchResult {
        var total = BatchResult()
        var carried: [Record] = []
        for (i, named) in stages.enumerated() {
            // Records released by earlier stages pass through this one first.
            if !carried.isEmpty {
                let r = try process(carried, from: i)
                carried = []
                total.absorb(r)
            }
            var released = BatchResult()
            for outcome in try (named.component as? any StatefulStage)?.finish() ?? [] {
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
            if stages[i].component is any StatefulStage {
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
            if stages[i].component is any StatefulStage { r.pending.insert(parent.id) }
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
            r.events.append(AuditEvent(RecordFate.forked.event, time: now, recordID: parent.id, parentID: parent.parent,
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
            if reason.relatedID != nil, let input, stages[i].component is any StatefulStage {
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

    /// Runs `range` over `records` on `parallelism` threads; results keep input order.
    private func parallelMap(_ records: [Record], _ range: Range<Int>) throws -> BatchResult {
        let workers = min(parallelism, records.count)
        let slots = ResultSlots(count: workers)
        let chunk = (records.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = w * chunk, hi = min(records.count, lo + chunk)
            var acc = BatchResult()
            do {
                for idx in lo..<hi { acc.absorb(try run(records[idx], range)) }
                slots.set(w, .success(acc))
            } catch {
                slots.set(w, .failure(error))
            }
        }
        var total = BatchResult()
        for w in 0..<workers { total.absorb(try slots.get(w)) }
        return total
    }
}

/// One slot per worker; each is written by exactly one thread before `concurrentPerform` returns.
private final class ResultSlots: Sendable {
    private let slots: Locked<[Result<BatchResult, any Error>?]>
    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Result<BatchResult, any Error>) { slots.withLock { $0[i] = r } }
    func get(_ i: Int) throws -> BatchResult { try slots.withLock { $0[i] }?.get() ?? BatchResult() }
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
