import Foundation
import SluiceCore
import GRDB
import SluiceJSON
import SluiceTesting
import Testing

/// `kill -9` at random moments of a real `sluice run`, rerun until it finishes, and the outputs
/// must equal an uninterrupted run's: the jsonl file byte for byte, the sqlite rows, the ledger
/// totals; no torn line; the state DB passes `sluice state check`.
///
/// `SLUICE_KILL_TEST_KILLS` (default 20) and `SLUICE_KILL_TEST_SEED` set the number of kills and
/// the seed; `scripts/kill-test N` runs this test with N kills.
@Suite(.serialized) struct CrashTests {
    static let pipeline = """
        name: crash
        base_dir: .
        inputs:
          - name: docs
            type: file
            paths: ["data/*.jsonl"]
            id: /id
        stages:
          - type: dedupe
            key: [/body]
            near_duplicates:
              threshold: 0.8
            versions:
              id: /doc_id
              order_by: /updated_at
        outputs:
          - name: records
            type: jsonl
            path: out/records.jsonl
          - name: db
            type: sqlite
            path: out/records.db
        quarantine:
          path: out/quarantine.jsonl
        limits:
          batch_size: 16
          max_quarantine_ratio: 0.5
        """

    /// A project with the pipeline as `crash.yaml` and a labelled corpus (plus a few broken lines).
    static func project(seed: UInt64) throws -> TemporaryProject {
        let project = try TemporaryProject(files: ["crash.yaml": pipeline])
        do {
            let corpus = DedupeCorpus(documents: 700, versioned: 80, seed: seed, wordsPerDocument: 40)
            var files: [[UInt8]] = [[], [], []]
            for (i, r) in corpus.records.enumerated() {
                files[i % 3] += JSONWriter.bytes(r) + [0x0A]
                if i % 211 == 5 { files[i % 3] += Array("{\"id\": \"broken-\(i)\", \"body\": \n".utf8) }
            }
            for (i, f) in files.enumerated() { try project.write("data/part-\(i).jsonl", Data(f)) }
        } catch {
            project.remove()
            throw error
        }
        return project
    }

    struct Outcome {
        var jsonl: Data
        var rows: [String]
        var quarantinedIDs: [String]
        var ledger: [String: Int]
    }

