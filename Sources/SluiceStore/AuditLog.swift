import Foundation
import GRDB
public import SluiceCore
public import SluiceJSON

/// Appends audit events to the `audit_events` table inside the caller's transaction.
enum AuditLog {
    static func append(_ events: [AuditEvent], runID: String, actor: String, in db: Database) throws {
        guard !events.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_events (run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in events {
            try statement.execute(arguments: [
                runID, Timestamp.string(e.time), actor, e.event, e.recordID, e.parentID, e.input, e.uri,
                e.locator.map { JSONWriter.string(LocatorJSON.encode($0)) }, e.stage, e.reason,
                e.details.map { JSONWriter.string($0) }, e.credentialFingerprint,
            ])
        }
    }
}

/// Locators as compact JSON objects (`{"line":3,"byte":120}`).
public enum LocatorJSON {
    public static func encode(_ l: Locator) -> JSONValue {
        var o = JSONObject()
        if let v = l.page { o["page"] = .number(JSONNumber(v)) }
        if let v = l.line { o["line"] = .number(JSONNumber(v)) }
        if let v = l.index { o["index"] = .number(JSONNumber(v)) }
        if let v = l.byteOffset { o["byte"] = .number(JSONNumber(v)) }
        return .object(o)
    }
}
