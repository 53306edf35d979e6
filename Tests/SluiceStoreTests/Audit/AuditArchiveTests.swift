import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// Retention: rows moved into signed archive files, the chain continuing across them, and the
/// attacks on archives (replayed, edited, foreign, record removed).
@Suite struct AuditArchiveTests {
    /// Archive files stored uncompressed (the store does not link zlib; the CLI's gzip codec is
    /// exercised by the CLI tests): real files, written and read back line by line.
    static let plain = AuditArchiveCodec(
        makeWriter: { url in
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            let h = try FileHandle(forWritingTo: url)
            return (write: { h.write(Data($0)) }, finish: { try h.synchronize(); try h.close() })
        },
        readLines: { url, each in
            let data = [UInt8](try Data(contentsOf: url))
            var start = 0
            for (i, b) in data.enumerated() where b == 0x0A {
                try each(Array(data[start..<i]))
                start = i + 1
            }
            if start < data.count { try each(Array(data[start...])) }
        })

    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A log of 4 runs with runs 0–1 archived to a1 and run 2 to a2.
    func archived() throws -> (AuditLogFixture, URL, URL) {
        let f = try AuditLogFixture.make()
        let db = try StateDatabase(path: f.dbPath, audit: f.settings)
        let a1 = f.dir.path("a1.jsonl"), a2 = f.dir.path("a2.jsonl")
        let r1 = try db.archiveAudit(before: Self.t0.addingTimeInterval(2 * 3600), to: a1, codec: Self.plain)
        #expect(r1.firstSeq == 1 && r1.lastSeq == 64 && r1.rows == 64)
        let r2 = try db.archiveAudit(before: Self.t0.addingTimeInterval(3 * 3600), to: a2, codec: Self.plain)
        #expect(r2.firstSeq == 65 && r2.lastSeq == 96)
        return (f, a1, a2)
    }

    func verify(_ f: AuditLogFixture, archives: [URL], key: AuditPublicKey? = nil) throws -> AuditVerifyReport {
        let secret = try AuditKey.load(f.keyFile, create: false)
        return try AuditReader(stateDirectory: f.stateDirectory)
            .verify(AuditVerifyOptions(publicKey: key ?? secret.publicKey, archiveFiles: archives, archiveCodec: Self.plain))
    }

    @Test func archivedLogsVerifyAloneAndEndToEndAndKeepGrowing() throws {
        let (f, a1, a2) = try archived()
        defer { f.remove() }
        #expect(try f.rows().first?.seq == 97)
        let alone = try verify(f, archives: [])
        #expect(alone.isClean, "\(alone.damage)")
        #expect(alone.archives == 2 && alone.firstSeq == 97 && alone.rows == 32)
        let all = try verify(f, archives: [a2, a1])
        #expect(all.isClean, "\(all.damage)")
        #expect(all.archivedRowsChecked == 96 && all.rows == 128)
        // A head in the archived rows: checked against the archive when it is given, noted otherwise.
        let seal32 = try sealAt(f, 32)
        let secret = try AuditKey.load(f.keyFile, create: false)
        let withHead = try AuditReader(stateDirectory: f.stateDirectory)
            .verify(AuditVerifyOptions(publicKey: secret.publicKey, expectedHeads: [("h", seal32)], archiveFiles: [a1, a2], archiveCodec: Self.plain))
        #expect(withHead.isClean && withHead.headsInArchives == 0, "\(withHead.damage)")
        var wrong = seal32
        wrong.hash = String(repeating: "0", count: 64)
        let caught = try AuditReader(stateDirectory: f.stateDirectory)
            .verify(AuditVerifyOptions(publicKey: secret.publicKey, expectedHeads: [("h", wrong)], archiveFiles: [a1, a2], archiveCodec: Self.plain))
        #expect(caught.damage.contains { $0.kind == .rewrittenLog && $0.seq == 32 }, "\(caught.damage)")
        let noted = try AuditReader(stateDirectory: f.stateDirectory).verify(AuditVerifyOptions(publicKey: secret.publicKey, expectedHeads: [("h", seal32)]))
        #expect(noted.isClean && noted.headsInArchives == 1)
        // The chain continues: a new run appends and seals after the archived rows.
        let db = try StateDatabase(path: f.dbPath, audit: f.settings)
        try db.beginRun(RunRecord(id: "run-9", pipeline: "p", startedAt: Self.t0.addingTimeInterval(9 * 3600), actor: "t@h"))
        try db.commit(BatchCommit(runID: "run-9", checkpoints: [:], ledger: RunLedger(),
                                  events: [AuditEvent(.runStarted, time: Self.t0.addingTimeInterval(9 * 3600))]))
        try db.finishRun(id: "run-9", finishedAt: Self.t0.addingTimeInterval(9 * 3600 + 5), status: "succeeded", exitStatus: 0, summary: [:])
        #expect(try verify(f, archives: [a1, a2]).isClean)
        // Not every archive given: an error, not a verdict.
        #expect(throws: SluiceError.self) { try verify(f, archives: [a1]) }
        // Nothing old enough: a clear error.
        #expect(throws: SluiceError.self) { try db.archiveAudit(before: Self.t0, to: f.dir.path("a3.jsonl"), codec: Self.plain) }
    }

