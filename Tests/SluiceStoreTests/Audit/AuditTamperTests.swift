import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// Every kind of damage, at many positions: always caught, at the right seq; clean logs always pass.
@Suite struct AuditTamperTests {
    static let fixture: Result<AuditLogFixture, any Error> = Result { try AuditLogFixture.make() }

    func original() throws -> AuditLogFixture { try Self.fixture.get() }

    /// The first and last rows, the rows around each run's edges, and a stride through the rest.
    func positions(_ n: Int) -> [Int] {
        Array(Set([1, 2, 3, n - 2, n - 1, n, 31, 32, 33, 64, 65, 97] + Array(stride(from: 5, to: n, by: 6)))).filter { $0 >= 1 && $0 <= n }.sorted()
    }

    /// Runs `damage` on a fresh copy of the log and returns verify's report.
    func damaged(_ damage: (AuditLogFixture) throws -> Void) throws -> AuditVerifyReport {
        let c = try original().copy()
        defer { c.remove() }
        try damage(c)
        return try c.verify()
    }

    @Test func cleanLogsVerify() throws {
        let f = try original()
        let r = try f.verify()
        #expect(r.isClean, "\(r.damage)")
        #expect(r.rows == 128)
        #expect(r.digests == 4)
        #expect(r.unsignedTail == 0)
        // An interrupted run leaves an unsigned tail, which is not damage; the next run signs it.
        let g = try AuditLogFixture.make(runs: 2, interruptedRunAtEnd: true)
        defer { g.remove() }
        let before = try g.verify()
        #expect(before.isClean, "\(before.damage)")
        #expect(before.unsignedTail == 31)
        let db = try StateDatabase(path: g.dbPath, audit: g.settings)
        try db.beginRun(RunRecord(id: "run-next", pipeline: "p", startedAt: Date(), actor: "t@h"))
        try db.commit(BatchCommit(runID: "run-next", checkpoints: [:], ledger: RunLedger(),
                                  events: [AuditEvent(.runFinished, time: Date(), reason: "succeeded")]))
        try db.finishRun(id: "run-next", finishedAt: Date(), status: "succeeded", exitStatus: 0, summary: [:])
        let after = try g.verify()
        #expect(after.isClean, "\(after.damage)")
        #expect(after.unsignedTail == 0)
        #expect(after.digests == 3)
    }

    @Test func updatedRowAtEveryPosition() throws {
        let rows = try original().rows()
        let changes = ["event = 'dropped'", "reason = 'forged'", "details = '{}'", "time = '2020-01-01T00:00:00.000Z'",
                       "actor = 'mallory@host'", "record_id = 'other'", "run_id = 'run-x'"]
        for seq in positions(rows.count) {
            for change in [changes[seq % changes.count], changes[(seq + 3) % changes.count]] {
                let r = try damaged { try $0.tamper("UPDATE audit_events SET \(change) WHERE seq = ?", arguments: [seq]) }
                #expect(!r.isClean, "UPDATE \(change) at seq \(seq) was not caught")
                #expect(r.firstBadSeq == Int64(seq), "seq \(seq): \(r.damage)")
                #expect(r.damage.contains { $0.kind == .alteredRow }, "seq \(seq): \(r.damage)")
            }
        }
    }

    @Test func editedHashAtEveryPosition() throws {
        let n = try original().rows().count
        for seq in positions(n) {
            let r = try damaged { try $0.tamper("UPDATE audit_events SET hash = ? WHERE seq = ?", arguments: [String(repeating: "ab", count: 32), seq]) }
            #expect(r.firstBadSeq == Int64(seq), "seq \(seq): \(r.damage)")
            #expect(r.damage.contains { $0.kind == .editedHash }, "seq \(seq): \(r.damage)")
        }
    }

    @Test func deletedRowAtEveryPosition() throws {
        let n = try original().rows().count
        for seq in positions(n) {
            let r = try damaged { try $0.tamper("DELETE FROM audit_events WHERE seq = ?", arguments: [seq]) }
            #expect(r.firstBadSeq == Int64(seq), "seq \(seq): \(r.damage)")
            let expected: AuditDamage.Kind = seq == n ? .truncatedTail : .deletedRows
            #expect(r.damage.contains { $0.kind == expected }, "seq \(seq): \(r.damage)")
        }
    }

    @Test func deletedRowsWithRenumbering() throws {
        let n = try original().rows().count
        for seq in positions(n) where seq < n - 1 {
            let r = try damaged {
                try $0.tamper("""
                    DELETE FROM audit_events WHERE seq = ?;
                    UPDATE audit_events SET seq = -(seq - 1) WHERE seq > ?;
                    UPDATE audit_events SET seq = -seq WHERE seq < 0;
                    """, arguments: [seq, seq])
            }
            #expect(r.firstBadSeq == Int64(seq), "seq \(seq): \(r.damage)")
            #expect(r.damage.contains { $0.kind == .deletedRows }, "seq \(seq): \(r.damage)")
            #expect(r.damage.contains { $0.kind == .truncatedTail || $0.kind == .rewrittenLog }, "the digests see it too: \(r.damage)")
        }
    }

    @Test func reorderedRows() throws {
        let n = try original().rows().count
        for a in positions(n) where a < n {
            for d in [1, 2, 5, 17] where a + d <= n {
                let b = a + d
                let r = try damaged {
                    try $0.tamper("""
                        UPDATE audit_events SET seq = -1 WHERE seq = ?;
                        UPDATE audit_events SET seq = ? WHERE seq = ?;
                        UPDATE audit_events SET seq = ? WHERE seq = -1;
                        """, arguments: [a, a, b, b])
                }
                #expect(r.firstBadSeq == Int64(a), "swap \(a)<->\(b): \(r.damage)")
                #expect(r.damage.contains { $0.kind == .reorderedRows }, "swap \(a)<->\(b): \(r.damage)")
            }
        }
    }

