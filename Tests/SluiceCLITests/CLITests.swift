import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// End-to-end: the real `sluice` binary on real files.
@Suite struct CLITests {
    static let pipeline = TemporaryProject.pipeline(
        name: "demo", stages: ["type: require_fields\nfields: [/title]"],
        outputs: ["type: jsonl\npath: out/docs.jsonl", "type: sqlite\npath: out/docs.db"], quarantine: "out/quarantine.jsonl")

    func project() throws -> TemporaryProject {
        try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": """
            {"id": "a1", "title": "First", "body": "one"}
            {"id": "a2", "body": "no title"}
            {"id": "a3", "title": "Third", "body": "three"
            {"id": "a4", "title": "Fourth", "n": 12345678901234567890}

            """])
    }

    @Test func runWritesBalancedLedgerAndSecondRunFindsNothingNew() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["run", "pipeline.yaml", "--summary", "out/summary.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ledger: received 4 = written 2 + quarantined 2 + dropped 0 + deferred 0  (balanced)"), "\(r.stdout)")
        let out = try dir.text("out/docs.jsonl")
        #expect(out.contains("12345678901234567890"), "numbers are written exactly as read")
        let summary = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("out/summary.json"))))
        #expect(summary["ledger"]?["written"] == 2)
        #expect(summary["balanced"] == true)
        let q = try dir.text("out/quarantine.jsonl").split(separator: "\n")
        #expect(q.count == 2)
        #expect(q.contains { $0.contains("\"code\":\"malformed\"") && $0.contains("\"line\":3") })
        #expect(q.contains { $0.contains("\"code\":\"missing_field\"") && $0.contains("\"record_id\":\"a2\"") })

        let again = try dir.sluice(["run", "pipeline.yaml"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 new records"), "\(again.stdout)")
        #expect(try dir.text("out/docs.jsonl") == out)

        // A changed file is read again.
        try dir.write("data/b.jsonl", "{\"id\": \"b1\", \"title\": \"New\"}\n")
        let third = try dir.sluice(["run", "pipeline.yaml"])
        #expect(third.stdout.contains("received 1 = written 1"), "\(third.stdout)")
    }

    @Test func validateListsEveryErrorWithPlaceAndExits78() throws {
        let dir = try TemporaryProject(files: ["bad.yaml": """
            inputs:
              - type: file
                paths: x/*.jsonl
                formt: jsonl
            stages:
              - type: require_fields
                feilds: [/title]
            outputs:
              - type: jsnl
                path: out.jsonl

            """])
        defer { dir.remove() }
        let r = try dir.sluice(["validate", "bad.yaml"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.yaml:4:5: error: unknown option 'formt' in input 'file' (did you mean 'format'?)"), "\(r.stderr)")
        #expect(r.stderr.contains("bad.yaml:7:5: error: unknown option 'feilds' in stage 'require_fields' (did you mean 'fields'?)"))
        #expect(r.stderr.contains("   7 |     feilds: [/title]") || r.stderr.contains(" 7 |     feilds: [/title]"))
        #expect(r.stderr.contains("|     ^~~~~~"))
        #expect(r.stderr.contains("bad.yaml:9:11: error: unknown output type 'jsnl' (did you mean 'jsonl'?)"))
        #expect(r.stdout.contains("bad.yaml: 4 errors") || r.stdout.contains("errors"), "\(r.stdout)")
    }

    @Test func exitCodesForMissingThingsAndHeldLock() throws {
        let dir = try project()
        defer { dir.remove() }
        #expect(try dir.sluice(["run", "nope.yaml"]).status == 66)
        try dir.write("missing-input.yaml", Self.pipeline.replacingOccurrences(of: "data/*.jsonl", with: "nowhere/*.jsonl"))
        let missing = try dir.sluice(["run", "missing-input.yaml"])
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(missing.stderr.contains("nowhere/*.jsonl"))

        // Another run holds the state folder's lock: this one exits 75 and writes nothing.
        let lock = try RunLock(directory: dir.path(".sluice/demo"))
        let blocked = try dir.sluice(["run", "pipeline.yaml"])
        withExtendedLifetime(lock) {}
        #expect(blocked.status == 75)
        #expect(blocked.stderr.contains("holds the lock"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/docs.jsonl").path))
        #expect(try dir.sluice(["run", "pipeline.yaml", "--usage-typo"]).status == 64)
    }

    @Test func componentsDescribeThemselves() throws {
        let dir = try TemporaryProject()
        defer { dir.remove() }
        let list = try dir.sluice(["components"])
        #expect(list.status == 0)
        for name in ["file", "require_fields", "jsonl", "sqlite"] { #expect(list.stdout.contains("  \(name) ")) }
        let md = try dir.sluice(["components", "--format", "markdown"])
        #expect(md.stdout.hasPrefix("# Pipeline reference"))
        #expect(md.stdout.contains("### `file`"))
        // The committed reference is what the descriptors say today.
        let committed = try String(contentsOf: SharedFixtures.packageRoot.appendingPathComponent("docs/pipeline-reference.md"), encoding: .utf8)
        #expect(committed == md.stdout, "docs/pipeline-reference.md is stale: regenerate it with `sluice components --format markdown`")
        #expect(try dir.sluice(["components", "fiel"]).stderr.contains("did you mean 'file'?"))
    }

    @Test func aUsageProblemFoundWhileRunningShowsTheSubcommandsUsage() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["quarantine", "replay", "pipeline.yaml"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Error: choose entries with --run, --reason or --id"), "\(r.stderr)")
        #expect(r.stderr.contains("Usage: sluice quarantine replay "), "\(r.stderr)")
        #expect(r.stderr.contains("See 'sluice quarantine replay --help'"), "\(r.stderr)")
        #expect(!r.stderr.contains("sluice <subcommand>"))
    }

    @Test func aSummaryOrMetricsFileThatCannotBeWrittenIsASentenceOfOursAndExit73() throws {
        let dir = try project()
        defer { dir.remove() }
        for option in ["--summary", "--metrics", "--report"] {
            // A folder that cannot exist: below a regular file.
            let r = try dir.sluice(["run", "pipeline.yaml", "--quiet", option, "data/a.jsonl/out.json"])
            #expect(r.status == 73, "\(option): \(r.stderr)")
            #expect(r.stderr.contains("cannot write the "), "\(option): \(r.stderr)")
            #expect(r.stderr.contains("data/a.jsonl/out.json"), "\(option): \(r.stderr)")
            #expect(!r.stderr.contains("Domain="), "\(option): \(r.stderr)")
        }
    }

    @Test func logsCanBeJSONLines() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["run", "pipeline.yaml", "--log-format", "json", "--quiet"])
        #expect(r.status == 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for l in lines { #expect((try? JSONParser.parse(String(l)))?["level"] != nil, "not a JSON log line: \(l)") }
        #expect(r.stdout.isEmpty)
        // Counts are JSON numbers, not strings, so a log shipper can sum them.
        let finished = lines.compactMap { try? JSONParser.parse(String($0)) }.first { $0["message"]?.stringValue == "run finished" }
        #expect(finished?["received"]?.numberValue?.intValue == 4, "run finished line: \(String(describing: finished))")
        #expect(finished?["written"]?.numberValue != nil)

        // A run that fails keeps stderr JSON: its error and a `run finished` line with status failed.
        try dir.write("missing-input.yaml", Self.pipeline.replacingOccurrences(of: "data/*.jsonl", with: "nowhere/*.jsonl"))
        let failed = try dir.sluice(["run", "missing-input.yaml", "--log-format", "json"])
        #expect(failed.status == 66)
        let parsed = failed.stderr.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(!parsed.isEmpty && parsed.allSatisfy { $0 != nil }, "\(failed.stderr)")
        let end = parsed.compactMap { $0 }.first { $0["message"]?.stringValue == "run finished" }
        #expect(end?["status"]?.stringValue == "failed" && end?["exit_status"]?.numberValue?.intValue == 66, "\(failed.stderr)")
        #expect(parsed.compactMap { $0?["error"]?.stringValue }.contains { $0.contains("nowhere/*.jsonl") })
    }
}