    static func outcome(_ dir: TemporaryProject) throws -> Outcome {
        let jsonl = try Data(contentsOf: dir.path("out/records.jsonl"))
        let db = try DatabaseQueue(path: dir.path("out/records.db").path)
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, parent, doc, input, uri, locator, sha256 FROM records ORDER BY id").map { "\($0)" }
        }
        let check = try db.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        let quarantine = (try? dir.text("out/quarantine.jsonl")) ?? ""
        var qids: [String] = []
        for line in quarantine.split(separator: "\n") {
            let v = try JSONParser.parse(String(line))
            qids.append((v["record_id"] ?? v["id"])?.stringValue ?? v["locator"].map { JSONWriter.string($0) } ?? "?")
        }
        let stats = try dir.sluice(["state", "stats", "crash.yaml", "--format", "json", "--runs", "100000"])
        #expect(stats.status == 0, "\(stats.stderr)")
        var ledger: [String: Int] = [:]
        for r in try JSONParser.parse(stats.stdout)["runs"]?.arrayValue ?? [] {
            for k in ["received", "written", "dropped"] { ledger[k, default: 0] += r[k]?.numberValue?.intValue ?? 0 }
        }
        return Outcome(jsonl: jsonl, rows: rows, quarantinedIDs: qids.sorted(), ledger: ledger)
    }

    /// Starts `sluice run`, kills it after `delay` seconds unless it finished; true when killed.
    static func runAndKill(_ dir: TemporaryProject, after delay: Double?) throws -> (killed: Bool, status: Int32) {
        let null = URL(fileURLWithPath: "/dev/null")
        let run = try SluiceProcess.start(["run", "crash.yaml", "--log-level", "error"], in: dir.url, stdout: null, stderr: null)
        guard let delay else { return (false, run.wait()) }
        let deadline = Date().addingTimeInterval(delay)
        while Date() < deadline {
            if let status = run.poll() { return (false, status) }
            usleep(2_000)
        }
        run.send(SIGKILL)
        let status = run.wait()
        // It may have finished just before the signal.
        return (status == 128 + SIGKILL, status)
    }

    @Test(.enabled(if: SluiceProcess.executable != nil)) func killNineAnywhereLosesAndDuplicatesNothing() throws {
        let env = ProcessInfo.processInfo.environment
        let target = Int(env["SLUICE_KILL_TEST_KILLS"] ?? "") ?? 20
        var rng = SplitMix64(seed: UInt64(env["SLUICE_KILL_TEST_SEED"] ?? "") ?? 20261130)
        let reference = try Self.project(seed: 5)
        defer { reference.remove() }
        let t0 = Date()
        let ref = try Self.runAndKill(reference, after: nil)
        let duration = Date().timeIntervalSince(t0)
        #expect(ref.status == 0)
        let expected = try Self.outcome(reference)
        #expect(expected.ledger["dropped", default: 0] > 50)
        #expect(expected.jsonl.count > 100_000)
        #expect(!expected.quarantinedIDs.isEmpty)

        var kills = 0, scenario = 0, killsAfterProgress = 0, killsMidOutput = 0
        while kills < target {
            scenario += 1
            let dir = try Self.project(seed: 5)
            defer { dir.remove() }
            var finished = false
            var attempts = 0
            while !finished {
                attempts += 1
                // Kill at any moment from start-up to well into the run; after the target, let it finish.
                let delay: Double? = kills < target && attempts < 400 ? Double(rng.next() % 1000) / 1000 * max(0.05, duration / 6) : nil
                let before = Self.outputSize(dir)
                let r = try Self.runAndKill(dir, after: delay)
                if r.killed {
                    kills += 1
                    let after = Self.outputSize(dir)
                    if after > before { killsAfterProgress += 1 }
                    if after > 0 && after < expected.jsonl.count { killsMidOutput += 1 }
                } else {
                    #expect(r.status == 0, "a rerun after a kill failed with \(r.status)")
                    finished = true
                }
            }
            let got = try Self.outcome(dir)
            #expect(got.jsonl == expected.jsonl, "jsonl differs after \(kills) kills")
            #expect(got.jsonl.last == 0x0A)
            #expect(got.rows == expected.rows, "sqlite rows differ after \(kills) kills")
            #expect(got.quarantinedIDs == expected.quarantinedIDs)
            #expect(got.ledger == expected.ledger, "ledger totals differ after \(kills) kills")
            let check = try dir.sluice(["state", "check", "crash.yaml"])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        #expect(kills >= target)
        // The kills must land during the work, not only at start-up.
        #expect(killsMidOutput * 2 >= kills, "only \(killsMidOutput) of \(kills) kills came while output was being written")
        print("kill test: \(kills) kills in \(scenario) scenario(s), \(killsAfterProgress) after progress, \(killsMidOutput) mid-output; uninterrupted run \(String(format: "%.2f", duration)) s")
    }

    @Test(.enabled(if: SluiceProcess.executable != nil)) func stateCheckFindsABrokenIndex() throws {
        let dir = try Self.project(seed: 9)
        defer { dir.remove() }
        #expect(try Self.runAndKill(dir, after: nil).status == 0)
        let ok = try dir.sluice(["state", "check", "crash.yaml"])
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.contains("dedupe index dedupe:dedupe is consistent"))
        let stats = try dir.sluice(["state", "stats", "crash.yaml"])
        #expect(stats.stdout.contains("documents indexed"))
        // Remove one indexed document behind the index's back.
        let db = try DatabaseQueue(path: dir.path(".sluice/crash/state.db").path)
        try db.write { db in
            try db.execute(sql: "DELETE FROM stage_state WHERE (namespace, key) IN (SELECT namespace, key FROM stage_state WHERE key LIKE 'k:%' LIMIT 1)")
        }
        let broken = try dir.sluice(["state", "check", "crash.yaml"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("FAIL") && broken.stdout.contains("missing from the key log"), "\(broken.stdout)")
    }

    /// The jsonl output's size on disk (what the last run left, committed or not).
    static func outputSize(_ dir: TemporaryProject) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: dir.path("out/records.jsonl").path))?[.size] as? Int) ?? 0
    }
}
