/// Where a record ended up: the terms of the ledger that a record leaves a run by.
public enum RecordFate: Sendable, Hashable {
    /// Every output accepted it.
    case written
    /// It could not pass (unreadable, invalid): it is in the quarantine file.
    case quarantined
    /// A stage dropped it on purpose (a duplicate, a superseded version, filtered out).
    case dropped(DropReason)
    /// An input could not do the work now (an upstream is down): the next run tries again.
    case deferred
    /// A stage replaced it by records derived from it (a document forked into chunks).
    case forked

    /// The audit event that records this fate.
    public var event: AuditEventKind {
        switch self {
        case .written: .written
        case .quarantined: .quarantined
        case .dropped: .dropped
        case .deferred: .deferred
        case .forked: .chunked
        }
    }

    /// The ledger term this fate counts in.
    public var term: RunLedger.Term {
        switch self {
        case .written: .written
        case .quarantined: .quarantined
        case .dropped: .dropped
        case .deferred: .deferred
        case .forked: .forked
        }
    }
}
