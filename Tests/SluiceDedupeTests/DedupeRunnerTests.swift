import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting
import Testing

/// Applies a jsonl output's tombstones in file order: what a downstream reader ends up holding.
func applyTombstones(_ text: String) throws -> [String: JSONValue] {
    var live: [String: JSONValue] = [:]
    var order: [String] = []
    for line in text.split(separator: "\n") {
        let v = try JSONParser.parse(String(line))
        if let gone = v["_sluice"]?["superseded"]?.stringValue {
            live[gone] = nil
            for (id, doc) in live where doc["_sluice"]?["parent"]?.stringValue == gone { live[id] = nil }
            continue
        }
        guard let id = v["_sluice"]?["id"]?.stringValue else { continue }
        if live[id] == nil { order.append(id) }
        live[id] = v
    }
    return live
}

@Suite struct DedupeRunnerTests {
    func plan(_ dir: TemporaryDirectory, values: [JSONValue], stage: DedupeStage) throws -> PipelinePlan {
        var limits = Limits()
        limits.batchSize = 3
        let ctx = BuildContext(pipeline: "t", instanceName: "out", baseDirectory: dir.url)
        let out = try JSONLOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/docs.jsonl", quoted: false))],
                                                            fields: JSONLOutput.descriptor.fields), context: ctx)
        return PipelinePlan(
            name: "t", file: nil, baseDirectory: dir.url, stateDirectory: dir.path(".sluice/t"),
            inputs: [.init(name: "mem", type: "memory", component: MemoryInput(name: "mem", values: values, idField: try JSONPointer(parsing: "/id")))],
            stages: [.init(name: "dedupe", type: "dedupe", component: stage)],
            outputs: [.init(name: "docs", type: "jsonl", component: out)],
            quarantinePath: dir.path("out/quarantine.jsonl"), limits: limits)
    }

    @Test func outputsHoldExactlyTheNewestVersionsAfterMixedOrderRuns() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = MemoryStateStore()
        let opts: JSONValue = ["key": ["/body"], "versions": ["id": "/doc", "order_by": "/at"]]
        var rng = SplitMix64(seed: 11)
        var all: [JSONValue] = []
        var newest: [String: String] = [:]
        for d in 0..<12 {
            let n = 1 + Int(rng.next() % 4)
            for v in 0..<n {
                all.append(["id": .string("d\(d)v\(v)"), "doc": .string("d\(d)"), "at": .string("2026-01-0\(v + 1)T00:00:00Z"),
                            "body": .string("document \(d) version \(v)")])
            }
            newest["d\(d)"] = "d\(d)v\(n - 1)"
        }
        for i in stride(from: all.count - 1, to: 0, by: -1) { all.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let half = all.count / 2
        // The memory input resumes at its checkpoint: the second run reads the second half.
        for part in [Array(all[..<half]), all] {
            let s = try await PipelineRunner(plan: try plan(dir, values: part, stage: try makeDedupe(opts))) { _ in store }.run()
            #expect(s.balanced)
            #expect(s.exitStatus == 0)
        }
        let text = try String(contentsOf: dir.path("out/docs.jsonl"), encoding: .utf8)
        let live = try applyTombstones(text)
        #expect(Set(live.keys) == Set(newest.values))
        #expect(text.contains("\"superseded\""))
        // The audit trail names what replaced what.
        #expect(store.events.contains { $0.kind == Supersession.kind })
        #expect(store.events.contains { $0.event == "dropped" && $0.reason == "superseded_by" })
    }
}
