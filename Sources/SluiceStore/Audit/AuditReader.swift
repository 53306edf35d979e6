public import Foundation
import GRDB
import SluiceCore

/// The audit log of one state folder, opened read-only: what `sluice audit` uses.
///
/// Guarantee: nothing done through a reader changes the database file (SQLite read-only open).
public final class AuditReader {
    public let stateDirectory: URL
    let queue: DatabaseQueue

    public var databasePath: String { stateDirectory.appendingPathComponent("state.db").path }
    public var digestsDirectory: URL { stateDirectory.appendingPathComponent("digests", isDirectory: true) }

    public init(stateDirectory: URL) throws {
        self.stateDirectory = stateDirectory
        queue = try AuditQuery.open(path: stateDirectory.appendingPathComponent("state.db").path)
    }

    /// Every row matching `filter`, in seq order, streamed.
    public func rows(_ filter: AuditFilter, _ each: (AuditRow) throws -> Void) throws {
        try queue.read { db in try AuditQuery.rows(db, filter, each) }
    }

    public func trace(_ recordID: String, childLimit: Int = 1000) throws -> AuditTrace {
        try queue.read { db in try AuditQuery.trace(db, recordID: recordID, childLimit: childLimit) }
    }

    public func stats(runID: String? = nil) throws -> AuditStats {
        try queue.read { db in try AuditQuery.stats(db, runID: runID) }
    }

    /// Checks chain, seals, digests and triggers; `key` nil skips the signatures (reported as such).
    public func verify(key: AuditKey?) throws -> AuditVerifyReport {
        try verify(AuditVerifyOptions(secretKey: key))
    }

    /// Checks chain, seals, digests, triggers and the expected heads against `options`' keys.
    public func verify(_ options: AuditVerifyOptions) throws -> AuditVerifyReport {
        try AuditVerifier.verify(database: queue, digestsDirectory: digestsDirectory, options: options)
    }

    /// The last seal: the signed head of the log (nil for an empty log, or one from before seals).
    public func lastSeal() throws -> AuditSeal? {
        try queue.read { db in try AuditSeals.last(db) }
    }

    /// The current chain head (seq, hash), nil for an empty log.
    public func chainHead() throws -> (seq: Int64, hash: String)? {
        try queue.read { db in try AuditLog.head(db) }
    }
}
