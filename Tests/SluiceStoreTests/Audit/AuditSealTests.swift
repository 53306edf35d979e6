import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// Seals, Ed25519 signatures and external heads: the attacks a key-less verifier must catch.
@Suite struct AuditSealTests {
    static let fixture: Result<AuditLogFixture, any Error> = Result { try AuditLogFixture.make() }

    func original() throws -> AuditLogFixture { try Self.fixture.get() }

    func publicKey(_ f: AuditLogFixture) throws -> AuditPublicKey { try AuditKey.load(f.keyFile, create: false).publicKey }

    /// Verifies `f` with only the public key (the secret key file is not read).
    func verifyPublic(_ f: AuditLogFixture, key: AuditPublicKey, heads: [AuditSeal] = []) throws -> AuditVerifyReport {
        try AuditReader(stateDirectory: f.stateDirectory)
            .verify(AuditVerifyOptions(publicKey: key, expectedHeads: heads.enumerated().map { ("head-\($0.offset)", $0.element) }))
    }

    func seals(_ f: AuditLogFixture) throws -> [AuditSeal] {
        let q = try DatabaseQueue(path: f.dbPath)
        defer { try? q.close() }
        return try q.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, hash, time, key_id, signature FROM audit_seals ORDER BY seq").map {
                AuditSeal(seq: $0["seq"], hash: $0["hash"], time: $0["time"], keyID: $0["key_id"], signature: $0["signature"])
            }
        }
    }

    /// A row chained correctly after the current last row (what someone who knows the algorithm forges).
    func appendForged(to c: AuditLogFixture) throws -> AuditRow {
        let last = try #require(try c.rows().last)
        var forged = AuditRow(seq: last.seq + 1, runID: last.runID, time: last.time, actor: "mallory@host", event: "written",
                              recordID: "forged-1", details: "{\"outputs\":[\"out\"]}")
        AuditChain.seal(&forged, after: last.hash)
        try c.tamper("INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     arguments: [forged.seq, forged.runID, forged.time, forged.actor, forged.event, forged.recordID, forged.details, forged.prevHash, forged.hash])
        return forged
    }

    func insertSeal(_ s: AuditSeal, into c: AuditLogFixture) throws {
        let q = try DatabaseQueue(path: c.dbPath)
        try q.write { db in
            try db.execute(sql: "INSERT INTO audit_seals (seq, hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                           arguments: [s.seq, s.hash, s.time, s.keyID, s.signature])
        }
        try q.close()
    }

    @Test func everyBatchIsSealedAndAPublicKeyAloneVerifies() throws {
        let f = try original()
        let seals = try seals(f)
        // 4 runs × (start + 3 batches + finish), one seal per committed batch.
        #expect(seals.count == 20)
        let rows = try f.rows()
        #expect(seals.last?.seq == rows.last?.seq)
        #expect(seals.allSatisfy { $0.signature?.count == 128 })
        let r = try verifyPublic(f, key: try publicKey(f))
        #expect(r.isClean, "\(r.damage)")
        #expect(r.signaturesChecked && r.seals == 20 && r.hmacDigestsUnchecked == 0)
        // The seals table is append-only, like the log.
        let q = try DatabaseQueue(path: f.dbPath)
        defer { try? q.close() }
        #expect(throws: DatabaseError.self) { try q.write { try $0.execute(sql: "DELETE FROM audit_seals WHERE seq = 1") } }
        #expect(throws: DatabaseError.self) { try q.write { try $0.execute(sql: "UPDATE audit_seals SET hash = 'x'") } }
    }

    @Test func aForgedAppendedRowIsUnsealed() throws {
        let c = try original().copy()
        defer { c.remove() }
        let n = Int64(try c.rows().count)
        _ = try appendForged(to: c)
        let r = try c.verify()
        #expect(r.damage.map(\.kind) == [.unsealedRows], "\(r.damage)")
        #expect(r.firstBadSeq == n + 1)
    }

    @Test func forgedSealsAreCaught() throws {
        let key = try publicKey(try original())
        let other = AuditKey(bytes: Array(repeating: 7, count: 32))
        // A seal signed by another key over the forged row; an unsigned one; a real signature copied
        // from the previous seal.
        for variant in 0..<3 {
            let c = try original().copy()
            defer { c.remove() }
            let n = Int64(try c.rows().count)
            let last = try #require(try seals(c).last)
            let forged = try appendForged(to: c)
            let seal: AuditSeal
            switch variant {
            case 0: seal = try AuditSeal.signed(seq: forged.seq, hash: forged.hash, time: forged.time, key: other)
            case 1: seal = AuditSeal(seq: forged.seq, hash: forged.hash, time: forged.time, keyID: key.keyID, signature: nil)
            default: seal = AuditSeal(seq: forged.seq, hash: forged.hash, time: forged.time, keyID: key.keyID, signature: last.signature)
            }
            try insertSeal(seal, into: c)
            let r = try verifyPublic(c, key: key)
            #expect(r.damage.map(\.kind) == [.forgedSeal], "variant \(variant): \(r.damage)")
            #expect(r.firstBadSeq == n + 1, "variant \(variant): \(r.damage)")
        }
    }

    /// Rows cut at a batch boundary with the later seals and the newest digest removed: only a head
    /// kept elsewhere can tell, and it does. With the seals left in place, they tell.
    @Test func truncationWithAndWithoutTheNewestDigest() throws {
        let f = try original()
        let key = try publicKey(f)
        let allSeals = try seals(f)
        let head = try #require(allSeals.last)
        let n = Int64(try f.rows().count)
        // The last run's rows begin after the third digest.
        let cut = allSeals[14].seq   // end of run 3
        let withSeals = try f.copy()
        defer { withSeals.remove() }
        try withSeals.tamper("DELETE FROM audit_events WHERE seq > ?", arguments: [cut])
        let r1 = try verifyPublic(withSeals, key: key)
        #expect(r1.damage.contains { $0.kind == .truncatedTail }, "\(r1.damage)")
        #expect(r1.firstBadSeq == cut + 1)

        let thorough = try f.copy()
        defer { thorough.remove() }
        try thorough.tamper("DELETE FROM audit_events WHERE seq > ?", arguments: [cut])
        let q = try DatabaseQueue(path: thorough.dbPath)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER audit_seals_no_delete; DELETE FROM audit_seals WHERE seq > ?", arguments: [cut])
            try db.execute(sql: "CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals BEGIN SELECT RAISE(ABORT, 'x'); END;")
        }
        try q.close()
        let digests = try FileManager.default.contentsOfDirectory(atPath: thorough.dir.path("digests").path).sorted()
        try FileManager.default.removeItem(at: thorough.dir.path("digests/\(try #require(digests.last))"))
        // Without the head: indistinguishable from a log that ended there (documented).
        let blind = try verifyPublic(thorough, key: key)
        #expect(blind.isClean, "\(blind.damage)")
        // With the head kept elsewhere: caught, naming the first missing seq.
        let r2 = try verifyPublic(thorough, key: key, heads: [head])
        #expect(r2.damage.map(\.kind) == [.truncatedTail], "\(r2.damage)")
        #expect(r2.firstBadSeq == cut + 1)
        #expect(head.seq == n)
    }

    /// A head whose row was changed and the chain and seals rebuilt by someone holding another key,
    /// a forged head, and a head of the intact log: only the first two fail.
    @Test func expectedHeadsAndKeySwap() throws {
        let f = try original()
        let key = try publicKey(f)
        let head = try #require(try seals(f).last)
        #expect(try verifyPublic(f, key: key, heads: [head, try seals(f)[3]]).isClean)

        var forgedHead = head
        forgedHead.hash = String(repeating: "ab", count: 32)
        let r = try verifyPublic(f, key: key, heads: [forgedHead])
        #expect(r.damage.contains { $0.kind == .forgedHead }, "\(r.damage)")
        // The range ends at the head; it starts after the last seal before it (which matches).
        let before = try #require(try seals(f).last { $0.seq < head.seq })
        #expect(r.damage.contains { $0.kind == .rewrittenLog && $0.seq == before.seq + 1 && $0.lastSeq == head.seq }, "\(r.damage)")

        // Key swap: the same history written under another key (a fresh key file per fixture).
        let swapped = try AuditLogFixture.make()
        defer { swapped.remove() }
        #expect(try publicKey(swapped) != key)
        let s = try verifyPublic(swapped, key: key)
        #expect(s.damage.contains { $0.kind == .forgedSeal }, "\(s.damage)")
        #expect(s.damage.filter { $0.kind == .forgedDigest }.count == 4, "\(s.damage)")
        #expect(s.firstBadSeq == 1)
        // Its own secret key (what the swapper left in the state folder) does not help the swapper
        // against a pinned public key, but verifies its own log.
        #expect(try swapped.verify().isClean)
    }

    /// Someone rebuilds the chain after changing a row, without the key: the seals catch it, naming
    /// the first seq after the last seal that still matches.
    @Test func rebuiltChainIsCaughtByTheSeals() throws {
        let f = try original()
        let key = try publicKey(f)
        let allSeals = try seals(f)
        for seq in [2, 17, 40, 77, 120] {
            let c = try f.copy()
            defer { c.remove() }
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
            try FileManager.default.removeItem(at: c.dir.path("digests"))
            let r = try verifyPublic(c, key: key)
            let sealIndex = try #require(allSeals.firstIndex { $0.seq >= Int64(seq) })
            let from = sealIndex == 0 ? 1 : allSeals[sealIndex - 1].seq + 1
            #expect(r.damage.map(\.kind) == [.rewrittenLog], "rewrite at \(seq): \(r.damage)")
            #expect(r.firstBadSeq == from, "rewrite at \(seq): \(r.damage)")
            #expect(from <= Int64(seq))
            // The finding names the range: from there to the first seal that no longer matches.
            let to = allSeals[sealIndex].seq
            #expect(r.damage.first?.lastSeq == to, "rewrite at \(seq): \(r.damage)")
            #expect(Int64(seq) <= to)
            #expect(r.damage.first?.description.hasPrefix(from == to ? "seq \(from): rewritten_log" : "seqs \(from)…\(to): rewritten_log") == true,
                    "\(r.damage)")
        }
    }

    @Test func headFilesRoundTripAndRejectGarbage() throws {
        let head = try #require(try seals(try original()).last)
        let parsed = try #require(AuditSeal.parseHead(head.headJSON))
        #expect(parsed == head)
        #expect(parsed.isValid(under: try publicKey(try original())))
        #expect(AuditSeal.parseHead("{\"format\":\"other\"}") == nil)
        #expect(AuditSeal.parseHead("not json") == nil)
        #expect(AuditPublicKey.parse("sluice-audit-public-key ed25519 zz") == nil)
        let pk = try publicKey(try original())
        #expect(AuditPublicKey.parse(pk.fileText) == pk)
    }
}
