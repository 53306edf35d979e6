import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceTesting
import Testing

/// `sluice validate` knows what a `map` or `rename_fields` sets and what a later
/// `validate_schema` refuses (issue 13 item 6).
@Suite struct SchemaAwarenessTests {
    static let schema = """
        {"type": "object", "additionalProperties": false,
         "properties": {"id": {"type": "string"}, "count": {"type": "integer"}, "tags": {"type": "array"},
                        "author": {"$ref": "#/$defs/author"}, "payload": {"type": "object"}},
         "$defs": {"author": {"type": "object", "additionalProperties": false,
                             "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}}}
        """

    /// Loads a pipeline whose `stages:` section is `stagesYAML` (line 1 holds `inputs`, line 2
    /// `outputs`, line 3 `stages:`), with the schema above beside it.
    static func load(_ stagesYAML: String) throws -> PipelineLoader.Result {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("schema.json", schema)
        let loader = PipelineLoader(registry: try .withTestComponents(builtinComponents), environment: [:])
        return loader.load(text: "inputs: [{type: memory, name: a}, {type: memory, name: b}]\noutputs: [{type: jsonl, path: x.jsonl}]\nstages:\n"
                           + stagesYAML, displayPath: "pipelines/x.yaml", file: dir.path("x.yaml"))
    }

    static func refusals(_ stagesYAML: String) throws -> [ConfigDiagnostic] {
        let diagnostics = try load(stagesYAML).diagnostics
        #expect(diagnostics.allSatisfy { $0.code == "field_refused" }, "\(diagnostics)")
        return diagnostics.filter { $0.code == "field_refused" }
    }

    static let validate = "  - type: validate_schema\n    schema: schema.json\n"

    @Test func aForbiddenFieldIsAnErrorAtItsAssignment() throws {
        let r = try Self.load("""
              - type: map
                mapping: |
                  .id = %file_stem
                  .extra = 1
            """ + "\n" + Self.validate)
        #expect(r.plan == nil)
        let d = try #require(r.diagnostics.first { $0.code == "field_refused" }, "\(r.diagnostics)")
        #expect(d.severity == .error)
        #expect(d.location?.description == "pipelines/x.yaml:7:7")
        #expect(d.message == "the assignment to /extra sets a field that stage 'validate_schema' refuses: "
                + "the record allows no other fields (additionalProperties is false) and 'extra' is not among its properties")
        #expect(d.hint?.contains("#/additionalProperties") == true)
    }

    @Test func aKnownTypeTheSchemaRefusesIsAnError() throws {
        let d = try Self.refusals("""
              - type: map
                mapping: |
                  .count = to_string(.n)
                  .id = to_int(.x) ?? null
                  .author = {"name": .a, "handle": "x"}
                  .tags = split(.t ?? "", "|")
            """ + "\n" + Self.validate)
        #expect(d.map(\.severity) == [.error, .error, .error])
        #expect(d.map { $0.location?.line } == [6, 7, 8])
        #expect(d[0].message.hasSuffix("'/count' must be number, and gets string"))
        #expect(d[1].message.hasSuffix("'/id' must be string, and gets null or number"))
        #expect(d[2].message.contains("the member 'handle' set at /author/handle"))
        #expect(d[2].message.hasSuffix("'/author' allows no other fields (additionalProperties is false) and 'handle' is not among its properties"))
    }

    @Test func fieldsThatMayPassAreNotReported() throws {
        let d = try Self.refusals("""
              - type: map
                mapping: |
                  .count = to_int(.n) ?? 0
                  .tmp = upper(.t) ?? ""
                  .id = .tmp + "-1"
                  del(.tmp)
                  .gone = 1
                  .author.name = "Ann"
                  .payload.anything = [1]
              - type: drop_fields
                fields: [/gone]
            """ + "\n" + Self.validate)
        #expect(d.isEmpty, "\(d)")
    }

    @Test func onlySomeRecordsMeansAWarning() throws {
        let d = try Self.refusals("""
              - type: map
                mapping: |
                  if .flag == true { .extra1 = 1 }
              - {type: map, name: m2, when: .kind == "x", mapping: .extra2 = 2}
              - type: rename_fields
                fields: {/old: /extra3}
              - {type: map, name: m4, mapping: .extra4 = 1}
              - {type: map, name: m5, inputs: [a], mapping: "if .f == 1 { del(.extra4) }"}
            """ + "\n" + Self.validate)
        #expect(d.map(\.severity) == [.warning, .warning, .warning, .warning], "\(d)")
        #expect(d.map { $0.location?.line } == [6, 7, 9, 10])
    }

    @Test func inputsThatNeverMeetAreNotReported() throws {
        let d = try Self.refusals("""
              - type: map
                inputs: [a]
                mapping: .extra = 1
              - type: validate_schema
                inputs: [b]
                schema: schema.json
              - type: map
                name: late
                inputs: [b]
                mapping: .late = 1
            """)
        #expect(d.isEmpty, "\(d)")
        let when = try Self.refusals("  - type: map\n    inputs: [a]\n    mapping: .extra = 1\n  - type: validate_schema\n    when: .x == 1\n    schema: schema.json\n")
        #expect(when.map(\.severity) == [.warning])
    }

    @Test func aValidatedFieldIsJudgedInsideIt() throws {
        let d = try Self.refusals("""
              - type: map
                mapping: |
                  .doc.count = "3"
                  .other = 1
              - type: validate_schema
                schema: schema.json
                field: /doc
            """)
        #expect(d.map(\.message) == ["the assignment to /doc/count sets a field that stage 'validate_schema' refuses: '/count' must be number, and gets string"])
    }
}
