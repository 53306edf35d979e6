public import Foundation
import GRDB
import SluiceCore
public import SluiceJSON

/// Which audit rows to read. Every field narrows; nil means any.
public struct AuditFilter: Sendable, Hashable {
    public var recordID: String?
    public var runID: String?
    public var input: String?
    /// SQLite GLOB pattern over the URI (`*`, `?`, `[...]`).
    public var uriGlob: String?
    public var event: String?
    public var stage: String?
    public var reason: String?
    /// Credential fingerprints (any of them).
    public var credentialFingerprints: [String]?
    /// RFC 3339 UTC bounds, inclusive since, exclusive until.
    public var since: Date?
    public var until: Date?
    public var limit: Int?

    public init() {}
}

/// Read-only questions to the audit log.
public enum AuditQuery {
    /// Opens `path` read-only: nothing in the file can change through this handle.
    static func open(path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SluiceError(.inputMissing, "no state DB at \(path)")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do { return try DatabaseQueue(path: path, configuration: config) } catch {
            throw SluiceError(.inputMissing, "cannot open the state DB \(path) read-only", cause: error)
        }
    }

    /// Calls `each` for every row matching `filter`, in seq order, without loading them all.
    static func rows(_ db: Database, _ filter: AuditFilter, _ each: (AuditRow) throws -> Void) throws {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        func add(_ sql: String, _ value: (any DatabaseValueConvertible)?) { clauses.append(sql); args.append(value) }
        if let v = filter.recordID { add("record_id = ?", v) }
        if let v = filter.runID { add("run_id = ?", v) }
        if let v = filter.input { add("input = ?", v) }
        if let v = filter.uriGlob { add("uri GLOB ?", v) }
        if let v = filter.event { add("event = ?", v) }
        if let v = filter.stage { add("stage = ?", v) }
        if let v = filter.reason { add("reason = ?", v) }
        if let v = filter.since { add("time >= ?", Timestamp.string(v)) }
        if let v = filter.until { add("time < ?", Timestamp.string(v)) }
        if let fps = filter.credentialFingerprints {
            clauses.append("credential_fp IN (" + fps.map { _ in "?" }.joined(separator: ",") + ")")
            args.append(contentsOf: fps.map { $0 })
        }
        var sql = "SELECT \(AuditStoredRow.columns) FROM audit_events"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
        while let r = try cursor.next() { try each(AuditStoredRow.decode(r)) }
    }

    /// Event counts per run and event, and per event and reason.
    static func stats(_ db: Database, runID: String? = nil) throws -> AuditStats {
        var s = AuditStats()
        let whereRun = runID == nil ? "" : " WHERE run_id = ?"
        let args: StatementArguments = runID.map { [$0] } ?? []
        for r in try Row.fetchAll(db, sql: "SELECT run_id, event, count(*) AS n FROM audit_events\(whereRun) GROUP BY run_id, event ORDER BY min(seq), event", arguments: args) {
            s.perRun.append((r["run_id"], r["event"], r["n"]))
        }
        let reasonWhere = runID == nil ? " WHERE reason IS NOT NULL" : " WHERE run_id = ? AND reason IS NOT NULL"
        for r in try Row.fetchAll(db, sql: "SELECT event, reason, count(*) AS n FROM audit_events\(reasonWhere) GROUP BY event, reason ORDER BY n DESC, event, reason", arguments: args) {
            s.perReason.append((r["event"], r["reason"], r["n"]))
        }
        return s
    }
}

/// `sluice audit stats`: counts only.
public struct AuditStats: Sendable {
    public var perRun: [(run: String, event: String, count: Int)] = []
    public var perReason: [(event: String, reason: String, count: Int)] = []
}

extension AuditRow {
    /// The row as a JSON object (`locator` and `details` as JSON, not text). Columns in table order.
    public var json: JSONValue {
        var o = JSONObject()
        o["seq"] = .number(JSONNumber(Int(seq)))
        o["run_id"] = .string(runID)
        o["time"] = .string(time)
        o["actor"] = .string(actor)
        o["event"] = .string(event)
        func text(_ k: String, _ v: String?) { o[k] = v.map { .string($0) } ?? .null }
        func json(_ k: String, _ v: String?) { o[k] = v.map { (try? JSONParser.parse($0)) ?? .string($0) } ?? .null }
        text("record_id", recordID); text("parent_id", parentID); text("input", input); text("uri", uri)
        json("locator", locator); text("stage", stage); text("reason", reason); json("details", details)
        text("credential_fp", credentialFingerprint); text("prev_hash", prevHash); text("hash", hash)
        return .object(o)
    }

    /// Column names in `json`'s order, for CSV headers.
    public static let columnNames = ["seq", "run_id", "time", "actor", "event", "record_id", "parent_id", "input", "uri",
                                     "locator", "stage", "reason", "details", "credential_fp", "prev_hash", "hash"]

    /// The row's values as text in `columnNames` order (nil for NULL).
    public var texts: [String?] {
        [String(seq), runID, time, actor, event, recordID, parentID, input, uri, locator, stage, reason, details,
         credentialFingerprint, prevHash, hash]
    }
}
