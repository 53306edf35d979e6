import Foundation
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

@Suite struct AuditQueryTests {
    func rows(_ f: AuditLogFixture, _ configure: (inout AuditFilter) -> Void) throws -> [AuditRow] {
        var filter = AuditFilter()
        configure(&filter)
        var out: [AuditRow] = []
        try AuditReader(stateDirectory: f.stateDirectory).rows(filter) { out.append($0) }
        return out
    }

    @Test func filtersNarrowTheRows() throws {
        let f = try AuditLogFixture.make(runs: 2, batches: 2, perBatch: 4)
        defer { f.remove() }
        let all = try rows(f) { _ in }
        #expect(all.count == 2 * (2 + 2 * 8))
        #expect(try rows(f) { $0.recordID = "rec-00003" }.map(\.event) == ["received", "written"])
        #expect(try rows(f) { $0.runID = "run-1" }.allSatisfy { $0.runID == "run-1" })
        #expect(try rows(f) { $0.event = "quarantined" }.count == 4)
        #expect(try rows(f) { $0.reason = "missing_field"; $0.stage = "require_fields" }.count == 4)
        #expect(try rows(f) { $0.uriGlob = "data/f1.*" }.allSatisfy { $0.uri == "data/f1.jsonl" })
        #expect(try rows(f) { $0.uriGlob = "data/f1.*" }.count > 0)
        #expect(try rows(f) { $0.input = "nope" }.isEmpty)
        let key = try AuditKey.load(f.keyFile, create: false)
        #expect(try rows(f) { $0.credentialFingerprints = [key.fingerprint(credential: "api")] }.count == 16)
        #expect(try rows(f) { $0.credentialFingerprints = [key.fingerprint(credential: "other")] }.isEmpty)
        // Time range: the second run starts an hour after the first.
        let start = Date(timeIntervalSince1970: 1_790_000_000 + 3600)
        #expect(try rows(f) { $0.since = start }.allSatisfy { $0.runID == "run-1" })
        #expect(try rows(f) { $0.until = start }.allSatisfy { $0.runID == "run-0" })
        #expect(try rows(f) { $0.limit = 3 }.map(\.seq) == [1, 2, 3])
        let stats = try AuditReader(stateDirectory: f.stateDirectory).stats()
        #expect(stats.perRun.first { $0.run == "run-0" && $0.event == "received" }?.count == 8)
        #expect(stats.perReason.first { $0.reason == "missing_field" }?.count == 4)
    }

    @Test func readOnlyQueriesNeverChangeTheFile() throws {
        let f = try AuditLogFixture.make(runs: 2)
        defer { f.remove() }
        func fileHash() throws -> String {
            ContentHash.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: f.dbPath)))
        }
        let before = try fileHash()
        let reader = try AuditReader(stateDirectory: f.stateDirectory)
        _ = try rows(f) { $0.event = "received" }
        _ = try reader.trace("rec-00002")
        _ = try reader.stats()
        _ = try reader.verify(key: try AuditKey.load(f.keyFile, create: false))
        #expect(try fileHash() == before)
        #expect(!FileManager.default.fileExists(atPath: f.dbPath + "-journal"))
    }

    @Test func traceFollowsChunksToTheirSource() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try StateDatabase(path: dir.path("state.db").path, audit: AuditSettings(keyFile: dir.path("audit.key")))
        let t = Date(timeIntervalSince1970: 1_790_000_000)
        try db.beginRun(RunRecord(id: "r", pipeline: "p", startedAt: t, actor: "t@h"))
        try db.commit(BatchCommit(runID: "r", checkpoints: [:], ledger: RunLedger(), events: [
            AuditEvent(.credentialUsed, time: t, input: "api", uri: "https://x.test/doc/1", details: ["credential": "token"]),
            AuditEvent(.received, time: t, recordID: "doc1", input: "api", uri: "https://x.test/doc/1",
                       locator: Locator(index: 0), details: ["sha256": "abc", "credential": "token"]),
            AuditEvent(.repaired, time: t, recordID: "doc1", stage: "repair", details: ["fixes": ["mojibake"]]),
            AuditEvent(.chunked, time: t, recordID: "doc1", stage: "chunk", details: ["child_ids": ["doc1#a", "doc1#b"]]),
            AuditEvent(.written, time: t, recordID: "doc1#a", parentID: "doc1", details: ["outputs": ["out"]]),
            AuditEvent(.written, time: t, recordID: "doc1#b", parentID: "doc1", details: ["outputs": ["out"]]),
        ]))
        let trace = try AuditReader(stateDirectory: dir.url).trace("doc1#b")
        #expect(trace.lineage.map(\.recordID) == ["doc1", "doc1#b"])
        #expect(trace.source?.event == "received")
        #expect(trace.source?.details?.contains("abc") == true)
        #expect(trace.lineage[0].events.map(\.event) == ["received", "repaired", "chunked"])
        #expect(trace.upstream.map(\.event) == ["credential_used"])
        #expect(trace.upstream.first?.credentialFingerprint == trace.source?.credentialFingerprint)
        let parent = try AuditReader(stateDirectory: dir.url).trace("doc1")
        #expect(parent.children.sorted() == ["doc1#a", "doc1#b"])
        #expect(try AuditReader(stateDirectory: dir.url).trace("nothing").isEmpty)
    }
}
