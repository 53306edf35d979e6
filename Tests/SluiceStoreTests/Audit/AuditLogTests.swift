import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

@Suite struct AuditLogTests {
    @Test func canonicalEncodingIsInjective() {
        let base = AuditRow(seq: 7, runID: "r", time: "t", actor: "a", event: "e")
        var nullVsEmpty = base
        nullVsEmpty.recordID = ""
        #expect(AuditChain.canonical(base) != AuditChain.canonical(nullVsEmpty))
        // Moving a boundary between two fields changes the bytes.
        var x = base, y = base
        x.recordID = "ab"; x.parentID = "c"
        y.recordID = "a"; y.parentID = "bc"
        #expect(AuditChain.canonical(x) != AuditChain.canonical(y))
        // The same row, the same hash; another prev, another hash.
        #expect(AuditChain.hash(base, prevHash: AuditChain.genesis) == AuditChain.hash(base, prevHash: AuditChain.genesis))
        #expect(AuditChain.hash(base, prevHash: AuditChain.genesis) != AuditChain.hash(base, prevHash: String(repeating: "1", count: 64)))
        // Known bytes: seq, then five required columns, then nine NULLs.
        let bytes = AuditChain.canonical(base)
        #expect(Array(bytes.prefix(10)) == [1, 0, 0, 0, 0, 0, 0, 0, 1, UInt8(ascii: "7")])
        #expect(bytes.count == 5 * 10 + 9)
        #expect(Array(bytes.suffix(9)) == Array(repeating: 0, count: 9))
    }

