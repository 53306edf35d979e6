import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// The pure stages driven through the YAML a user writes.
@Suite struct PureStagesTests {
    func stages(_ yaml: String) throws -> [any Stage] {
        let loader = PipelineLoader(registry: try .withTestComponents(builtinComponents), environment: [:])
        let r = loader.load(text: "inputs: [{type: memory}]\noutputs: [{type: jsonl, path: x.jsonl}]\nstages:\n" + yaml,
                            displayPath: "t.yaml", file: URL(fileURLWithPath: "/tmp/t.yaml"))
        let plan = try #require(r.plan, "\(r.diagnostics)")
        return plan.stages.map(\.component)
    }

    let sample = TestRecords.make([
        ["id": "a", "name": "Tide table", "body": "x"],
        ["id": "b", "title": "Kept", "name": "ignored", "body": ""],
        ["id": "c", "title": "  ", "body": ["nested": true]],
        ["id": "d"],
    ])

    @Test func renameMovesOnlyWhenTheTargetIsFree() throws {
        let stage = try stages("  - type: rename_fields\n    fields: {/name: /title}\n")[0]
        guard case .pass(let a, _) = try stage.process(sample[0]) else { Issue.record("pass expected"); return }
        #expect(a.value == ["id": "a", "title": "Tide table", "body": "x"])
        guard case .pass(let b, _) = try stage.process(sample[1]) else { Issue.record("pass expected"); return }
        #expect(b.value == sample[1].value, "an existing title is kept without overwrite")
        #expect(StageVerifier.verify(stage, records: sample).isEmpty)
    }

    @Test func requireFieldsNamesEveryMissingField() throws {
        let stage = try stages("  - type: require_fields\n    fields: [/title, /body]\n")[0]
        let outcomes = try sample.map { try stage.process($0) }
        var codes: [String] = []
        for o in outcomes {
            switch o {
            case .pass: codes.append("pass")
            case .quarantine(let f): codes.append("\(f.code):\(f.pointer ?? ""):\(f.details?["missing"]?.arrayValue?.count ?? 0)")
            default: codes.append("other")
            }
        }
        #expect(codes == ["missing_field:/title:1", "missing_field:/body:1", "missing_field:/title:1", "missing_field:/title:2"])
        let lenient = try stages("  - type: require_fields\n    fields: [/body]\n    allow_empty: true\n")[0]
        guard case .pass = try lenient.process(sample[1]) else { Issue.record("empty allowed"); return }
        #expect(StageVerifier.verify(stage, records: sample).isEmpty)
    }

    @Test func dropFieldsRemovesNestedFields() throws {
        let stage = try stages("  - type: drop_fields\n    fields: [/body/nested, /absent]\n")[0]
        guard case .pass(let c, _) = try stage.process(sample[2]) else { Issue.record("pass expected"); return }
        #expect(c.value == ["id": "c", "title": "  ", "body": [:]])
        #expect(StageVerifier.verify(stage, records: sample).isEmpty)
    }

    @Test func theVerifierCatchesABrokenStage() {
        final class Counter: StatelessStage, @unchecked Sendable {
            static let descriptor = ComponentDescriptor(kind: .stage, name: "counter", summary: "", fields: [])
            init(options: ComponentOptions, context: BuildContext) throws {}
            init() {}
            var n = 0
            func process(_ record: Record) throws -> StageOutcome {
                n += 1
                var r = record
                r.value = ["n": .number(JSONNumber(n))]
                return .pass(r)
            }
        }
        #expect(!StageVerifier.verify(Counter(), records: sample).isEmpty)
    }
}
