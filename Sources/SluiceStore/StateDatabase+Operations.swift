public import Foundation
import GRDB
import SluiceCore
public import SluiceJSON

extension StateDatabase {
    /// When the newest run with status `succeeded` finished.
    public func lastSucceededAt() throws -> Date? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT finished_at FROM runs WHERE status = 'succeeded' AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1")
        }.flatMap(Timestamp.date)
    }

    /// Finished runs, newest first: id and the summary JSON text the runner stored (nil for a run
    /// that was interrupted before it could write one).
    public func finishedRunSummaries(limit: Int) throws -> [(id: String, summary: String?)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, summary FROM runs WHERE finished_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ?",
                             arguments: [limit]).map { ($0["id"] as String, $0["summary"] as String?) }
        }
    }

    /// The summary JSON text of one run.
    public func runSummaryText(id: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT summary FROM runs WHERE id = ?", arguments: [id]) }
    }

    /// Audit events of one run with the given event names, in order.
    public func auditEvents(runID: String, events: [String]) throws -> [RunEvent] {
        try queue.read { db in
            let marks = Array(repeating: "?", count: events.count).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT event, record_id, uri, reason, details FROM audit_events WHERE run_id = ? AND event IN (\(marks)) ORDER BY seq",
                                    arguments: StatementArguments([runID] + events)).map { row in
                RunEvent(event: row["event"], recordID: row["record_id"], uri: (row["uri"] as String?) ?? "",
                         reason: (row["reason"] as String?) ?? "", details: (row["details"] as String?).flatMap { try? JSONParser.parse($0) })
            }
        }
    }
}

/// One audit event as the report and metrics read it.
public struct RunEvent: Sendable {
    public var event: String
    public var recordID: String?
    public var uri: String
    public var reason: String
    public var details: JSONValue?
}
