import Foundation
import GRDB

extension StateDatabase {
    /// Batch lookup of stage state: one read transaction and one cached statement for all keys.
    public func values(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        return try queue.inDatabase { db in
            let st = try db.cachedStatement(sql: "SELECT value FROM stage_state WHERE namespace = ? AND key = ?")
            var out: [String: [UInt8]] = [:]
            // One transaction around the lookups: without it every SELECT takes and drops the
            // shared lock and checks the WAL on its own (half the system time of a dedupe run).
            try db.inTransaction(.deferred) {
                for k in keys {
                    if let d = try Data.fetchOne(st, arguments: [namespace, k]) { out[k] = [UInt8](d) }
                }
                return .commit
            }
            return out
        }
    }
}
