import Foundation
import GRDB
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// `sluice audit` on the audit trail of real runs of the real binary.
@Suite struct AuditCLITests {
    static let pipeline = TemporaryProject.pipeline(
        name: "chunked", stages: ["type: require_fields\nfields: [/title]", "type: chunk\nfield: /body\nmax_size: 40"],
        outputs: ["type: jsonl\npath: out/chunks.jsonl"], quarantine: "out/quarantine.jsonl", limits: ["max_quarantine_ratio: 0.9"])

    func project() throws -> TemporaryProject {
        try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": """
            {"id": "d1", "title": "One", "body": "The first paragraph is short.\\n\\nThe second paragraph is somewhat longer than forty characters."}
            {"id": "d2", "body": "no title here"}
            {"id": "d3", "title": "Three", "body": ""}

            """])
    }

    /// The pipeline's `audit:` section: the key where `key_file` says (and `verify` finds it
    /// there), or no log at all with `enabled: false`.
    @Test func theAuditSectionPlacesTheKeyOrTurnsTheLogOff() throws {
        let dir = try project()
        defer { dir.remove() }
        try dir.write("pipeline.yaml", Self.pipeline + "\naudit:\n  key_file: keys/audit.key\n")
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        let key = dir.path("keys/audit.key").path
        #expect(FileManager.default.fileExists(atPath: key))
        #expect(!FileManager.default.fileExists(atPath: dir.path(".sluice/chunked/audit.key").path))
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let verify = try dir.sluice(["audit", "verify", "pipeline.yaml"])
        #expect(verify.status == 0, "the key is found through the pipeline: \(verify.stdout)\(verify.stderr)")
        // With --state alone the pipeline's setting is unknown: the signatures cannot be checked.
        #expect(try dir.sluice(["audit", "verify", "--state", ".sluice/chunked"]).status == 66)

        let off = try project()
        defer { off.remove() }
        try off.write("pipeline.yaml", Self.pipeline + "\naudit:\n  enabled: false\n")
        #expect(try off.sluice(["run", "pipeline.yaml"]).status == 0)
        let rows = try off.sluice(["audit", "query", "pipeline.yaml", "--format", "jsonl"])
        #expect(rows.status == 0, "\(rows.stderr)")
        #expect(rows.stdout.isEmpty, "\(rows.stdout)")
        #expect(!FileManager.default.fileExists(atPath: off.path(".sluice/chunked/digests").path))
    }

    @Test func chunkLineageThroughARealRun() throws {
        let dir = try project()
        defer { dir.remove() }
        let run = try dir.sluice(["run", "pipeline.yaml"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try dir.text("out/chunks.jsonl").split(separator: "\n")
        #expect(lines.count >= 2)
        let chunk = try JSONParser.parse(String(lines[1]))
        let chunkID = try #require(chunk["_sluice"]?["id"]?.stringValue)
        #expect(chunkID.hasPrefix("d1#"))

        let trace = try dir.sluice(["audit", "trace", "pipeline.yaml", chunkID])
        #expect(trace.status == 0, "\(trace.stderr)")
        let rawSHA = try #require(chunk["_sluice"]?["sha256"]?.stringValue)
        #expect(trace.stdout.contains("source: data/a.jsonl"), "\(trace.stdout)")
        #expect(trace.stdout.contains("bytes sha256 \(rawSHA)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("record d1\n"), "\(trace.stdout)")
        #expect(trace.stdout.contains("chunked [chunk]"), "\(trace.stdout)")
        #expect(trace.stdout.contains("derived record \(chunkID)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("written"), "\(trace.stdout)")

        let json = try dir.sluice(["audit", "trace", "--state", ".sluice/chunked", chunkID, "--format", "jsonl"])
        #expect(json.status == 0, "\(json.stderr)")
        let t = try JSONParser.parse(json.stdout)
        #expect(t["source"]?["uri"] == "data/a.jsonl")
        #expect(t["source"]?["locator"]?["line"] == 1)
        #expect(t["lineage"]?.arrayValue?.first?["record_id"] == "d1")

        // Rejected and dropped records, with their reasons.
        let q = try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "quarantined", "--format", "jsonl"])
        #expect(q.status == 0)
        let rows = q.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(rows.count == 1)
        #expect(rows.first?["record_id"] == "d2")
        #expect(rows.first?["reason"] == "missing_field")
        let dropped = try dir.sluice(["audit", "query", "pipeline.yaml", "--record", "d3", "--format", "csv"])
        #expect(dropped.stdout.hasPrefix("seq,run_id,time,actor,event,"))
        #expect(dropped.stdout.contains(",dropped,"), "\(dropped.stdout)")
        #expect(dropped.stdout.contains("empty_text"), "\(dropped.stdout)")

        let verify = try dir.sluice(["audit", "verify", "pipeline.yaml"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact"))
        let stats = try dir.sluice(["audit", "stats", "pipeline.yaml"])
        #expect(stats.stdout.contains("missing_field"), "\(stats.stdout)")
        let missing = try dir.sluice(["audit", "trace", "pipeline.yaml", "nope"])
        #expect(missing.status == 66)
    }

    @Test func exportAndQueriesLeaveTheFileUnchangedAndVerifyCatchesAnEdit() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        let db = dir.path(".sluice/chunked/state.db")
        let before = ContentHash.sha256Hex(try Data(contentsOf: db))
        let runID = try #require(try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "run_started", "--format", "jsonl"])
            .stdout.split(separator: "\n").first.flatMap { try? JSONParser.parse(String($0)) }?["run_id"]?.stringValue)
        let export = try dir.sluice(["audit", "export", "pipeline.yaml", "--run", runID])
        #expect(export.status == 0)
        let exported = export.stdout.split(separator: "\n")
        #expect(exported.count > 5)
        #expect(exported.allSatisfy { $0.contains("\"hash\":\"") })
        _ = try dir.sluice(["audit", "query", "pipeline.yaml", "--since", "2000-01-01", "--uri", "data/*"])
        _ = try dir.sluice(["audit", "trace", "pipeline.yaml", "d1"])
        _ = try dir.sluice(["audit", "verify", "pipeline.yaml"])
        #expect(ContentHash.sha256Hex(try Data(contentsOf: db)) == before, "read-only commands changed the state DB")

        // An edit with sqlite's own tools: bytes of one row's reason changed in place.
        var data = try Data(contentsOf: db)
        let needle = Data("missing_field".utf8)
        var found = 0
        while let r = data.range(of: needle) { data.replaceSubrange(r, with: Data("missing_fielt".utf8)); found += 1 }
        #expect(found >= 1)
        try data.write(to: db)
        let verify = try dir.sluice(["audit", "verify", "pipeline.yaml"])
        #expect(verify.status == 65, "\(verify.stdout)")
        #expect(verify.stdout.contains("TAMPERED: first bad seq"), "\(verify.stdout)")
        #expect(verify.stdout.contains("altered_row"), "\(verify.stdout)")
    }

    /// A run killed mid-batch leaves a log that verifies; the next run resumes and signs it all.
    @Test func logStaysConsistentWhenARunIsKilled() throws {
        var text = ""
        for i in 0..<10_000 { text += "{\"id\": \"r\(i)\", \"title\": \"t\(i)\", \"body\": \"some text for record \(i)\"}\n" }
        let dir = try TemporaryProject(
            pipeline: TemporaryProject.pipeline(name: "big", stages: ["type: require_fields\nfields: [/title]"],
                                                outputs: ["type: jsonl\npath: out/docs.jsonl"], limits: ["batch_size: 100"]),
            files: ["data/big.jsonl": text])
        defer { dir.remove() }
        let exe = try #require(SluiceProcess.executable, "the sluice executable is built next to the tests")
        for attempt in 0..<3 {
            let p = Process()
            p.executableURL = exe
            p.arguments = ["run", "pipeline.yaml", "--quiet"]
            p.currentDirectoryURL = dir.url
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Kill it once some batches are out, at a moment the test does not choose.
            let out = dir.path("out/docs.jsonl")
            var waited = 0
            while p.isRunning && waited < 2000 {
                let size = (try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
                if size > 100_000 * (attempt + 1) { break }
                usleep(2000); waited += 1
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let verify = try dir.sluice(["audit", "verify", "--state", ".sluice/big"])
            #expect(verify.status == 0, "after kill \(attempt): \(verify.stdout)\(verify.stderr)")
        }
        let finish = try dir.sluice(["run", "pipeline.yaml"])
        #expect(finish.status == 0, "\(finish.stderr)")
        let verify = try dir.sluice(["audit", "verify", "--state", ".sluice/big"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(!verify.stdout.contains("after the last digest"), "the resumed run's digest covers the killed runs' rows: \(verify.stdout)")
        // Every kill left the log ending on a seal: the public key alone verifies it all.
        let pub = try dir.sluice(["audit", "public-key", "--state", ".sluice/big"])
        try dir.write("audit.pub", pub.stdout)
        let publicOnly = try dir.sluice(["audit", "verify", "--state", ".sluice/big", "--public-key", "audit.pub", "--key", "/nonexistent"])
        #expect(publicOnly.status == 0 && publicOnly.stdout.contains("intact"), "\(publicOnly.stdout)\(publicOnly.stderr)")
        // Every record received exactly once was written exactly once over all runs.
        let written = try dir.sluice(["audit", "query", "--state", ".sluice/big", "--event", "written", "--format", "csv"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.split(separator: "\r\n").count - 1 == 10_000, "\(written.stdout.prefix(300))")
    }
}

/// `kill -9` at random moments, from start-up on: every state the log is left in verifies (no
/// false alarm), with the public key alone, and ends on a seal.
@Suite(.serialized) struct AuditKillTests {
    @Test(.enabled(if: SluiceProcess.executable != nil)) func killNineAtRandomMomentsNeverRaisesAFalseAlarm() throws {
        var text = ""
        for i in 0..<4000 { text += "{\"id\": \"r\(i)\", \"title\": \"t\(i)\", \"body\": \"some text for record \(i)\"}\n" }
        // CrashTests.runAndKill runs `sluice run crash.yaml` in the project.
        let dir = try TemporaryProject(files: [
            "crash.yaml": TemporaryProject.pipeline(name: "kills", stages: ["type: require_fields\nfields: [/title]"],
                                                    outputs: ["type: jsonl\npath: out/docs.jsonl"], limits: ["batch_size: 50"]),
            "data/big.jsonl": text])
        defer { dir.remove() }
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["SLUICE_KILL_TEST_SEED"] ?? "") ?? 20261207)
        var killed = 0
        for attempt in 0..<8 {
            let delay = Double(rng.next() % 600) / 1000
            let r = try CrashTests.runAndKill(dir, after: delay)
            if r.killed { killed += 1 }
            guard FileManager.default.fileExists(atPath: dir.path(".sluice/kills/state.db").path) else { continue }
            let pub = try dir.sluice(["audit", "public-key", "--state", ".sluice/kills"])
            if pub.status == 0 { try dir.write("audit.pub", pub.stdout) }
            let verify = try dir.sluice(["audit", "verify", "--state", ".sluice/kills"] + (pub.status == 0 ? ["--public-key", "audit.pub"] : []))
            #expect(verify.status == 0 || (verify.status == 66 && pub.status != 0),
                    "after kill \(attempt) at \(delay) s: \(verify.stdout)\(verify.stderr)")
            #expect(!verify.stdout.contains("unsealed"), "\(verify.stdout)")
        }
        #expect(killed >= 2, "some runs were killed mid-way")
        let finish = try CrashTests.runAndKill(dir, after: nil)
        #expect(finish.status == 0)
        let verify = try dir.sluice(["audit", "verify", "--state", ".sluice/kills", "--public-key", "audit.pub"])
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)\(verify.stderr)")
    }
}

/// Heads kept elsewhere, the public key, signed exports and the run_started provenance, through
/// the real binary.
@Suite struct AuditSignedCLITests {
    func project() throws -> TemporaryProject { try AuditCLITests().project() }

    /// The audit tables opened for writing, with their append-only triggers lifted (what someone
    /// with write access to the file can do).
    func tamper(_ dir: TemporaryProject, _ sql: String, _ arguments: StatementArguments) throws {
        let q = try DatabaseQueue(path: dir.path(".sluice/chunked/state.db").path)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_seals_no_delete")
            try db.execute(sql: sql, arguments: arguments)
            // Put the triggers back, so only the content gives the tampering away.
            try db.execute(sql: """
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'x'); END;
                CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals BEGIN SELECT RAISE(ABORT, 'x'); END;
                """)
        }
        try q.close()
    }

    @Test func headsPublicKeyAndTruncation() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        let pub = try dir.sluice(["audit", "public-key", "pipeline.yaml"])
        #expect(pub.status == 0 && pub.stdout.hasPrefix("sluice-audit-public-key ed25519 "), "\(pub.stdout)\(pub.stderr)")
        try dir.write("kept/audit.pub", pub.stdout)
        let h1 = try dir.sluice(["audit", "head", "pipeline.yaml"])
        #expect(h1.status == 0, "\(h1.stderr)")
        try dir.write("kept/head1.json", h1.stdout)
        let head1 = try JSONParser.parse(h1.stdout)
        let seq1 = try #require(head1["seq"]?.numberValue?.intValue)
        // Clear the output so the second run writes again.
        try FileManager.default.removeItem(at: dir.path("out"))
        try dir.write("data/b.jsonl", "{\"id\": \"e1\", \"title\": \"Later\", \"body\": \"Another document.\"}\n")
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        try dir.write("kept/head2.json", try dir.sluice(["audit", "head", "pipeline.yaml"]).stdout)

        // No secret anywhere in reach: the key file is moved away.
        try FileManager.default.moveItem(at: dir.path(".sluice/chunked/audit.key"), to: dir.path("secret.key"))
        let ok = try dir.sluice(["audit", "verify", "--state", ".sluice/chunked", "--public-key", "kept/audit.pub",
                                 "--expect-head", "kept/head1.json", "kept/head2.json"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("intact") && ok.stdout.contains("2 expected heads"), "\(ok.stdout)")

        // The second run's rows, seals and digest removed: only the kept head tells.
        try tamper(dir, "DELETE FROM audit_events WHERE seq > ?; DELETE FROM audit_seals WHERE seq > ?", [seq1, seq1])
        let digests = try FileManager.default.contentsOfDirectory(atPath: dir.path(".sluice/chunked/digests").path).sorted()
        try FileManager.default.removeItem(at: dir.path(".sluice/chunked/digests/\(try #require(digests.last))"))
        let blind = try dir.sluice(["audit", "verify", "--state", ".sluice/chunked", "--public-key", "kept/audit.pub"])
        #expect(blind.status == 0, "without the head the cut is invisible (documented): \(blind.stdout)")
        let caught = try dir.sluice(["audit", "verify", "--state", ".sluice/chunked", "--public-key", "kept/audit.pub",
                                     "--expect-head", "kept/head2.json"])
        #expect(caught.status == 65, "\(caught.stdout)")
        #expect(caught.stdout.contains("TAMPERED: first bad seq \(seq1 + 1)"), "\(caught.stdout)")
        #expect(caught.stdout.contains("truncated_tail"), "\(caught.stdout)")
        // A head edited by hand no longer carries a valid signature.
        try dir.write("kept/forged.json", h1.stdout.replacingOccurrences(of: "\"seq\":\(seq1)", with: "\"seq\":\(seq1 + 50)"))
        let forged = try dir.sluice(["audit", "verify", "--state", ".sluice/chunked", "--public-key", "kept/audit.pub",
                                     "--expect-head", "kept/forged.json"])
        #expect(forged.status == 65 && forged.stdout.contains("forged_head"), "\(forged.stdout)")
    }

    @Test func signedExportsAreCheckedOffline() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        try dir.write("audit.pub", try dir.sluice(["audit", "public-key", "pipeline.yaml"]).stdout)
        for format in ["jsonl", "csv"] {
            let export = try dir.sluice(["audit", "export", "pipeline.yaml", "--format", format, "--manifest", "m.\(format).json"])
            #expect(export.status == 0, "\(export.stderr)")
            try dir.write("export.\(format)", export.stdout)
            let ok = try dir.sluice(["audit", "verify-export", "export.\(format)", "--manifest", "m.\(format).json", "--public-key", "audit.pub"])
            #expect(ok.status == 0 && ok.stdout.contains("intact"), "\(format): \(ok.stdout)\(ok.stderr)")

            // One row's reason changed after signing: named by its seq.
            let rows = export.stdout.components(separatedBy: format == "csv" ? "\r\n" : "\n").filter { !$0.isEmpty }
            let target = try #require(rows.firstIndex { $0.contains("missing_field") })
            let seq = try #require(Int(rows[target].prefix { $0 != "," && $0 != "}" }.drop { !$0.isNumber }.prefix { $0.isNumber }))
            try dir.write("export.\(format)", export.stdout.replacingOccurrences(of: "missing_field", with: "mislaid_field"))
            let edited = try dir.sluice(["audit", "verify-export", "export.\(format)", "--manifest", "m.\(format).json", "--public-key", "audit.pub"])
            #expect(edited.status == 65, "\(format): \(edited.stdout)")
            #expect(edited.stdout.contains("first bad seq \(seq)"), "\(format): \(edited.stdout)")

            // The manifest edited to match a shorter export: its signature gives it away.
            let manifest = try dir.text("m.\(format).json")
            try dir.write("m2.json", manifest.replacingOccurrences(of: "\"rows\":", with: "\"rows\":1"))
            let forged = try dir.sluice(["audit", "verify-export", "export.\(format)", "--manifest", "m2.json", "--public-key", "audit.pub"])
            #expect(forged.status == 65 && forged.stdout.contains("forged_manifest"), "\(format): \(forged.stdout)")
        }
    }

    @Test func archivesAreGzipSignedAndCheckedEndToEnd() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        try dir.write("audit.pub", try dir.sluice(["audit", "public-key", "pipeline.yaml"]).stdout)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        usleep(20_000)
        let cut = f.string(from: Date())
        usleep(20_000)
        try FileManager.default.removeItem(at: dir.path("out"))
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        let archived = try dir.sluice(["audit", "archive", "pipeline.yaml", "--before", cut, "--to", "a1.jsonl.gz"])
        #expect(archived.status == 0, "\(archived.stdout)\(archived.stderr)")
        let bytes = [UInt8](try Data(contentsOf: dir.path("a1.jsonl.gz")))
        #expect(bytes.prefix(2) == [0x1F, 0x8B], "a gzip file")
        #expect(try dir.sluice(["audit", "archive", "pipeline.yaml", "--before", cut, "--to", "a1.jsonl.gz"]).status == 64, "never overwritten")

        let alone = try dir.sluice(["audit", "verify", "pipeline.yaml", "--public-key", "audit.pub"])
        #expect(alone.status == 0 && alone.stdout.contains("continues from 1 archive"), "\(alone.stdout)\(alone.stderr)")
        let all = try dir.sluice(["audit", "verify", "pipeline.yaml", "--public-key", "audit.pub", "--archive", "a1.jsonl.gz"])
        #expect(all.status == 0 && all.stdout.contains("archived rows checked"), "\(all.stdout)\(all.stderr)")
        // The query no longer shows archived rows; the archive holds them.
        let q = try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "run_started", "--format", "jsonl"])
        #expect(q.stdout.split(separator: "\n").count == 1, "\(q.stdout)")

        // A damaged archive file is reported, not trusted.
        var damaged = bytes
        damaged[damaged.count / 2] ^= 0xFF
        try dir.write("a1-damaged.jsonl.gz", Data(damaged))
        let bad = try dir.sluice(["audit", "verify", "pipeline.yaml", "--public-key", "audit.pub", "--archive", "a1-damaged.jsonl.gz"])
        #expect(bad.status == 65 && bad.stdout.contains("forged_archive"), "\(bad.stdout)\(bad.stderr)")
    }

    @Test func runStartedNamesTheRulesAndEveryRecordEventItsPlace() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "pipeline.yaml"]).status == 0)
        let started = try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "run_started", "--format", "jsonl"])
        let details = try #require(try JSONParser.parse(started.stdout.split(separator: "\n")[0].description)["details"])
        #expect(details["sluice_version"]?.stringValue?.isEmpty == false)
        #expect(details["pipeline_sha256"]?.stringValue == ContentHash.sha256Hex(try Data(contentsOf: dir.path("pipeline.yaml"))))
        #expect(details["config_sha256"]?.stringValue?.count == 64)
        // Every per-record event carries where the record came from.
        let all = try dir.sluice(["audit", "query", "pipeline.yaml", "--format", "jsonl"])
        let perRecord = try all.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            .filter { $0["record_id"]?.stringValue != nil }
        #expect(perRecord.contains { $0["event"] == "dropped" })
        for e in perRecord {
            #expect(e["locator"]?["line"] != nil, "\(e)")
        }
    }
}