    /// A forged row inserted at `seq`, the rows from there on moved one up.
    func insertForged(at seq: Int, sealed: Bool, into c: AuditLogFixture) throws {
        let rows = try c.rows()
        var forged = AuditRow(seq: Int64(seq), runID: rows[seq - 1].runID, time: rows[seq - 1].time, actor: "mallory@host",
                              event: "written", recordID: "forged-1", details: "{\"outputs\":[\"out\"]}")
        if sealed {
            AuditChain.seal(&forged, after: seq == 1 ? AuditChain.genesis : rows[seq - 2].hash)
        } else {
            forged.prevHash = seq == 1 ? AuditChain.genesis : rows[seq - 2].hash
            forged.hash = String(repeating: "cd", count: 32)
        }
        try c.tamper("""
            UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= ?;
            UPDATE audit_events SET seq = -seq WHERE seq < 0;
            INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
            """, arguments: [seq, forged.seq, forged.runID, forged.time, forged.actor, forged.event, forged.recordID,
                             forged.details, forged.prevHash, forged.hash])
    }

    @Test func insertedForgedRow() throws {
        let n = try original().rows().count
        for seq in positions(n) {
            for sealed in [false, true] {
                let r = try damaged { try insertForged(at: seq, sealed: sealed, into: $0) }
                #expect(r.firstBadSeq == Int64(seq), "insert at \(seq) sealed \(sealed): \(r.damage)")
                #expect(r.damage.contains { $0.kind == .insertedRow }, "insert at \(seq) sealed \(sealed): \(r.damage)")
            }
        }
    }

    @Test func truncatedTail() throws {
        let n = try original().rows().count
        for keep in [0, 1, n / 2, n - 5, n - 1] {
            let r = try damaged { try $0.tamper("DELETE FROM audit_events WHERE seq > ?", arguments: [keep]) }
            #expect(r.damage.contains { $0.kind == .truncatedTail }, "kept \(keep): \(r.damage)")
            #expect(r.firstBadSeq == Int64(keep + 1), "kept \(keep): \(r.damage)")
        }
    }

    /// Someone who knows the algorithm changes a row and rebuilds the chain after it: only the
    /// signed digests can tell, and they do.
    @Test func rewrittenChainIsCaughtByTheDigests() throws {
        let n = try original().rows().count
        for seq in stride(from: 1, through: n, by: 9) {
            let r = try damaged { c in
                var rows = try c.rows()
                rows[seq - 1].reason = "rewritten"
                var prev = seq == 1 ? AuditChain.genesis : rows[seq - 2].hash
                try c.tamper("DELETE FROM audit_events WHERE seq >= ?", arguments: [seq])
                for i in (seq - 1)..<rows.count {
                    AuditChain.seal(&rows[i], after: prev)
                    prev = rows[i].hash
                    let x = rows[i]
                    try c.tamper("""
                        INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [x.seq, x.runID, x.time, x.actor, x.event, x.recordID, x.parentID, x.input, x.uri, x.locator,
                                         x.stage, x.reason, x.details, x.credentialFingerprint, x.prevHash, x.hash])
                }
            }
            #expect(r.damage.contains { $0.kind == .rewrittenLog }, "rewrite from \(seq): \(r.damage)")
        }
    }

    @Test func forgedMissingOrReplacedDigests() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: try original().dir.path("digests").path).sorted()
        #expect(names.count == 4)
        for (i, name) in names.enumerated() {
            // A digest edited by hand (its signature no longer matches).
            let edited = try damaged { c in
                let url = c.dir.path("digests/\(name)")
                let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"status\":\"succeeded\"", with: "\"status\":\"failed\"")
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            #expect(edited.damage.contains { $0.kind == .forgedDigest }, "\(name): \(edited.damage)")
            // A digest removed: the chain of digests breaks (or, for the last one, nothing links to it).
            let removed = try damaged { c in try FileManager.default.removeItem(at: c.dir.path("digests/\(name)")) }
            if i < names.count - 1 {
                #expect(removed.damage.contains { $0.kind == .brokenDigestChain }, "\(name): \(removed.damage)")
            } else {
                #expect(removed.isClean && removed.unsignedTail > 0, "the last digest removed shows as an unsigned tail")
            }
            // A digest signed under another key.
            let otherKey = try damaged { c in
                try String(repeating: "11", count: 32).write(to: c.keyFile, atomically: true, encoding: .utf8)
            }
            #expect(otherKey.damage.filter { $0.kind == .forgedDigest }.count == 4)
        }
    }

    @Test func droppedTriggersAreReported() throws {
        let r = try damaged { c in
            let q = try DatabaseQueue(path: c.dbPath)
            try q.write { try $0.execute(sql: "DROP TRIGGER audit_events_no_delete") }
            try q.close()
        }
        #expect(r.damage.map(\.kind) == [.triggersRemoved])
    }

    /// An edit made to the file's bytes, bypassing SQLite altogether.
    @Test func byteEditOfTheFileIsCaught() throws {
        let r = try damaged { c in
            var data = try Data(contentsOf: URL(fileURLWithPath: c.dbPath))
            // Every copy (table and index) of one record id, so SQLite itself sees nothing wrong.
            let needle = Data("rec-00042".utf8)
            var found = 0
            while let range = data.range(of: needle) {
                data.replaceSubrange(range, with: Data("rec-00999".utf8))
                found += 1
            }
            #expect(found >= 2)
            try data.write(to: URL(fileURLWithPath: c.dbPath))
        }
        #expect(!r.isClean)
        #expect(r.damage.contains { $0.kind == .alteredRow })
    }
}
