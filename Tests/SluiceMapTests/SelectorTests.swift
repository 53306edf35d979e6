import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceMap
import SluiceTesting
import Testing

/// `when:` and `inputs:` on stages and outputs, and the `unrouted` drop.
@Suite struct SelectorTests {
    static func load(_ yaml: String) -> PipelineLoader.Result {
        let loader = PipelineLoader(registry: try! .withTestComponents(builtinComponents), environment: [:])
        return loader.load(text: yaml, displayPath: "pipelines/x.yaml", file: URL(fileURLWithPath: "/tmp/pipelines/x.yaml"))
    }

    static func record(_ json: String, input: String, parent: String? = nil) throws -> Record {
        Record(id: "r", value: try JSONParser.parse(json), provenance: Provenance(input: input, uri: "x", locator: Locator(), sha256: ""), parent: parent)
    }

    @Test func aStageAppliesOnlyToSelectedRecords() throws {
        let r = Self.load("""
            inputs: [{type: memory, name: csv}, {type: memory, name: xml}]
            stages:
              - type: map
                inputs: [csv]
                when: .n != null
                mapping: .n = to_int!(.n)
            outputs: [{type: jsonl, path: x.jsonl}]
            """)
        let stage = try #require(r.plan?.stages.first?.component, "\(r.diagnostics)")
        guard case .pass(let a, _) = try stage.process(try Self.record(#"{"n": "3"}"#, input: "csv")) else { Issue.record("pass"); return }
        #expect(a.value == ["n": 3])
        guard case .pass(let b, _) = try stage.process(try Self.record(#"{"n": "3"}"#, input: "xml")) else { Issue.record("pass"); return }
        #expect(b.value == ["n": "3"], "another input's record passes untouched")
        guard case .pass(let c, _) = try stage.process(try Self.record(#"{}"#, input: "csv")) else { Issue.record("pass"); return }
        #expect(c.value == [:])
        #expect(r.plan?.stages.count == 1, "no routing stage when no output selects")
    }

    @Test func recordsNoOutputTakesAreDroppedAsUnroutedAndValidateWarns() throws {
        let r = Self.load("""
            inputs: [{type: memory}]
            outputs:
              - {type: jsonl, name: docs, path: d.jsonl, when: '%kind == "record"'}
              - {type: jsonl, name: chunks, path: c.jsonl, when: '%kind == "chunk"', inputs: [memory]}
            """)
        let plan = try #require(r.plan, "\(r.diagnostics)")
        #expect(r.diagnostics.map(\.code) == ["unrouted_records"])
        let routing = try #require(plan.stages.last)
        #expect(routing.name == "(routing)")
        guard case .pass = try routing.component.process(try Self.record("{}", input: "memory", parent: "doc")) else { Issue.record("pass"); return }
        let other = try Self.record("{}", input: "elsewhere", parent: "doc")
        guard case .drop(_, let reason) = try routing.component.process(other) else { Issue.record("drop expected"); return }
        #expect(reason.code == "unrouted")
        #expect(reason.details?["outputs"] == ["docs", "chunks"])
    }

    @Test func unknownInputsAndBadConditionsAreLoadErrors() throws {
        let r = Self.load("""
            inputs: [{type: memory, name: notes}]
            stages:
              - {type: drop_fields, fields: [/x], inputs: [note]}
              - {type: drop_fields, name: second, fields: [/x], when: 'to_int(.x) > 1'}
            outputs: [{type: jsonl, path: x.jsonl, when: 'length(.x)'}]
            """)
        #expect(r.plan == nil)
        #expect(r.diagnostics.map(\.code) == ["unknown_input", "map_unhandled_error", "map_type_error"])
        #expect(r.diagnostics.first?.hint == "did you mean 'notes'?")
    }
}
