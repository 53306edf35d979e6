public import Foundation
public import GRDB
public import SluiceCore
public import SluiceJSON

/// The embedded state DB (`.sluice/<pipeline>/state.db`): checkpoints, run ledger, audit events.
///
/// SQLite in WAL mode with `synchronous=FULL`, so a committed batch survives `kill -9` and power
/// loss. The schema is created and changed only through the named migrations in
/// `StateDatabase+Migrations.swift`.
public final class StateDatabase: StateStore {
    public let queue: DatabaseQueue
    public let path: String
    let actor: String
    /// The audit log's settings (from the environment unless given); the key is read or created
    /// when first needed.
    public let audit: AuditSettings
    private var auditKey: AuditKey?

    /// Opens (creating if needed) the state DB at `path`. `readOnly` opens an existing file
    /// without ever writing to it (for queries by other tools and people).
    public init(path: String, readOnly: Bool = false, audit: AuditSettings? = nil) throws {
        self.path = path
        self.actor = ProcessActor.current
        self.audit = audit ?? AuditSettings.fromEnvironment(stateDirectory: URL(fileURLWithPath: path).deletingLastPathComponent())
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(5)
        if !readOnly {
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        do {
            if !readOnly {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            if !readOnly { try StateDatabase.migrator.migrate(queue) }
        } catch let error as SluiceError {
            throw error
        } catch {
            throw SluiceError(readOnly ? .inputMissing : .cannotCreateOutput, "cannot open the state DB \(path)", cause: error)
        }
    }

    public func checkpoints() throws -> [String: JSONValue] {
        try queue.read { db in
            var out: [String: JSONValue] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM checkpoints") {
                let key: String = row["key"]
                let text: String = row["value"]
                out[key] = try JSONParser.parse(text)
            }
            return out
        }
    }

    public func value(namespace: String, key: String) throws -> [UInt8]? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM stage_state WHERE namespace = ? AND key = ?", arguments: [namespace, key]).map { [UInt8]($0) }
        }
    }

    public func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] {
        try queue.read { db in
            // Keys from `prefix` up to the next string after every key with that prefix.
            try Row.fetchAll(db, sql: "SELECT key, value FROM stage_state WHERE namespace = ? AND key >= ? AND key < ? ORDER BY key",
                             arguments: [namespace, prefix, prefix + "\u{10FFFF}"])
                .map { ($0["key"] as String, [UInt8]($0["value"] as Data)) }
        }
    }

    public func unfinishedRuns() throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE finished_at IS NULL ORDER BY started_at DESC").map(Self.run(from:))
        }
    }

    public func recentRuns(limit: Int) throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit]).map(Self.run(from:))
        }
    }

    public func beginRun(_ run: RunRecord) throws {
        try queue.write { db in
            // A run that never finished was interrupted: mark it so, keeping its committed counts.
            try db.execute(sql: "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE finished_at IS NULL",
                           arguments: [Timestamp.string(run.startedAt)])
            try db.execute(sql: """
                INSERT INTO runs (id, pipeline, started_at, status, actor) VALUES (?, ?, ?, 'running', ?)
                """, arguments: [run.id, run.pipeline, Timestamp.string(run.startedAt), run.actor])
        }
    }

    public func commit(_ batch: BatchCommit) throws {
        let auditKey = audit.enabled && !batch.events.isEmpty ? try key() : nil
        try queue.write { db in
            for (key, value) in batch.checkpoints {
                try db.execute(sql: """
                    INSERT INTO checkpoints (key, value, run_id, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at
                    """, arguments: [key, JSONWriter.string(value), batch.runID, Timestamp.string(Date())])
            }
            let l = batch.ledger
            try db.execute(sql: """
                UPDATE runs SET received = received + ?, derived = derived + ?, written = written + ?,
                  quarantined = quarantined + ?, dropped = dropped + ?, deferred = deferred + ?, forked = forked + ?
                WHERE id = ?
                """, arguments: [l.received, l.derived, l.written, l.quarantined, l.dropped, l.deferred, l.forked, batch.runID])
            if let auditKey {
                try AuditLog.append(batch.events, runID: batch.runID, actor: actor, in: db, sealWith: auditKey,
                                    fingerprint: { auditKey.fingerprint(credential: $0) })
            }
            if !batch.stateWrites.isEmpty {
                let put = try db.cachedStatement(sql: "INSERT INTO stage_state (namespace, key, value) VALUES (?, ?, ?) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value")
                let delete = try db.cachedStatement(sql: "DELETE FROM stage_state WHERE namespace = ? AND key = ?")
                for w in batch.stateWrites {
                    if let v = w.value {
                        try put.execute(arguments: [w.namespace, w.key, Data(v)])
                    } else {
                        try delete.execute(arguments: [w.namespace, w.key])
                    }
                }
            }
        }
    }

    /// Records the run's end and, with the audit log on, writes its signed digest to
    /// `<state dir>/digests/` after the transaction commits (a digest never covers uncommitted rows).
    public func finishRun(id: String, finishedAt: Date, status: String, exitStatus: Int32, summary: JSONValue) throws {
        let auditKey = audit.enabled ? try key() : nil
        let digests = digestsDirectory
        let digest = try queue.write { db -> AuditDigest? in
            try db.execute(sql: "UPDATE runs SET finished_at = ?, status = ?, exit_status = ?, summary = ? WHERE id = ?",
                           arguments: [Timestamp.string(finishedAt), status, Int(exitStatus), JSONWriter.string(summary), id])
            guard let auditKey else { return nil }
            return try AuditDigestWriter.make(db: db, runID: id, directory: digests, key: auditKey, now: finishedAt)
        }
        if let digest { try AuditDigestWriter.write(digest, to: digestsDirectory) }
    }

    /// `<state dir>/digests`.
    public var digestsDirectory: URL {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("digests", isDirectory: true)
    }

    private func key() throws -> AuditKey {
        if let auditKey { return auditKey }
        let k = try AuditKey.load(audit.keyFile, create: true)
        auditKey = k
        return k
    }

    static func run(from row: Row) -> RunRecord {
        var ledger = RunLedger()
        for term in RunLedger.Term.allCases { ledger[term] = row[term.rawValue] ?? 0 }
        let started: String = row["started_at"] ?? ""
        let finished: String? = row["finished_at"]
        return RunRecord(id: row["id"] ?? "", pipeline: row["pipeline"] ?? "",
                         startedAt: Timestamp.date(started) ?? Date(timeIntervalSince1970: 0),
                         finishedAt: finished.flatMap(Timestamp.date), status: row["status"] ?? "",
                         ledger: ledger, actor: row["actor"] ?? "")
    }
}
