import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting
import Testing

/// A record dropped because of another record of its batch that a later stage then rejects must
/// not be lost: the one it was a duplicate of was never written, so it was never "seen".
@Suite struct DedupeLossTests {
    struct Run {
        var summary: RunSummary
        var written: [String]
        var store: MemoryStateStore
    }

    /// `dedupe` then `require_fields: [/title]`, into a jsonl file; batches of `batchSize`.
    static func run(_ dir: TemporaryDirectory, _ values: [JSONValue], dedupe: JSONValue, batchSize: Int = 50,
                    store: MemoryStateStore = MemoryStateStore(), stagesAfter: [PipelinePlan.Named<any Stage>]? = nil) async throws -> Run {
        var limits = Limits()
        limits.batchSize = batchSize
        let ctx = BuildContext(pipeline: "t", instanceName: "out", baseDirectory: dir.url)
        let out = try JSONLOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/docs.jsonl", quoted: false))],
                                                            fields: JSONLOutput.descriptor.fields), context: ctx)
        let require = try RequireFieldsStage(options: ComponentOptions(node: configNode(["fields": ["/title"]]),
                                                                       fields: RequireFieldsStage.descriptor.fields), context: ctx)
        let later = stagesAfter ?? [.init(name: "require", type: "require_fields", component: require)]
        let plan = PipelinePlan(
            name: "t", file: nil, baseDirectory: dir.url, stateDirectory: dir.path(".sluice/t"),
            inputs: [.init(name: "mem", type: "memory", component: MemoryInput(name: "mem", values: values, idField: try JSONPointer(parsing: "/id")))],
            stages: [.init(name: "dedupe", type: "dedupe", component: try makeDedupe(dedupe))] + later,
            outputs: [.init(name: "docs", type: "jsonl", component: out)],
            quarantinePath: dir.path("out/quarantine.jsonl"), limits: limits)
        let summary = try await PipelineRunner(plan: plan) { _ in store }.run()
        let text = (try? String(contentsOf: dir.path("out/docs.jsonl"), encoding: .utf8)) ?? ""
        let ids = try text.split(separator: "\n").compactMap { try JSONParser.parse(String($0))["_sluice"]?["id"]?.stringValue }
        return Run(summary: summary, written: ids, store: store)
    }

    /// The ledger balances, every received record has exactly one fate in the audit trail, and
    /// the stage counters agree with the events.
    static func expectExactAccounts(_ r: Run, received: Int) {
        let s = r.summary
        #expect(s.balanced)
        #expect(s.ledger.received == received)
        #expect(s.ledger.written == r.written.count)
        let events = r.store.events
        let fates = events.filter { ["written", "dropped", "quarantined"].contains($0.event) }
        var perRecord: [String: Int] = [:]
        for e in fates { perRecord[e.recordID ?? "?", default: 0] += 1 }
        #expect(perRecord.values.allSatisfy { $0 == 1 }, "a record with several fates: \(perRecord.filter { $0.value != 1 })")
        #expect(fates.count == received)
        #expect(events.filter { $0.event == "dropped" }.count == s.ledger.dropped)
        #expect(s.dropReasons.values.reduce(0, +) == s.ledger.dropped)
        #expect(!s.dropReasons.values.contains(0))
        let d = s.stages["dedupe"]
        #expect(d?.seen == received)
        #expect((d?.passed ?? 0) + (d?.dropped ?? 0) + (d?.quarantined ?? 0) == received)
        #expect(d?.dropped == events.filter { $0.event == "dropped" && $0.stage == "dedupe" }.count)
    }

    @Test func exactDuplicateOfARecordQuarantinedLaterIsWritten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try await Self.run(dir, [
            ["id": "a", "body": "the same text", "title": ""],
            ["id": "b", "body": "the same text", "title": "kept"],
            ["id": "c", "body": "other text", "title": "kept"],
        ], dedupe: ["key": ["/body"]])
        #expect(r.written == ["c", "b"])
        #expect(r.summary.ledger.quarantined == 1)
        #expect(r.summary.ledger.dropped == 0)
        Self.expectExactAccounts(r, received: 3)
        // What was written is what the index remembers: a later copy is a duplicate of b.
        let again = try await Self.run(dir, [
            ["id": "a", "body": "the same text", "title": ""],
            ["id": "b", "body": "the same text", "title": "kept"],
            ["id": "c", "body": "other text", "title": "kept"],
            ["id": "d", "body": "the same text", "title": "kept"],
        ], dedupe: ["key": ["/body"]], store: r.store)
        #expect(again.written == ["c", "b"])
        let dropD = r.store.events.first { $0.recordID == "d" && $0.event == "dropped" }
        #expect(dropD?.reason == "duplicate_of")
        #expect(dropD?.details?["related_id"]?.stringValue == "b")
    }

    @Test func chainOfDuplicatesKeepsExactlyOne() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // a and b are rejected later; c is the first copy that can be written; d stays a duplicate.
        let r = try await Self.run(dir, [
            ["id": "a", "body": "one text", "title": ""],
            ["id": "b", "body": "one text"],
            ["id": "c", "body": "one text", "title": "kept"],
            ["id": "d", "body": "one text", "title": "kept"],
            ["id": "e", "body": "another", "title": "kept"],
        ], dedupe: ["key": ["/body"]])
        #expect(r.written.sorted() == ["c", "e"])
        #expect(r.summary.ledger.quarantined == 2)
        #expect(r.summary.ledger.dropped == 1)
        let dropD = r.store.events.first { $0.recordID == "d" && $0.event == "dropped" }
        #expect(dropD?.details?["related_id"]?.stringValue == "c")
        Self.expectExactAccounts(r, received: 5)
    }

    @Test func nearDuplicateOfARecordQuarantinedLaterIsWritten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let near = lorem.replacingOccurrences(of: "compliance", with: "security")
        let r = try await Self.run(dir, [
            ["id": "a", "body": .string(lorem)],
            ["id": "b", "body": .string(near), "title": "kept"],
        ], dedupe: ["key": ["/body"], "near_duplicates": ["threshold": 0.7]])
        #expect(r.written == ["b"])
        Self.expectExactAccounts(r, received: 2)
        // Without the later rejection, b is a near-duplicate: the fixture does test the near path.
        let dir2 = try TemporaryDirectory()
        defer { dir2.remove() }
        let control = try await Self.run(dir2, [
            ["id": "a", "body": .string(lorem), "title": "kept"],
            ["id": "b", "body": .string(near), "title": "kept"],
        ], dedupe: ["key": ["/body"], "near_duplicates": ["threshold": 0.7]])
        #expect(control.written == ["a"])
        #expect(control.summary.dropReasons["near_duplicate_of"] == 1)
    }

    @Test func olderVersionOfARecordQuarantinedLaterIsWritten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let opts: JSONValue = ["key": ["/body"], "versions": ["id": "/doc", "order_by": "/rev"]]
        let r = try await Self.run(dir, [
            ["id": "v1", "doc": "d", "rev": 1, "body": "first", "title": "kept"],
            ["id": "v3", "doc": "d", "rev": 3, "body": "third"],
            ["id": "v2", "doc": "d", "rev": 2, "body": "second", "title": "kept"],
        ], dedupe: opts, batchSize: 10)
        // v3 is quarantined, so v2 is the newest version written, and it replaces v1.
        #expect(r.written == ["v1", "v2"])
        let live = try applyTombstones(try String(contentsOf: dir.path("out/docs.jsonl"), encoding: .utf8))
        #expect(Set(live.keys) == ["v2"])
        // v3 was never written: the audit trail does not say it replaced anything.
        #expect(!r.store.events.contains { $0.kind == Supersession.kind && $0.recordID == "v3" })
        Self.expectExactAccounts(r, received: 3)
    }

    @Test func twoDedupeStagesEachGetTheirDropsBack() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ctx = BuildContext(pipeline: "t", instanceName: "out", baseDirectory: dir.url)
        let byBody = try makeDedupe(["key": ["/body"]], name: "by_body")
        let require = try RequireFieldsStage(options: ComponentOptions(node: configNode(["fields": ["/ok"]]),
                                                                       fields: RequireFieldsStage.descriptor.fields), context: ctx)
        // b repeats a's title (dropped by the first stage), c repeats a's body (by the second); a is rejected.
        let r = try await Self.run(dir, [
            ["id": "a", "title": "T", "body": "X"],
            ["id": "b", "title": "T", "body": "Y", "ok": true],
            ["id": "c", "title": "U", "body": "X", "ok": true],
            ["id": "d", "title": "T", "body": "Z", "ok": true],
        ], dedupe: ["key": ["/title"]], stagesAfter: [
            .init(name: "by_body", type: "dedupe", component: byBody),
            .init(name: "require", type: "require_fields", component: require),
        ])
        #expect(r.written == ["b", "c"])
        let dropD = r.store.events.first { $0.recordID == "d" && $0.event == "dropped" }
        #expect(dropD?.details?["related_id"]?.stringValue == "b")
        #expect(r.summary.stages["by_body"]?.seen == 3)
        #expect(r.summary.stages["by_body"]?.dropped == 0)
        Self.expectExactAccounts(r, received: 4)
    }

    @Test func manyBatchesWithRejectionsLoseNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 40 bodies, about 5 copies each in random order; copies without a title are rejected
        // after dedupe. Batches of 17 put many copies of one body in one batch.
        var values: [JSONValue] = []
        var rng = SplitMix64(seed: 7)
        var bodiesWithTitle = Set<Int>()
        for i in 0..<200 {
            let body = Int(rng.next() % 40)
            let titled = rng.next() % 3 != 0
            if titled { bodiesWithTitle.insert(body) }
            values.append(["id": .string("r\(i)"), "body": .string("body number \(body)"),
                           "title": titled ? "t" : ""])
        }
        let r = try await Self.run(dir, values, dedupe: ["key": ["/body"]], batchSize: 17)
        let writtenBodies = r.written.map { id in values.first { $0["id"]?.stringValue == id }?["body"]?.stringValue ?? "" }
        #expect(writtenBodies.count == bodiesWithTitle.count)
        #expect(Set(writtenBodies).count == writtenBodies.count)
        #expect(Set(writtenBodies) == Set(bodiesWithTitle.map { "body number \($0)" }))
        Self.expectExactAccounts(r, received: 200)
    }
}
