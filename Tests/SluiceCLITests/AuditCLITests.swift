import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// `sluice audit` on the audit trail of real runs of the real binary.
@Suite struct AuditCLITests {
    static let pipeline = """
        name: chunked
        inputs:
          - name: docs
            type: file
            paths: data/*.jsonl
            id: /id
        stages:
          - type: require_fields
            fields: [/title]
          - type: chunk
            field: /body
            max_size: 40
        outputs:
          - type: jsonl
            path: out/chunks.jsonl
        quarantine:
          path: out/quarantine.jsonl
        limits:
          max_quarantine_ratio: 0.9
        """

    func project() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("pipeline.yaml", Self.pipeline)
        try dir.write("data/a.jsonl", """
            {"id": "d1", "title": "One", "body": "The first paragraph is short.\\n\\nThe second paragraph is somewhat longer than forty characters."}
            {"id": "d2", "body": "no title here"}
            {"id": "d3", "title": "Three", "body": ""}

            """)
        return dir
    }

    func sluice(_ args: [String], _ dir: TemporaryDirectory, env: [String: String] = [:]) throws -> SluiceProcess.Result {
        try SluiceProcess.run(args, in: dir.url, environment: env)
    }

    @Test func chunkLineageThroughARealRun() throws {
        let dir = try project()
        defer { dir.remove() }
        let run = try sluice(["run", "pipeline.yaml"], dir)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOf: dir.path("out/chunks.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        let chunk = try JSONParser.parse(String(lines[1]))
        let chunkID = try #require(chunk["_sluice"]?["id"]?.stringValue)
        #expect(chunkID.hasPrefix("d1#"))

        let trace = try sluice(["audit", "trace", "pipeline.yaml", chunkID], dir)
        #expect(trace.status == 0, "\(trace.stderr)")
        let rawSHA = try #require(chunk["_sluice"]?["sha256"]?.stringValue)
        #expect(trace.stdout.contains("source: data/a.jsonl"), "\(trace.stdout)")
        #expect(trace.stdout.contains("bytes sha256 \(rawSHA)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("record d1\n"), "\(trace.stdout)")
        #expect(trace.stdout.contains("chunked [chunk]"), "\(trace.stdout)")
        #expect(trace.stdout.contains("derived record \(chunkID)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("written"), "\(trace.stdout)")

        let json = try sluice(["audit", "trace", "--state", ".sluice/chunked", chunkID, "--format", "jsonl"], dir)
        #expect(json.status == 0, "\(json.stderr)")
        let t = try JSONParser.parse(json.stdout)
        #expect(t["source"]?["uri"] == "data/a.jsonl")
        #expect(t["source"]?["locator"]?["line"] == 1)
        #expect(t["lineage"]?.arrayValue?.first?["record_id"] == "d1")

        // Rejected and dropped records, with their reasons.
        let q = try sluice(["audit", "query", "pipeline.yaml", "--event", "quarantined", "--format", "jsonl"], dir)
        #expect(q.status == 0)
        let rows = q.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(rows.count == 1)
        #expect(rows.first?["record_id"] == "d2")
        #expect(rows.first?["reason"] == "missing_field")
        let dropped = try sluice(["audit", "query", "pipeline.yaml", "--record", "d3", "--format", "csv"], dir)
        #expect(dropped.stdout.hasPrefix("seq,run_id,time,actor,event,"))
        #expect(dropped.stdout.contains(",dropped,"), "\(dropped.stdout)")
        #expect(dropped.stdout.contains("empty_text"), "\(dropped.stdout)")

        let verify = try sluice(["audit", "verify", "pipeline.yaml"], dir)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact"))
        let stats = try sluice(["audit", "stats", "pipeline.yaml"], dir)
        #expect(stats.stdout.contains("missing_field"), "\(stats.stdout)")
        let missing = try sluice(["audit", "trace", "pipeline.yaml", "nope"], dir)
        #expect(missing.status == 66)
    }

    @Test func exportAndQueriesLeaveTheFileUnchangedAndVerifyCatchesAnEdit() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try sluice(["run", "pipeline.yaml"], dir).status == 0)
        let db = dir.path(".sluice/chunked/state.db")
        let before = ContentHash.sha256Hex(try Data(contentsOf: db))
        let runID = try #require(try sluice(["audit", "query", "pipeline.yaml", "--event", "run_started", "--format", "jsonl"], dir)
            .stdout.split(separator: "\n").first.flatMap { try? JSONParser.parse(String($0)) }?["run_id"]?.stringValue)
        let export = try sluice(["audit", "export", "pipeline.yaml", "--run", runID], dir)
        #expect(export.status == 0)
        let exported = export.stdout.split(separator: "\n")
        #expect(exported.count > 5)
        #expect(exported.allSatisfy { $0.contains("\"hash\":\"") })
        _ = try sluice(["audit", "query", "pipeline.yaml", "--since", "2000-01-01", "--uri", "data/*"], dir)
        _ = try sluice(["audit", "trace", "pipeline.yaml", "d1"], dir)
        _ = try sluice(["audit", "verify", "pipeline.yaml"], dir)
        #expect(ContentHash.sha256Hex(try Data(contentsOf: db)) == before, "read-only commands changed the state DB")

        // An edit with sqlite's own tools: bytes of one row's reason changed in place.
        var data = try Data(contentsOf: db)
        let needle = Data("missing_field".utf8)
        var found = 0
        while let r = data.range(of: needle) { data.replaceSubrange(r, with: Data("missing_fielt".utf8)); found += 1 }
        #expect(found >= 1)
        try data.write(to: db)
        let verify = try sluice(["audit", "verify", "pipeline.yaml"], dir)
        #expect(verify.status == 65, "\(verify.stdout)")
        #expect(verify.stdout.contains("TAMPERED: first bad seq"), "\(verify.stdout)")
        #expect(verify.stdout.contains("altered_row"), "\(verify.stdout)")
    }

    /// A run killed mid-batch leaves a log that verifies; the next run resumes and signs it all.
    @Test func logStaysConsistentWhenARunIsKilled() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("pipeline.yaml", """
            name: big
            inputs:
              - name: docs
                type: file
                paths: data/*.jsonl
                id: /id
            stages:
              - type: require_fields
                fields: [/title]
            outputs:
              - type: jsonl
                path: out/docs.jsonl
            limits:
              batch_size: 100
            """)
        var text = ""
        for i in 0..<10_000 { text += "{\"id\": \"r\(i)\", \"title\": \"t\(i)\", \"body\": \"some text for record \(i)\"}\n" }
        try dir.write("data/big.jsonl", text)
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
            let verify = try sluice(["audit", "verify", "--state", ".sluice/big"], dir)
            #expect(verify.status == 0, "after kill \(attempt): \(verify.stdout)\(verify.stderr)")
        }
        let finish = try sluice(["run", "pipeline.yaml"], dir)
        #expect(finish.status == 0, "\(finish.stderr)")
        let verify = try sluice(["audit", "verify", "--state", ".sluice/big"], dir)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(!verify.stdout.contains("after the last digest"), "the resumed run's digest covers the killed runs' rows: \(verify.stdout)")
        // Every record received exactly once was written exactly once over all runs.
        let written = try sluice(["audit", "query", "--state", ".sluice/big", "--event", "written", "--format", "csv"], dir)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.split(separator: "\r\n").count - 1 == 10_000, "\(written.stdout.prefix(300))")
    }
}
