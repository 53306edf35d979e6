import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

@Suite struct StateDatabaseTests {
    @Test func batchesCommitCheckpointsLedgerAndEventsTogether() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("state.db").path
        let db = try StateDatabase(path: path)
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        try db.beginRun(RunRecord(id: "r1", pipeline: "p", startedAt: t, actor: "me@here"))
        var ledger = RunLedger()
        ledger.received = 3
        ledger.written = 2
        ledger.quarantined = 1
        try db.commit(BatchCommit(runID: "r1", checkpoints: ["input:a": ["offset": 42]], ledger: ledger,
                                  events: [AuditEvent(.received, time: t, recordID: "x", locator: Locator(line: 3))]))
        #expect(try db.checkpoints() == ["input:a": ["offset": 42]])
        #expect(try db.unfinishedRuns().map(\.id) == ["r1"])
        #expect(try db.unfinishedRuns().first?.ledger == ledger)

        // Reopened from the file: what was committed is there.
        let again = try StateDatabase(path: path)
        #expect(try again.checkpoints()["input:a"]?["offset"] == 42)
        try again.beginRun(RunRecord(id: "r2", pipeline: "p", startedAt: t.addingTimeInterval(60), actor: "me@here"))
        let runs = try again.recentRuns(limit: 10)
        #expect(runs.map(\.id) == ["r2", "r1"])
        #expect(runs.last?.status == "interrupted")
        try again.finishRun(id: "r2", finishedAt: t.addingTimeInterval(61), status: "succeeded", exitStatus: 0, summary: ["ok": true])
        #expect(try again.unfinishedRuns().isEmpty)
    }

    @Test func auditEventsCannotBeUpdatedOrDeleted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try StateDatabase(path: dir.path("state.db").path)
        try db.beginRun(RunRecord(id: "r1", pipeline: "p", startedAt: Date(), actor: "me@here"))
        try db.commit(BatchCommit(runID: "r1", checkpoints: [:], ledger: RunLedger(),
                                  events: [AuditEvent(.received, time: Date(), recordID: "x")]))
        #expect(throws: DatabaseError.self) { try db.queue.write { try $0.execute(sql: "UPDATE audit_events SET event = 'forged'") } }
        #expect(throws: DatabaseError.self) { try db.queue.write { try $0.execute(sql: "DELETE FROM audit_events") } }
        let count = try db.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_events") }
        #expect(count == 1)
    }

    @Test func readOnlyOpenNeverWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("state.db").path
        _ = try StateDatabase(path: path)
        let ro = try StateDatabase(path: path, readOnly: true)
        #expect(throws: (any Error).self) { try ro.beginRun(RunRecord(id: "r", pipeline: "p", startedAt: Date(), actor: "a")) }
        #expect(throws: SluiceError.self) { _ = try StateDatabase(path: dir.path("absent.db").path, readOnly: true) }
    }

    @Test func sqliteOutputUpsertsByID() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ctx = BuildContext(pipeline: "p", instanceName: "db", baseDirectory: dir.url)
        let out = try SQLiteOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/x.db", quoted: false)),
                                                             "table": ConfigNode(.scalar("docs", quoted: false))],
                                                            fields: SQLiteOutput.descriptor.fields), context: ctx)
        let run = RunContext(runID: "r1", pipeline: "p", startedAt: Date(), baseDirectory: dir.url, stateDirectory: dir.url)
        let w = try out.open(checkpoint: nil, context: run)
        let prov = Provenance(input: "in", uri: "a.jsonl", locator: Locator(line: 1), sha256: "00")
        try w.write([Record(id: "a", value: ["v": 1], provenance: prov), Record(id: "b", value: ["v": 2], provenance: prov)])
        _ = try w.commit()
        try w.write([Record(id: "a", value: ["v": 3], provenance: prov)])
        _ = try w.commit()
        let q = try DatabaseQueue(path: dir.path("out/x.db").path)
        let rows = try q.read { try Row.fetchAll($0, sql: "SELECT id, json_extract(doc, '$.v') AS v, uri FROM docs ORDER BY id") }
        #expect(rows.map { $0["id"] as String } == ["a", "b"])
        #expect(rows.map { $0["v"] as Int } == [3, 2])
        #expect(rows.first?["uri"] as String? == "a.jsonl")
        #expect(throws: ConfigDiagnostic.self) {
            _ = try SQLiteOutput(options: ComponentOptions(["path": ConfigNode(.scalar("x.db", quoted: false)),
                                                            "table": ConfigNode(.scalar("x; DROP TABLE y", quoted: false))],
                                                           fields: SQLiteOutput.descriptor.fields), context: ctx)
        }
    }
}
