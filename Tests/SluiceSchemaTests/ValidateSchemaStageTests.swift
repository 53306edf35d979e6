import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

@Suite struct ValidateSchemaStageTests {
    static let articleSchema = ##"""
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["title", "author"],
     "properties": {"title": {"type": "string", "minLength": 1},
                    "author": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
                    "slug": {"$ref": "https://example.com/common/slug.json"}}}
    """##

    func build(_ dir: TemporaryDirectory, _ options: [String: ConfigNode]) throws -> ValidateSchemaStage {
        try ValidateSchemaStage(options: ComponentOptions(options, fields: ValidateSchemaStage.descriptor.fields),
                                context: BuildContext(pipeline: "p", instanceName: "check", baseDirectory: dir.url))
    }

    func scalar(_ s: String) -> ConfigNode { ConfigNode(.scalar(s, quoted: false)) }

    func record(_ json: String) throws -> Record {
        Record(id: "r1", value: try JSONParser.parse(json), provenance: Provenance(input: "in", uri: "x.jsonl", locator: Locator(line: 1), sha256: ""))
    }

    func setUp() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try dir.write("schemas/article.json", Self.articleSchema)
        _ = try dir.write("schemas/common/slug.json", #"{"type": "string", "pattern": "^[a-z0-9-]+$"}"#)
        return dir
    }

    var baseOptions: [String: ConfigNode] {
        ["schema": scalar("schemas/article.json"),
         "remotes": ConfigNode(.sequence([scalar("schemas/common=https://example.com/common/")]))]
    }

    @Test func quarantinesWithViolationsAsData() throws {
        let dir = try setUp()
        defer { dir.remove() }
        let stage = try build(dir, baseOptions)
        if case .pass = try stage.process(try record(#"{"title": "T", "author": {"email": "a@b.org"}, "slug": "ok-1"}"#)) {} else {
            Issue.record("valid record did not pass")
        }
        let outcome = try stage.process(try record(#"{"title": "", "author": {"email": "bob@"}, "slug": "Not OK"}"#))
        guard case .quarantine(let failure) = outcome else { Issue.record("not quarantined: \(outcome)"); return }
        #expect(failure.code == .schemaViolation)
        #expect(failure.stage == "check")
        #expect(failure.recordID == "r1")
        #expect(!failure.message.contains("bob@"), "quarantine reasons never quote content")
        let violations = try #require(failure.details?["violations"]?.arrayValue)
        let locations = Set(violations.compactMap { $0["instanceLocation"]?.stringValue })
        #expect(locations == ["/title", "/author/email", "/slug"])
        #expect(violations.contains { $0["keyword"]?.stringValue == "format" && $0["keywordLocation"]?.stringValue == "/properties/author/properties/email/format" })
    }

    @Test func onInvalidModes() throws {
        let dir = try setUp()
        defer { dir.remove() }
        let bad = try record(#"{"title": 5, "author": {}}"#)
        var options = baseOptions
        options["on_invalid"] = scalar("drop")
        guard case .drop(_, let reason) = try build(dir, options).process(bad) else { Issue.record("not dropped"); return }
        #expect(reason.code == "schema_violation")
        options["on_invalid"] = scalar("fail")
        #expect(throws: SluiceError.self) { try build(dir, options).process(bad) }
        options["on_invalid"] = scalar("annotate")
        guard case .pass(let annotated, _) = try build(dir, options).process(bad) else { Issue.record("not passed"); return }
        #expect(annotated.value["_schema_errors"]?.arrayValue?.first?["error"]?.stringValue == "expected string, found integer")
    }

    @Test func fieldSelectsThePartToValidate() throws {
        let dir = try setUp()
        defer { dir.remove() }
        var options = baseOptions
        options["field"] = scalar("/doc")
        let stage = try build(dir, options)
        guard case .quarantine(let f) = try stage.process(try record(#"{"doc": {"title": 1, "author": {}}}"#)) else { Issue.record("passed"); return }
        #expect(f.pointer == "/doc/title")
        guard case .quarantine(let missing) = try stage.process(try record(#"{"other": 1}"#)) else { Issue.record("passed"); return }
        #expect(missing.pointer == "/doc")
    }

    @Test func pathologicalPatternQuarantinesAsAborted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // A backreference keeps the pattern on the backtracking machine (no automaton).
        _ = try dir.write("s.json", #"{"properties": {"x": {"pattern": "^(a+)+(b?)\\2$"}}}"#)
        let stage = try build(dir, ["schema": scalar("s.json")])
        let r = try record("{\"x\": \"" + String(repeating: "a", count: 50) + "!\"}")
        guard case .quarantine(let f) = try stage.process(r) else { Issue.record("not quarantined"); return }
        #expect(f.code == .schemaCheckAborted)
        #expect(f.pointer == "/x")
    }

    @Test func invalidSchemasAreConfigDiagnostics() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("typo.json", #"{"type": "objekt"}"#)
        _ = try dir.write("broken.json", #"{"type": "object",}"#)
        _ = try dir.write("dangling.json", ##"{"$ref": "#/$defs/nope"}"##)
        _ = try dir.write("badregex.json", #"{"pattern": "[a-"}"#)
        for file in ["typo.json", "broken.json", "dangling.json", "badregex.json", "absent.json"] {
            #expect(throws: ConfigDiagnostic.self, "\(file)") { try build(dir, ["schema": scalar(file)]) }
        }
        do {
            _ = try build(dir, ["schema": scalar("typo.json")])
        } catch let d as ConfigDiagnostic {
            #expect(d.code == "invalid_schema")
            #expect(d.message.contains("/type"))
        }
    }

    @Test func xmlSchemaValidationWithLineNumbers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("order.xsd", """
            <?xml version="1.0"?>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:element name="order">
                <xs:complexType><xs:sequence>
                  <xs:element name="id" type="xs:positiveInteger"/>
                  <xs:element name="email" type="xs:string"/>
                </xs:sequence></xs:complexType>
              </xs:element>
            </xs:schema>
            """)
        #expect(throws: ConfigDiagnostic.self) { try build(dir, ["schema": scalar("order.xsd")]) }
        let stage = try build(dir, ["schema": scalar("order.xsd"), "field": scalar("/xml")])
        let good = Record(id: "a", value: ["xml": "<order><id>3</id><email>a@b</email></order>"], provenance: Provenance(input: "i", uri: "u", locator: Locator(), sha256: ""))
        if case .pass = try stage.process(good) {} else { Issue.record("valid XML did not pass") }
        let bad = Record(id: "b", value: ["xml": "<order>\n<id>-3</id>\n<email>a@b</email></order>"], provenance: good.provenance)
        guard case .quarantine(let f) = try stage.process(bad) else { Issue.record("invalid XML passed"); return }
        #expect(f.code == .schemaViolation)
        #expect(f.details?["violations"]?.arrayValue?.first?["line"] == 2)
        let bomb = Record(id: "c", value: ["xml": "<!DOCTYPE order [<!ENTITY a \"aaaa\">]><order><id>&a;</id></order>"], provenance: good.provenance)
        guard case .quarantine(let fb) = try stage.process(bomb) else { Issue.record("DTD passed"); return }
        #expect(fb.code == .forbiddenXML)
        let broken = Record(id: "d", value: ["xml": "<order><id>"], provenance: good.provenance)
        guard case .quarantine(let fm) = try stage.process(broken) else { Issue.record("malformed passed"); return }
        #expect(fm.code == .malformed)
    }

    @Test func xsdWithRemoteIncludeIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("remote.xsd", """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="http://example.com/other.xsd"/>
            </xs:schema>
            """)
        #expect(throws: SchemaError.self) { try XMLSchemaValidator(contentsOf: dir.path("remote.xsd")) }
    }
}
