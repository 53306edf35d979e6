import Foundation
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// Signed exports: an export edited after signing is caught offline, naming the first bad seq.
@Suite struct AuditExportManifestTests {
    static let fixture: Result<AuditLogFixture, any Error> = Result { try AuditLogFixture.make(runs: 12, batches: 6, perBatch: 10) }

    /// The whole log as JSONL (as `sluice audit export` writes it) and its signed manifest.
    func export() throws -> (lines: [String], manifest: AuditExportManifest, key: AuditKey) {
        let f = try Self.fixture.get()
        let key = try AuditKey.load(f.keyFile, create: false)
        var hasher = AuditExportHasher()
        var lines: [String] = []
        for row in try f.rows() {
            let line = JSONWriter.string(row.json) + "\n"
            hasher.row(seq: row.seq, hash: row.hash, Array(line.utf8))
            lines.append(line)
        }
        let m = try AuditExportManifest.signed(hasher, rowFormat: "jsonl", filter: [:], at: Date(timeIntervalSince1970: 1_800_000_000), key: key)
        return (lines, m, key)
    }

    func check(_ lines: [String], _ m: AuditExportManifest, _ key: AuditPublicKey) -> AuditExportReport {
        AuditExportVerifier.verify(export: Array(lines.joined().utf8), manifest: m, key: key)
    }

    @Test func cleanExportsPassAndManifestsRoundTrip() throws {
        let (lines, m, key) = try export()
        #expect(lines.count > 1024, "more than one block")
        let parsed = try #require(AuditExportManifest.parse(Array(m.fileText.utf8)))
        let r = check(lines, parsed, key.publicKey)
        #expect(r.isClean, "\(r.damage)")
        #expect(r.rows == lines.count && r.firstSeq == 1)
        #expect(AuditExportManifest.parse(Array("{\"manifest\":{}}".utf8)) == nil)
    }

    @Test func editsAreNamedByTheirSeq() throws {
        let (lines, m, key) = try export()
        for seq in [1, 2, 500, 1024, 1025, 1400, lines.count] {
            var edited = lines
            edited[seq - 1] = edited[seq - 1].replacingOccurrences(of: "\"actor\":\"", with: "\"actor\":\"x")
            let r = check(edited, m, key.publicKey)
            #expect(r.firstBadSeq == Int64(seq), "edit at \(seq): \(r.damage)")
            // The row's hash recomputed too: the next row's link (or, for the last, the block) tells.
            var rehashed = lines
            var row = try #require(try Self.fixture.get().rows()[seq - 1])
            row.actor = "x" + row.actor
            AuditChain.seal(&row, after: row.prevHash)
            rehashed[seq - 1] = JSONWriter.string(row.json) + "\n"
            let r2 = check(rehashed, m, key.publicKey)
            #expect(!r2.isClean)
            #expect(r2.firstBadSeq == Int64(seq), "rehash at \(seq): \(r2.damage)")
        }
        // A row deleted; rows appended; the tail cut.
        var deleted = lines
        deleted.remove(at: 99)
        #expect(check(deleted, m, key.publicKey).firstBadSeq == 100)
        #expect(!check(lines + [lines[0]], m, key.publicKey).isClean)
        let cut = check(Array(lines.prefix(lines.count - 3)), m, key.publicKey)
        #expect(!cut.isClean, "\(cut.damage)")
    }

    @Test func forgedManifestsAndKeySwapsAreCaught() throws {
        let (lines, m, key) = try export()
        var edited = m
        edited.bodyBytes = Array(String(decoding: m.bodyBytes, as: UTF8.self).replacingOccurrences(of: "\"rows\":", with: "\"rows\":9").utf8)
        #expect(check(lines, edited, key.publicKey).damage.contains { $0.kind == .forgedManifest })
        let other = AuditKey(bytes: Array(repeating: 3, count: 32))
        #expect(check(lines, m, other.publicKey).damage.map(\.kind) == [.forgedManifest])
    }
}