    @Test func rowsAreChainedAndCredentialsFingerprinted() throws {
        let f = try AuditLogFixture.make(runs: 1, batches: 1, perBatch: 3)
        defer { f.remove() }
        let rows = try f.rows()
        #expect(rows.map(\.seq) == Array(1...Int64(rows.count)))
        #expect(rows.first?.prevHash == AuditChain.genesis)
        for (a, b) in zip(rows, rows.dropFirst()) { #expect(b.prevHash == a.hash) }
        for r in rows { #expect(AuditChain.hash(r, prevHash: r.prevHash) == r.hash) }
        let received = rows.filter { $0.event == "received" }
        let key = try AuditKey.load(f.keyFile, create: false)
        #expect(received.allSatisfy { $0.credentialFingerprint == key.fingerprint(credential: "api") })
        // The credential's name is not stored, only its fingerprint.
        #expect(received.allSatisfy { !($0.details ?? "").contains("\"credential\"") })
        #expect(received.allSatisfy { $0.actor.hasSuffix("@" + ProcessInfo.processInfo.hostName) }, "the actor is user@host")
        // The key file is private.
        let mode = try FileManager.default.attributesOfItem(atPath: f.keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aFailedCommitLeavesNoRowsAndTheChainIntact() throws {
        let f = try AuditLogFixture.make(runs: 1, batches: 1, perBatch: 2)
        defer { f.remove() }
        let db = try StateDatabase(path: f.dbPath, audit: f.settings)
        try db.beginRun(RunRecord(id: "r2", pipeline: "p", startedAt: Date(), actor: "t@h"))
        let before = try f.rows().count
        // A checkpoint that is not JSON-valid in SQLite's eyes cannot happen; an unknown run's
        // ledger update is a no-op; so break the transaction with a stage-state write to a table
        // that a concurrent hand has dropped.
        let q = try DatabaseQueue(path: f.dbPath)
        try q.write { try $0.execute(sql: "ALTER TABLE stage_state RENAME TO stage_state_gone") }
        #expect(throws: (any Error).self) {
            try db.commit(BatchCommit(runID: "r2", checkpoints: [:], ledger: RunLedger(),
                                      events: [AuditEvent(.received, time: Date(), recordID: "lost")],
                                      stateWrites: [StateWrite(namespace: "n", key: "k", value: [1])]))
        }
        try q.write { try $0.execute(sql: "ALTER TABLE stage_state_gone RENAME TO stage_state") }
        try q.close()
        #expect(try f.rows().count == before, "the batch's events were rolled back with it")
        try db.commit(BatchCommit(runID: "r2", checkpoints: [:], ledger: RunLedger(),
                                  events: [AuditEvent(.received, time: Date(), recordID: "kept")]))
        let r = try f.verify()
        #expect(r.isClean, "\(r.damage)")
    }

    @Test func olderLogsAreChainedByTheMigration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("state.db").path
        // A v2 database with audit rows and no chain.
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1: checkpoints, runs, audit events'), ('v2: stage state');
                CREATE TABLE checkpoints (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, run_id TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE runs (id TEXT PRIMARY KEY NOT NULL, pipeline TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
                  status TEXT NOT NULL, exit_status INTEGER, actor TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,
                  derived INTEGER NOT NULL DEFAULT 0, written INTEGER NOT NULL DEFAULT 0, quarantined INTEGER NOT NULL DEFAULT 0,
                  dropped INTEGER NOT NULL DEFAULT 0, deferred INTEGER NOT NULL DEFAULT 0, forked INTEGER NOT NULL DEFAULT 0, summary TEXT);
                CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, time TEXT NOT NULL,
                  actor TEXT NOT NULL, event TEXT NOT NULL, record_id TEXT, parent_id TEXT, input TEXT, uri TEXT, locator TEXT,
                  stage TEXT, reason TEXT, details TEXT, credential_fp TEXT);
                CREATE INDEX audit_events_record ON audit_events(record_id);
                CREATE INDEX audit_events_run ON audit_events(run_id, seq);
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'append-only'); END;
                CREATE TABLE stage_state (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID;
                INSERT INTO audit_events (run_id, time, actor, event, record_id) VALUES ('old', '2026-01-01T00:00:00.000Z', 'a@h', 'received', 'x1');
                INSERT INTO audit_events (run_id, time, actor, event, record_id) VALUES ('old', '2026-01-01T00:00:01.000Z', 'a@h', 'written', 'x1');
                """)
        }
        try q.close()
        let db = try StateDatabase(path: path, audit: AuditSettings(keyFile: dir.path("audit.key")))
        try db.beginRun(RunRecord(id: "new", pipeline: "p", startedAt: Date(), actor: "t@h"))
        try db.commit(BatchCommit(runID: "new", checkpoints: [:], ledger: RunLedger(), events: [AuditEvent(.runFinished, time: Date())]))
        try db.finishRun(id: "new", finishedAt: Date(), status: "succeeded", exitStatus: 0, summary: [:])
        let r = try AuditReader(stateDirectory: dir.url).verify(key: try AuditKey.load(dir.path("audit.key"), create: false))
        #expect(r.isClean, "\(r.damage)")
        #expect(r.rows == 3)
        #expect(r.digests == 1)
    }

    @Test func auditCanBeTurnedOffForMeasurements() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let settings = AuditSettings.fromEnvironment(stateDirectory: dir.url, environment: ["SLUICE_AUDIT": "off"])
        #expect(!settings.enabled)
        let db = try StateDatabase(path: dir.path("state.db").path, audit: settings)
        try db.beginRun(RunRecord(id: "r", pipeline: "p", startedAt: Date(), actor: "t@h"))
        try db.commit(BatchCommit(runID: "r", checkpoints: [:], ledger: RunLedger(), events: [AuditEvent(.received, time: Date())]))
        try db.finishRun(id: "r", finishedAt: Date(), status: "succeeded", exitStatus: 0, summary: [:])
        var n = 0
        try AuditReader(stateDirectory: dir.url).rows(AuditFilter()) { _ in n += 1 }
        #expect(n == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.path("digests").path))
        #expect(AuditSettings.fromEnvironment(stateDirectory: dir.url, environment: ["SLUICE_AUDIT_KEY": "/k"]).keyFile.path == "/k")
    }

    @Test func thePipelineSectionIsOverriddenByTheEnvironment() {
        let state = URL(fileURLWithPath: "/srv/state")
        let plan = AuditPlan(enabled: true, keyFile: URL(fileURLWithPath: "/etc/sluice/audit.key"))
        #expect(AuditSettings.fromEnvironment(stateDirectory: state, environment: [:]).keyFile.path == "/srv/state/audit.key")
        #expect(AuditSettings.fromEnvironment(stateDirectory: state, plan: plan, environment: [:]).keyFile.path == "/etc/sluice/audit.key")
        #expect(AuditSettings.fromEnvironment(stateDirectory: state, plan: plan, environment: ["SLUICE_AUDIT_KEY": "/k"]).keyFile.path == "/k")
        #expect(AuditSettings.fromEnvironment(stateDirectory: state, plan: plan, environment: [:]).enabled)
        #expect(!AuditSettings.fromEnvironment(stateDirectory: state, plan: plan, environment: ["SLUICE_AUDIT": "off"]).enabled)
        #expect(!AuditSettings.fromEnvironment(stateDirectory: state, plan: AuditPlan(enabled: false), environment: [:]).enabled)
    }
}

@Suite struct AuditTimeTests {
    @Test func rowTimesAreRFC3339UTCWithMilliseconds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try StateDatabase(path: dir.path("state.db").path, audit: AuditSettings(keyFile: dir.path("audit.key")))
        let times = [1_790_000_001.25, 0, 951_782_400.5, 4_102_444_799.875].map { Date(timeIntervalSince1970: $0) }
        try db.beginRun(RunRecord(id: "r", pipeline: "p", startedAt: Date(), actor: "t@h"))
        try db.commit(BatchCommit(runID: "r", checkpoints: [:], ledger: RunLedger(),
                                  events: times.map { AuditEvent(.received, time: $0) }))
        var rows: [String] = []
        try AuditReader(stateDirectory: dir.url).rows(AuditFilter()) { rows.append($0.time) }
        #expect(rows == ["2026-09-21T14:13:21.250Z", "1970-01-01T00:00:00.000Z", "2000-02-29T00:00:00.500Z", "2099-12-31T23:59:59.875Z"])
        #expect(rows == times.map(Timestamp.string), "the same text as the state DB's other timestamps")
    }
}