    /// The seal whose seq is `seq`.
    func sealAt(_ f: AuditLogFixture, _ seq: Int64) throws -> AuditSeal {
        let q = try DatabaseQueue(path: f.dbPath)
        defer { try? q.close() }
        let row = try #require(try q.read { try Row.fetchOne($0, sql: "SELECT seq, hash, time, key_id, signature FROM audit_seals WHERE seq = ?", arguments: [seq]) })
        return AuditSeal(seq: row["seq"], hash: row["hash"], time: row["time"], keyID: row["key_id"], signature: row["signature"])
    }

    @Test func aReplayedOldArchiveIsCaught() throws {
        let (f, a1, _) = try archived()
        defer { f.remove() }
        // The second archive replaced by a copy of the first.
        let fake = f.dir.path("a2-replayed.jsonl")
        try FileManager.default.copyItem(at: a1, to: fake)
        let r = try verify(f, archives: [a1, fake])
        #expect(r.damage.map(\.kind) == [.forgedArchive], "\(r.damage)")
        #expect(r.firstBadSeq == 65)
    }

    @Test func anEditedArchiveIsCaughtAtItsRow() throws {
        let (f, a1, a2) = try archived()
        defer { f.remove() }
        for seq in [1, 30, 64] {
            let text = try String(contentsOf: a1, encoding: .utf8)
            var lines = text.components(separatedBy: "\n")
            lines[seq - 1] = lines[seq - 1].replacingOccurrences(of: "\"actor\":\"", with: "\"actor\":\"mallory-")
            let edited = f.dir.path("a1-edited-\(seq).jsonl")
            try lines.joined(separator: "\n").write(to: edited, atomically: true, encoding: .utf8)
            let r = try verify(f, archives: [edited, a2])
            #expect(r.firstBadSeq == Int64(seq), "edit at \(seq): \(r.damage)")
            #expect(r.damage.contains { $0.kind == .alteredRow }, "edit at \(seq): \(r.damage)")
        }
        // A row removed from the archive (its record still signed for 64 rows).
        var lines = try String(contentsOf: a1, encoding: .utf8).components(separatedBy: "\n")
        lines.remove(at: 9)
        let cut = f.dir.path("a1-cut.jsonl")
        try lines.joined(separator: "\n").write(to: cut, atomically: true, encoding: .utf8)
        let r = try verify(f, archives: [cut, a2])
        #expect(r.firstBadSeq == 10, "\(r.damage)")
    }

    @Test func foreignArchivesAndRemovedRecordsAreCaught() throws {
        let (f, a1, a2) = try archived()
        defer { f.remove() }
        // The same archive re-signed under another key.
        let other = AuditKey(bytes: Array(repeating: 9, count: 32))
        var lines = try String(contentsOf: a1, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let trailer = lines.removeLast()
        let body = String(trailer.dropFirst("{\"archive\":".count).dropLast(",\"signature\":\"".count + 128 + 2))
        lines.append("{\"archive\":" + body + ",\"signature\":\"" + (try other.signEd25519(Array(body.utf8))) + "\"}")
        let foreign = f.dir.path("a1-foreign.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: foreign, atomically: true, encoding: .utf8)
        let r = try verify(f, archives: [foreign, a2])
        #expect(r.damage.contains { $0.kind == .forgedArchive }, "\(r.damage)")
        // Auditing with the wrong public key: every archive record fails.
        let wrong = try verify(f, archives: [], key: other.publicKey)
        #expect(wrong.damage.filter { $0.kind == .forgedArchive }.count == 2, "\(wrong.damage)")

        // The newest archive's record deleted from the log (triggers lifted): the log no longer
        // continues from what it records.
        let q = try DatabaseQueue(path: f.dbPath)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER audit_archives_no_delete; DELETE FROM audit_archives WHERE last_seq = 96")
        }
        try q.close()
        let removed = try verify(f, archives: [])
        #expect(removed.firstBadSeq == 65, "\(removed.damage)")
        #expect(removed.damage.contains { $0.kind == .deletedRows }, "\(removed.damage)")
    }
}
