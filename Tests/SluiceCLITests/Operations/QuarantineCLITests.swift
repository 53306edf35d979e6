import Foundation
import SluiceJSON
import SluiceTesting
import Testing

/// `sluice quarantine list|show|replay` through the real binary.
@Suite struct QuarantineCLITests {
    static func pipeline(required: String) -> String {
        TemporaryProject.pipeline(
            name: "q", stages: ["name: need\ntype: require_fields\nfields: \(required)"],
            outputs: ["name: out\ntype: jsonl\npath: out/docs.jsonl"], quarantine: "out/quarantine.jsonl")
    }

    func project() throws -> TemporaryProject {
        try TemporaryProject(pipeline: Self.pipeline(required: "[/title, /author]"), files: ["data/a.jsonl": """
            {"id": "a1", "title": "First", "author": "Ann"}
            {"id": "a2", "title": "No author"}
            {"id": "a3", "title": "Broken"
            {"id": "a4", "title": "Also no author", "n": 12345678901234567890}

            """])
    }

    func lines(_ dir: TemporaryProject, _ path: String) throws -> [String] {
        try dir.text(path).split(separator: "\n").map(String.init)
    }

    @Test func replayAfterAFixWritesTheFormerlyQuarantinedRecordsExactlyOnce() throws {
        let dir = try project()
        defer { dir.remove() }
        let first = try dir.sluice(["run", "pipeline.yaml"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try lines(dir, "out/docs.jsonl").count == 1)
        #expect(try lines(dir, "out/quarantine.jsonl").count == 3)

        let list = try dir.sluice(["quarantine", "list", "pipeline.yaml"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("3 entries"), "\(list.stdout)")
        #expect(list.stdout.contains("missing_field            2"), "\(list.stdout)")
        #expect(list.stdout.contains("malformed                1"), "\(list.stdout)")
        #expect(list.stdout.contains("not replayable"), "the malformed line cannot be rebuilt: \(list.stdout)")

        // Before the fix, a replay quarantines the records again (as new entries) and marks the old.
        // After the fix (author no longer required) they are written.
        try dir.write("pipeline.yaml", Self.pipeline(required: "[/title]"))
        let replay = try dir.sluice(["quarantine", "replay", "pipeline.yaml", "--reason", "missing_field"])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("replaying 2 entries"), "\(replay.stdout)")
        #expect(replay.stdout.contains("received 2 = written 2"), "\(replay.stdout)")
        let out = try lines(dir, "out/docs.jsonl")
        #expect(out.count == 3)
        #expect(out.contains { $0.contains("\"a2\"") } && out.contains { $0.contains("\"a4\"") })
        #expect(out.contains { $0.contains("12345678901234567890") }, "numbers survive the round trip exactly")

        // Every replayed record's audit trail names the entry it came from.
        let audit = try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "replayed_from_quarantine"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let events = audit.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(events.count == 2, "\(audit.stdout)")
        #expect(Set(events.compactMap { $0["record_id"]?.stringValue }) == ["a2", "a4"])
        #expect(events.allSatisfy { $0["details"]?["code"] == "missing_field" && $0["details"]?["entry"]?.stringValue?.count == 12 })

        // Replaying again, or a normal run, writes nothing more.
        let again = try dir.sluice(["quarantine", "replay", "pipeline.yaml", "--all"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("2 entries were replayed before; skipped"), "\(again.stdout)")
        #expect(again.stdout.contains("1 not replayable"), "\(again.stdout)")
        #expect(again.stdout.contains("nothing to replay"), "\(again.stdout)")
        let run = try dir.sluice(["run", "pipeline.yaml"])
        #expect(run.stdout.contains("0 new records"), "\(run.stdout)")
        #expect(try lines(dir, "out/docs.jsonl").count == 3)

        let after = try dir.sluice(["quarantine", "list", "pipeline.yaml", "--pending"])
        #expect(after.stdout.contains("1 entry"), "only the malformed line is pending: \(after.stdout)")
    }

    @Test func replayThatFailsAgainQuarantinesAsNewEntriesAndShowPrintsTheOriginal() throws {
        let dir = try project()
        defer { dir.remove() }
        _ = try dir.sluice(["run", "pipeline.yaml"])
        let q = try lines(dir, "out/quarantine.jsonl")
        let a2 = try #require(q.first { $0.contains("\"record_id\":\"a2\"") })
        let entry = try JSONParser.parse(a2)
        #expect(entry["original"]?.stringValue?.contains("No author") == true, "stage failures keep the record as read")

        let list = try dir.sluice(["quarantine", "list", "pipeline.yaml", "--reason", "missing_field"])
        let id = try #require(list.stdout.split(separator: "\n").first { $0.contains(" a2 ") }?.split(separator: " ").first.map(String.init))
        let show = try dir.sluice(["quarantine", "show", "pipeline.yaml", id])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("No author") && show.stdout.contains("missing_field"), "\(show.stdout)")

        // No fix yet: the replay quarantines a2 again, as a new entry, and marks the old one; as
        // every record it read was quarantined, it exits 65 (data error).
        let replay = try dir.sluice(["quarantine", "replay", "pipeline.yaml", "--id", id])
        #expect(replay.status == 65, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("received 1 = written 0 + quarantined 1"), "\(replay.stdout)")
        #expect(try lines(dir, "out/quarantine.jsonl").count == 4)
        let pending = try dir.sluice(["quarantine", "list", "pipeline.yaml", "--pending", "--reason", "missing_field"])
        #expect(pending.stdout.contains("2 entries"), "a4 and the new a2 entry: \(pending.stdout)")
        #expect(!pending.stdout.contains(id), "\(pending.stdout)")

        let missing = try dir.sluice(["quarantine", "show", "pipeline.yaml", "ffffffffffff"])
        #expect(missing.status == 66)
        let noSelection = try dir.sluice(["quarantine", "replay", "pipeline.yaml"])
        #expect(noSelection.status == 64, "\(noSelection.stderr)")
    }
}
