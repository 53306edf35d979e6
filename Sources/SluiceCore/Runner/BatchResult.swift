import Foundation

/// What happened to the records of one batch on their way through the stages.
struct BatchResult: Sendable {
    /// Records that passed every stage, in input order: they go to the outputs.
    var survivors: [Record] = []
    var quarantined: [RecordFailure] = []
    var events: [AuditEvent] = []
    var ledger = RunLedger()
    var stageStats: [Int: StageCounters] = [:]
    var dropReasons: [String: Int] = [:]
    /// Records a stateful stage dropped because of another record (`duplicate_of <id>`), in
    /// order: if that other record is not written after all, they are processed again.
    var relatedDrops: [RelatedDrop] = []
    /// Ids of the records a stateful stage passed (or forked) in this batch: what stages may
    /// hold pending until the outputs accept the batch.
    var pending: Set<String> = []
    /// Record id → the ids of the records it supersedes (a newer version of a document), from
    /// the stages' `Supersession` notes: the outputs replace those right before writing it.
    var supersessions: [String: [String]] = [:]

    /// One drop that names the record it was dropped for.
    struct RelatedDrop: Sendable {
        var stage: Int
        /// The record as the stage received it: what is processed again.
        var record: Record
        /// The id of the dropped record (as the stage returned it), which its event names.
        var droppedID: String
        var reason: DropReason
    }

    mutating func absorb(_ other: BatchResult) {
        survivors += other.survivors
        quarantined += other.quarantined
        events += other.events
        ledger += other.ledger
        for (k, v) in other.stageStats { stageStats[k, default: StageCounters()].add(v) }
        for (k, v) in other.dropReasons { dropReasons[k, default: 0] += v }
        relatedDrops += other.relatedDrops
        pending.formUnion(other.pending)
        for (id, ids) in other.supersessions { supersessions[id, default: []] += ids }
    }

    /// Takes what `notes` say record `id` supersedes.
    mutating func noteSupersessions(_ notes: [StageNote], of id: String) {
        for n in notes where n.kind == Supersession.kind { supersessions[id, default: []] += Supersession.ids(in: n.details) }
    }
}

/// Per-stage counts, merged across threads.
struct StageCounters: Sendable {
    var seen = 0, passed = 0, changed = 0, emitted = 0, dropped = 0, quarantined = 0
    var nanoseconds: UInt64 = 0

    mutating func add(_ o: StageCounters) {
        seen += o.seen; passed += o.passed; changed += o.changed; emitted += o.emitted
        dropped += o.dropped; quarantined += o.quarantined; nanoseconds += o.nanoseconds
    }
}
