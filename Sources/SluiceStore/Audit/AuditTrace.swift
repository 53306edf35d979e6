import GRDB
import SluiceCore
import SluiceJSON

/// The lineage of one record: from the source bytes it came from, through every stage that did
/// something to it, to the outputs, with the upstream calls (credentials) that fetched it.
public struct AuditTrace: Sendable {
    public struct Step: Sendable {
        public var recordID: String
        /// Every event about this record, in seq order.
        public var events: [AuditRow]
    }

    /// Oldest ancestor first; the last step is the record asked for.
    public var lineage: [Step] = []
    /// Records derived from the one asked for (its chunks), at most `childLimit`.
    public var children: [String] = []
    public var childrenTruncated = false
    /// Where the oldest ancestor's bytes came from (its `received` event).
    public var source: AuditRow?
    /// `fetched`, `credential_used`, `credential_denied`, `retried`, ... for the source URI.
    public var upstream: [AuditRow] = []

    public var isEmpty: Bool { lineage.allSatisfy { $0.events.isEmpty } }
}

extension AuditQuery {
    /// A record's lineage is followed at most this many parents up (chunks of chunks...).
    static let maxDepth = 32

    /// The lineage of `recordID`. Uses the record, parent and upstream indices only: a few
    /// indexed lookups per ancestor, whatever the size of the log.
    static func trace(_ db: Database, recordID: String, childLimit: Int = 1000) throws -> AuditTrace {
        var t = AuditTrace()
        var id: String? = recordID
        var seen = Set<String>()
        var steps: [AuditTrace.Step] = []
        while let current = id, !seen.contains(current), steps.count < maxDepth {
            seen.insert(current)
            var f = AuditFilter()
            f.recordID = current
            var events: [AuditRow] = []
            try rows(db, f) { events.append($0) }
            steps.append(AuditTrace.Step(recordID: current, events: events))
            id = events.lazy.compactMap(\.parentID).first
        }
        t.lineage = steps.reversed()
        let kids = try String.fetchAll(db, sql: "SELECT DISTINCT record_id FROM audit_events WHERE parent_id = ? AND record_id IS NOT NULL LIMIT ?",
                                       arguments: [recordID, childLimit + 1])
        t.children = Array(kids.prefix(childLimit))
        t.childrenTruncated = kids.count > childLimit
        let origin = t.lineage.first?.events ?? []
        t.source = origin.first { $0.event == AuditEventKind.received.wireName } ?? origin.first
        if let uri = t.source?.uri, !uri.isEmpty {
            // The event list is spelled exactly as in the partial index `audit_events_upstream`
            // (migration v3): SQLite uses a partial index only when the query names its condition.
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT \(AuditStoredRow.columns) FROM audit_events
                WHERE uri = ? AND event IN ('fetched', 'credential_used', 'credential_denied', 'retried', 'fallback_used', 'circuit_opened')
                ORDER BY seq LIMIT 1000
                """, arguments: [uri])
            while let r = try cursor.next() { t.upstream.append(AuditStoredRow.decode(r)) }
        }
        return t
    }
}
