import Foundation
import GRDB
public import SluiceCore
import SluiceJSON

extension StateDatabase {
    /// One run as `sluice state stats` shows it.
    public struct RunStats: Sendable {
        public var id: String
        public var status: String
        public var ledger: RunLedger
        /// Drop reason code → count, from the run's summary (empty for an interrupted run).
        public var dropReasons: [String: Int]
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` when the file is sound.
    public func integrityCheck() throws -> [String] {
        try queue.inDatabase { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The namespaces of stage state, with their number of keys.
    public func stageNamespaces() throws -> [(namespace: String, keys: Int)] {
        try queue.inDatabase { db in
            try Row.fetchAll(db, sql: "SELECT namespace, count(*) AS n FROM stage_state GROUP BY namespace ORDER BY namespace")
                .map { ($0["namespace"] as String, $0["n"] as Int) }
        }
    }

    /// Keys of one namespace counted by their prefix up to the first `:` (`d`, `x`, `b`, `v`, ...).
    public func stageKeyCounts(namespace: String) throws -> [String: Int] {
        try queue.inDatabase { db in
            var out: [String: Int] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT CASE WHEN instr(key, ':') > 0 THEN substr(key, 1, instr(key, ':') - 1) ELSE key END AS kind, count(*) AS n
                FROM stage_state WHERE namespace = ? GROUP BY kind
                """, arguments: [namespace])
            for r in rows { out[r["kind"] as String] = r["n"] as Int }
            return out
        }
    }

    /// The most recent runs (newest first) with their ledgers and drop reasons.
    public func runStats(limit: Int) throws -> [RunStats] {
        try queue.inDatabase { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit]).map { row in
                let run = StateDatabase.run(from: row)
                var reasons: [String: Int] = [:]
                if let text: String = row["summary"], let s = try? JSONParser.parse(text), let o = s["drop_reasons"]?.objectValue {
                    for (k, v) in o { reasons[k] = v.numberValue?.intValue ?? 0 }
                }
                return RunStats(id: run.id, status: run.status, ledger: run.ledger, dropReasons: reasons)
            }
        }
    }
}
