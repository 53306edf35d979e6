import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// A state folder from before seals and Ed25519 (HMAC digests, no `audit_seals`) keeps verifying,
/// gets its head marked by the migration, and continues with signed seals and digests.
@Suite struct AuditSigningMigrationTests {
    /// Turns a fresh fixture into what the previous version left: no seals table, one format-1
    /// digest (HMAC-SHA256 of its body under the secret key, as docs/compliance.md describes).
    func legacyFolder() throws -> (AuditLogFixture, String) {
        let f = try AuditLogFixture.make(runs: 2)
        let q = try DatabaseQueue(path: f.dbPath)
        let (last, head) = try q.write { db -> (Int64, String) in
            try db.execute(sql: "DROP TABLE audit_seals; DELETE FROM grdb_migrations WHERE identifier = 'v4: audit seals'")
            let row = try #require(try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"))
            return (row["seq"], row["hash"])
        }
        try q.close()
        try FileManager.default.removeItem(at: f.dir.path("digests"))
        try FileManager.default.createDirectory(at: f.dir.path("digests"), withIntermediateDirectories: true)
        let key = try AuditKey.load(f.keyFile, create: false)
        let body = JSONWriter.string([
            "format": "sluice-audit-digest/1", "run_id": "run-1", "pipeline": "p", "status": "succeeded",
            "first_seq": .number(JSONNumber(1)), "last_seq": .number(JSONNumber(Int(last))), "head_hash": .string(head),
            "prev_digest": .null, "created_at": "2026-09-21T10:00:00.000Z", "ledger": [:],
        ])
        let file = "{\"digest\":" + body + ",\"signature\":\"" + key.sign(Array(body.utf8)) + "\"}\n"
        try file.write(to: f.dir.path("digests/000000000001-run-1.json"), atomically: true, encoding: .utf8)
        return (f, file)
    }

    @Test func legacyLogsVerifyAndContinueSigned() throws {
        let (f, file) = try legacyFolder()
        defer { f.remove() }
        let key = try AuditKey.load(f.keyFile, create: false)
        let n = Int64(try f.rows().count)
        // Read-only, before any new run: no seals yet, the HMAC digest checked with the secret key.
        let before = try f.verify()
        #expect(before.isClean, "\(before.damage)")
        #expect(!before.sealsPresent && before.digests == 1 && before.hmacDigestsUnchecked == 0)
        // An edited HMAC digest is still caught.
        let edited = try f.copy()
        defer { edited.remove() }
        try file.replacingOccurrences(of: "succeeded", with: "failed").write(to: edited.dir.path("digests/000000000001-run-1.json"), atomically: true, encoding: .utf8)
        #expect(try edited.verify().damage.map(\.kind) == [.forgedDigest])

        // Opening it for writing runs the migration: an unsigned marker at the old head.
        let db = try StateDatabase(path: f.dbPath, audit: f.settings)
        let marked = try f.verify()
        #expect(marked.isClean, "\(marked.damage)")
        #expect(marked.legacySealSeq == n && marked.seals == 1)

        // The next run is sealed and signed; its digest links to the HMAC one.
        try db.beginRun(RunRecord(id: "run-new", pipeline: "p", startedAt: Date(timeIntervalSince1970: 1_800_000_000), actor: "t@h"))
        try db.commit(BatchCommit(runID: "run-new", checkpoints: [:], ledger: RunLedger(),
                                  events: [AuditEvent(.runStarted, time: Date(timeIntervalSince1970: 1_800_000_000))]))
        try db.finishRun(id: "run-new", finishedAt: Date(timeIntervalSince1970: 1_800_000_060), status: "succeeded", exitStatus: 0, summary: [:])
        let publicOnly = try AuditReader(stateDirectory: f.stateDirectory).verify(AuditVerifyOptions(publicKey: key.publicKey))
        #expect(publicOnly.isClean, "\(publicOnly.damage)")
        #expect(publicOnly.seals == 2 && publicOnly.digests == 2 && publicOnly.hmacDigestsUnchecked == 1)
        let both = try f.verify()
        #expect(both.isClean && both.hmacDigestsUnchecked == 0, "\(both.damage)")
        let names = try FileManager.default.contentsOfDirectory(atPath: f.dir.path("digests").path).sorted()
        let newest = try String(contentsOf: f.dir.path("digests/\(try #require(names.last))"), encoding: .utf8)
        #expect(newest.contains("\"format\":\"sluice-audit-digest/2\"") && newest.contains("\"key_id\":\"\(key.publicKey.keyID)\""))

        // A second unsigned "marker" appended later is a forgery, not a migration.
        let q = try DatabaseQueue(path: f.dbPath)
        let (seq, hash) = try q.write { db -> (Int64, String) in
            try db.execute(sql: "INSERT INTO audit_events (seq, run_id, time, actor, event, prev_hash, hash) SELECT seq + 1, run_id, time, 'm@h', 'written', hash, 'x' FROM audit_events ORDER BY seq DESC LIMIT 1")
            let r = try #require(try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"))
            return (r["seq"], r["hash"])
        }
        try q.write { try $0.execute(sql: "INSERT INTO audit_seals (seq, hash, time) VALUES (?, ?, '2026-01-01T00:00:00.000Z')", arguments: [seq, hash]) }
        try q.close()
        let forged = try f.verify()
        #expect(forged.damage.contains { $0.kind == .forgedSeal && $0.seq == seq }, "\(forged.damage)")
    }
}
