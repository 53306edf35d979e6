import Foundation
import GRDB
import SluiceCore
import SluiceJSON

/// Appends audit events to the `audit_events` table inside the caller's transaction, extending
/// the hash chain: each row's `prev_hash` is the previous row's `hash`, and its `hash` covers the
/// previous hash and the row's canonical encoding (`AuditChain`). Because the rows are written in
/// the batch's own transaction, a batch and its events are committed together or not at all.
enum AuditLog {
    /// `fingerprint` turns a credential name (an event's `details.credential`) into its HMAC
    /// fingerprint; the name itself is not stored. With `key`, the new head is sealed (signed) in
    /// the same transaction (`AuditSeal`).
    static func append(_ events: [AuditEvent], runID: String, actor: String, in db: Database, sealWith key: AuditKey? = nil,
                       fingerprint: (String) throws -> String) throws {
        guard !events.isEmpty else { return }
        let (last, prev) = try head(db) ?? (0, AuditChain.genesis)
        var seq = last
        var sealer = AuditChain.Sealer(prevHash: prev)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Events of a batch mostly share their millisecond: format each millisecond once.
        var lastMillis = Int64.min
        var lastTime = ""
        // Runs of events share their details (every `written` row of a batch names the same outputs).
        var lastDetails: JSONValue?
        var lastDetailsText: String?
        for e in events {
            seq += 1
            let millis = AuditTime.millis(e.time)
            if millis != lastMillis {
                lastMillis = millis
                lastTime = AuditTime.string(millis: millis, e.time)
            }
            var details = e.details
            var fp = e.credentialFingerprint
            if case .object(var o)? = details, case .string(let name)? = o["credential"] {
                if fp == nil { fp = try fingerprint(name) }
                o["credential"] = nil
                details = o.isEmpty ? nil : .object(o)
            }
            if details != lastDetails {
                lastDetails = details
                lastDetailsText = details.map { JSONWriter.string($0) }
            }
            var row = AuditRow(seq: seq, runID: runID, time: lastTime, actor: actor, event: e.event,
                               recordID: e.recordID, parentID: e.parentID, input: e.input, uri: e.uri,
                               locator: e.locator.map { JSONWriter.string(RecordEncoding.locator($0)) }, stage: e.stage,
                               reason: e.reason, details: lastDetailsText, credentialFingerprint: fp)
            sealer.seal(&row)
            try statement.execute(arguments: [
                row.seq, row.runID, row.time, row.actor, row.event, row.recordID, row.parentID, row.input, row.uri,
                row.locator, row.stage, row.reason, row.details, row.credentialFingerprint, row.prevHash, row.hash,
            ])
        }
        if let key {
            try AuditSeals.append(try AuditSeal.signed(seq: seq, hash: sealer.prevHex, time: lastTime, key: key), in: db)
        }
    }

    /// The last row's seq and hash, nil for an empty log.
    static func head(_ db: Database) throws -> (Int64, String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") else { return nil }
        return (row["seq"], row["hash"] ?? AuditChain.genesis)
    }
}
