public import SluiceJSON

/// What a stage did with one record.
public enum StageOutcome: Sendable {
    /// The record goes on, possibly changed. `notes` say what the stage did (for the audit).
    case pass(Record, notes: [StageNote] = [])
    /// The record is replaced by several (a document forks into chunks). The parent is not written.
    case emit(parent: Record, children: [Record], notes: [StageNote] = [])
    /// The record goes on, followed by records derived from it (a document kept beside its
    /// chunks). Nothing is forked: the record is written like one that passed.
    case derive(Record, children: [Record], notes: [StageNote] = [])
    /// The record is dropped on purpose (a duplicate, a superseded version).
    case drop(Record, DropReason)
    /// The record cannot pass: quarantine it with this failure.
    case quarantine(RecordFailure)
}

/// Why a record was intentionally dropped, and in favour of which record.
public struct DropReason: Sendable, Hashable {
    /// `duplicate_of`, `near_duplicate_of`, `superseded_by`, `filtered`, ...
    public var code: String
    /// The record that was kept instead, when there is one.
    public var relatedID: String?
    /// Extra facts (for example the estimated Jaccard similarity).
    public var details: JSONValue?

    public init(code: String, relatedID: String? = nil, details: JSONValue? = nil) {
        self.code = code
        self.relatedID = relatedID
        self.details = details
    }

    /// `duplicate_of doc-7` style text.
    public var summary: String { relatedID.map { "\(code) \($0)" } ?? code }
}

/// A fact a stage reports about a record it passed: the runner turns it into an audit event.
public struct StageNote: Sendable, Hashable {
    /// The audit event it becomes: `.repaired`, `.validated`, ...
    public var kind: AuditEventKind
    public var details: JSONValue?
    /// The wire name of `kind`.
    public var event: String { kind.wireName }

    public init(_ kind: AuditEventKind, details: JSONValue? = nil) {
        self.kind = kind
        self.details = details
    }
}
