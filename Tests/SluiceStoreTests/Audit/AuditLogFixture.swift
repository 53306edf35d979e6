import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceStore
import SluiceTesting

/// A state folder with a real audit log: several finished runs (each with a signed digest) and
/// the events a pipeline writes.
struct AuditLogFixture {
    let dir: TemporaryDirectory
    var stateDirectory: URL { dir.url }
    var dbPath: String { dir.path("state.db").path }
    var keyFile: URL { dir.path("audit.key") }
    var settings: AuditSettings { AuditSettings(keyFile: keyFile) }

    /// `runs` finished runs of `batches` batches, each batch `perBatch` records with a few events each.
    static func make(runs: Int = 4, batches: Int = 3, perBatch: Int = 5, interruptedRunAtEnd: Bool = false) throws -> AuditLogFixture {
        let f = AuditLogFixture(dir: try TemporaryDirectory(prefix: "sluice-audit"))
        let db = try StateDatabase(path: f.dbPath, audit: f.settings)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        var n = 0
        for run in 0..<(runs + (interruptedRunAtEnd ? 1 : 0)) {
            let runID = "run-\(run)"
            let start = t0.addingTimeInterval(Double(run) * 3600)
            try db.beginRun(RunRecord(id: runID, pipeline: "p", startedAt: start, actor: "tester@host"))
            try db.commit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(),
                                      events: [AuditEvent(.runStarted, time: start, details: ["pipeline": "p"])]))
            for _ in 0..<batches {
                var events: [AuditEvent] = []
                var ledger = RunLedger()
                for _ in 0..<perBatch {
                    n += 1
                    let id = "rec-\(String(format: "%05d", n))"
                    let t = start.addingTimeInterval(Double(n))
                    events.append(AuditEvent(.received, time: t, recordID: id, input: "docs", uri: "data/f\(n % 3).jsonl",
                                             locator: Locator(line: n), details: ["sha256": .string(ContentHash.sha256Hex(id)), "credential": "api"]))
                    ledger.received += 1
                    if n % 4 == 0 {
                        events.append(AuditEvent(.quarantined, time: t, recordID: id, input: "docs", stage: "require_fields",
                                                 reason: "missing_field", details: ["pointer": "/title"]))
                        ledger.quarantined += 1
                    } else {
                        events.append(AuditEvent(.written, time: t, recordID: id, input: "docs", details: ["outputs": ["out"]]))
                        ledger.written += 1
                    }
                }
                try db.commit(BatchCommit(runID: runID, checkpoints: ["input:docs": ["n": .number(JSONNumber(n))]],
                                          ledger: ledger, events: events))
            }
            if run < runs {
                try db.commit(BatchCommit(runID: runID, checkpoints: [:], ledger: RunLedger(),
                                          events: [AuditEvent(.runFinished, time: start.addingTimeInterval(600), reason: "succeeded")]))
                try db.finishRun(id: runID, finishedAt: start.addingTimeInterval(600), status: "succeeded", exitStatus: 0, summary: ["ok": true])
            }
        }
        return f
    }

    /// A copy of the state folder (database, digests, key) to damage.
    func copy() throws -> AuditLogFixture {
        let c = AuditLogFixture(dir: try TemporaryDirectory(prefix: "sluice-audit-copy"))
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.url.path) where !name.hasPrefix("state.db-") {
            try? FileManager.default.removeItem(at: c.dir.path(name))
            try FileManager.default.copyItem(at: dir.path(name), to: c.dir.path(name))
        }
        return c
    }

    /// Raw SQL on the file, as someone with write access would run it (triggers dropped first).
    func tamper(_ sql: String, arguments: StatementArguments = []) throws {
        let q = try DatabaseQueue(path: dbPath)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete")
            try db.execute(sql: sql, arguments: arguments)
            // Put the triggers back, so only the content gives the tampering away.
            try db.execute(sql: """
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        try q.close()
    }

    func rows() throws -> [AuditRow] {
        var out: [AuditRow] = []
        try AuditReader(stateDirectory: stateDirectory).rows(AuditFilter()) { out.append($0) }
        return out
    }

    func verify() throws -> AuditVerifyReport {
        try AuditReader(stateDirectory: stateDirectory).verify(key: try AuditKey.load(keyFile, create: false))
    }

    func remove() { dir.remove() }
}
