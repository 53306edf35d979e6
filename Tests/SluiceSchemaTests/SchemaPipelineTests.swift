import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

/// The stage inside the real runner: valid records are written, invalid ones quarantined with
/// their violations, and the ledger balances.
@Suite struct SchemaPipelineTests {
    @Test func quarantineCarriesViolationsThroughTheRunner() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("schema.json", ##"""
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["id", "title"],
             "properties": {"title": {"type": "string", "minLength": 1}, "email": {"type": "string", "format": "email"}}}
            """##)
        let values: [JSONValue] = (0..<40).map { i in
            switch i % 10 {
            case 3: return ["id": .string("d\(i)")]
            case 7: return ["id": .string("d\(i)"), "title": "T", "email": "bob@"]
            default: return ["id": .string("d\(i)"), "title": .string("Title \(i)"), "email": "a@example.org"]
            }
        }
        let ctx = BuildContext(pipeline: "t", instanceName: "check", baseDirectory: dir.url)
        let stage = try ValidateSchemaStage(options: ComponentOptions(["schema": ConfigNode(.scalar("schema.json", quoted: false))],
                                                                      fields: ValidateSchemaStage.descriptor.fields), context: ctx)
        let out = try JSONLOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/docs.jsonl", quoted: false))],
                                                            fields: JSONLOutput.descriptor.fields), context: ctx)
        var limits = Limits()
        limits.batchSize = 7
        limits.parallelism = 2
        let plan = PipelinePlan(
            name: "t", file: nil, baseDirectory: dir.url, stateDirectory: dir.path(".sluice/t"),
            inputs: [.init(name: "mem", type: "memory", component: MemoryInput(name: "mem", values: values, idField: try JSONPointer(parsing: "/id")))],
            stages: [.init(name: "check", type: "validate_schema", component: stage)],
            outputs: [.init(name: "docs", type: "jsonl", component: out)],
            quarantinePath: dir.path("out/quarantine.jsonl"), limits: limits)
        let store = MemoryStateStore()
        let summary = try await PipelineRunner(plan: plan) { _ in store }.run()
        #expect(summary.ledger.received == 40)
        #expect(summary.ledger.quarantined == 8)
        #expect(summary.ledger.written == 32)
        #expect(summary.balanced)
        let quarantine = try String(contentsOf: dir.path("out/quarantine.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(quarantine.count == 8)
        #expect(quarantine.allSatisfy { $0["code"] == "schema_violation" })
        let text = quarantine.map { JSONWriter.string($0) }.joined(separator: "\n")
        #expect(text.contains("\"instanceLocation\":\"/email\""), "\(text)")
        #expect(text.contains("\"keywordLocation\":\"/required\""), "\(text)")
        #expect(!text.contains("bob@\\\" is not"), "quarantine details use the redacted messages")
    }
}
