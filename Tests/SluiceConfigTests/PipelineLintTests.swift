import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceTesting
import Testing

@Suite struct PipelineLintTests {
    let loader = PipelineLoader(registry: try! .withTestComponents(builtinComponents), environment: ["OUT_DIR": "out"])

    func load(_ yaml: String) -> PipelineLoader.Result {
        loader.load(text: yaml, displayPath: "p.yaml", file: URL(fileURLWithPath: "/tmp/sluice-lint/p.yaml"))
    }

    @Test func cleanPipelineHasNoDiagnostics() throws {
        let r = load("""
            inputs:
              - type: memory
                records: [{a: 1}]
            stages:
              - type: require_fields
                fields: [/a]
            outputs:
              - type: jsonl
                path: ${OUT_DIR}/x.jsonl
            limits:
              batch_size: 10
            """)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let plan = try #require(r.plan)
        #expect(plan.name == "p")
        #expect(plan.limits.batchSize == 10)
        #expect(plan.stages.map(\.name) == ["require_fields"])
    }

    @Test func everyProblemIsReportedAtOnceWithItsPlace() throws {
        let r = load("""
            name: demo
            inputz: []
            inputs:
              - type: memry
            stages:
              - type: require_fields
                feilds: [/a]
              - type: drop_fields
                fields: title
              - type: require_fields
                name: again
                fields: [body]
            outputs:
              - type: jsonl
                path: ${MISSING_VAR}/x.jsonl
                metadata: maybe
              - type: jsonl
                path: b.jsonl
            limits:
              batch_size: 0
            """)
        #expect(r.plan == nil)
        let found = r.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code)" }
        #expect(found.contains("2:1 unknown_key"))
        #expect(found.contains("4:11 unknown_component"))
        #expect(found.contains("7:5 unknown_option"))
        #expect(found.contains("6:5 missing_option"))
        #expect(found.contains("9:13 wrong_type"))
        #expect(found.contains("12:14 invalid_pointer"))
        #expect(found.contains("15:11 unset_variable"))
        #expect(found.contains("16:15 wrong_type"))
        #expect(found.contains("17:11 duplicate_name"))
        #expect(found.contains("20:15 out_of_range"))
        #expect(r.diagnostics.count == 10, "\(found)")
        let unknownOption = try #require(r.diagnostics.first { $0.code == "unknown_option" })
        #expect(unknownOption.hint == "did you mean 'fields'?")
        #expect(unknownOption.message == "unknown option 'feilds' in stage 'require_fields'")
        let unknownType = try #require(r.diagnostics.first { $0.code == "unknown_component" })
        #expect(unknownType.hint == "did you mean 'memory'?")
        #expect(r.diagnostics.first { $0.code == "unknown_key" }?.hint == "did you mean 'inputs'?")
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let r = load("inputs:\n  - type: memory\n    records: [\n")
        #expect(r.plan == nil)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.code == "yaml_syntax")
        #expect(r.diagnostics.first?.location?.line ?? 0 >= 3)
    }

    @Test func missingSectionsAndEmptyFiles() {
        #expect(load("").diagnostics.map(\.code) == ["empty_document"])
        let r = load("inputs:\n  - type: memory\n")
        #expect(r.diagnostics.map(\.code) == ["missing_section"])
        #expect(load("- a\n- b\n").diagnostics.map(\.code) == ["wrong_type"])
    }

    @Test func defaultsAndInterpolationFallbacks() throws {
        let r = load("""
            base_dir: ..
            inputs: [{type: memory}]
            outputs: [{type: jsonl, path: "${NOPE:-fallback}/x.jsonl"}]
            quarantine: {path: q.jsonl}
            """)
        let plan = try #require(r.plan, "\(r.diagnostics)")
        #expect(plan.baseDirectory.path == "/tmp")
        #expect(plan.quarantinePath.path == "/tmp/q.jsonl")
        #expect(plan.stateDirectory.path == "/tmp/.sluice/p")
    }

    @Test func auditAndTestsSections() throws {
        let r = load("""
            inputs: [{type: memory}]
            outputs: [{type: jsonl, path: x.jsonl}]
            audit: {enabled: false, key_file: keys/audit.key}
            tests:
              - name: ignored by the loader, read by sluice test
            """)
        let plan = try #require(r.plan, "\(r.diagnostics)")
        #expect(plan.audit == AuditPlan(enabled: false, keyFile: URL(fileURLWithPath: "/tmp/sluice-lint/keys/audit.key")))
        #expect(try #require(load("inputs: [{type: memory}]\noutputs: [{type: jsonl, path: x.jsonl}]").plan).audit == AuditPlan())

        let bad = load("""
            inputs: [{type: memory}]
            outputs: [{type: jsonl, path: x.jsonl}]
            audit: {enabeld: false, key_file: 3}
            """)
        #expect(bad.plan == nil)
        #expect(bad.diagnostics.contains { $0.message.contains("enabeld") && ($0.hint ?? "").contains("enabled") })
    }

    @Test func registryRejectsDuplicateNames() {
        #expect(throws: ComponentRegistry.DuplicateName.self) {
            try ComponentRegistry([.stage(RequireFieldsStage.self), .stage(RequireFieldsStage.self)])
        }
        #expect(throws: Never.self) { try Builtins.registry() }
    }

    @Test func suggestionsAreForTyposOnly() {
        #expect(Suggestion.closest(to: "max_tokes", among: ["max_tokens", "overlap"]) == "max_tokens")
        #expect(Suggestion.closest(to: "zebra", among: ["max_tokens", "overlap"]) == nil)
    }
}
