import SluiceJSON
import Testing

@testable import SluiceSchema

@Suite struct ValidatorTests {
    func validator(_ schema: String, formats: Bool = true, draft: SchemaDraft = .draft2020_12) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: JSONParser.parse(schema), options: .init(defaultDraft: draft, formatAssertion: formats))
    }

    @Test func exactNumbers() throws {
        let v = try validator(##"{"multipleOf": 0.01}"##)
        #expect(v.validate(try JSONParser.parse("19.99")).isValid)
        #expect(!v.validate(try JSONParser.parse("19.995")).isValid)
        let i = try validator(##"{"type": "integer", "maximum": 12345678901234567890}"##)
        #expect(i.validate(try JSONParser.parse("1.0")).isValid, "1.0 is an integer")
        #expect(i.validate(try JSONParser.parse("12345678901234567890")).isValid)
        #expect(!i.validate(try JSONParser.parse("12345678901234567891")).isValid)
        #expect(!i.validate(try JSONParser.parse("1.5")).isValid)
        let big = try validator(##"{"multipleOf": 123456789012345678901234567890}"##)
        #expect(big.validate(try JSONParser.parse("246913578024691357802469135780")).isValid)
        #expect(!big.validate(try JSONParser.parse("246913578024691357802469135781")).isValid)
    }

    @Test func absurdNumbersNeverHang() throws {
        let small = try validator(##"{"multipleOf": 0.5, "maximum": 1e999999999}"##)
        #expect(small.validate(try JSONParser.parse("1e999999999")).isValid, "exponent arithmetic, no expansion")
        #expect(!small.validate(try JSONParser.parse("1e-999999999")).isValid)
        let wide = try validator(##"{"multipleOf": 0.1234567890123456789012345}"##)
        let r = wide.validate(try JSONParser.parse("1e999999999"))
        #expect(r.aborted != nil, "a 25-digit divisor against a billion-digit shift is refused, not computed")
        #expect(try validator(##"{"minLength": 1e400}"##).validate("short").isValid == false)
    }

    @Test func violationsCarryLocationsAndReadableMessages() throws {
        let v = try validator(#"""
        {"$id": "https://example.com/article.json", "type": "object", "required": ["title"],
         "properties": {"author": {"$ref": "#/$defs/person"}},
         "$defs": {"person": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}}}
        """#)
        let result = v.validate(try JSONParser.parse(##"{"author": {"email": "bob@"}}"##))
        #expect(!result.isValid)
        let descriptions = result.violations.map(\.description)
        #expect(descriptions.contains(#"/author/email: "bob@" is not a valid email address (format)"#))
        #expect(descriptions.contains(#"/: missing required property "title" (required)"#))
        let format = try #require(result.violations.first { $0.keyword == "format" })
        #expect(format.instanceLocation == "/author/email")
        #expect(format.keywordLocation == "/properties/author/$ref/properties/email/format")
        #expect(format.absoluteKeywordLocation == "https://example.com/article.json#/$defs/person/properties/email/format")
        #expect(!format.redactedMessage.contains("bob"), "the redacted message never quotes content")
        let output = result.basicOutput
        #expect(output["valid"] == .bool(false))
        #expect(output["errors"]?.arrayValue?.count == result.violations.count)
    }

    @Test func formatIsAnAnnotationUnlessAsserted() throws {
        let schema = ##"{"format": "email"}"##
        #expect(try validator(schema, formats: false).validate("nope").isValid)
        #expect(try !validator(schema, formats: true).validate("nope").isValid)
    }

    @Test func invalidSchemasAreReportedWithLocation() throws {
        let cases = [
            ##"{"type": "strin"}"##: "/type",
            ##"{"pattern": "(("}"##: "/pattern",
            ##"{"minLength": -1}"##: "/minLength",
            ##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##: "/properties/a/$ref",
            ##"{"$ref": "http://example.com/elsewhere.json"}"##: "/$ref",
        ]
        for (schema, location) in cases {
            do {
                _ = try validator(schema)
                Issue.record("\(schema) compiled")
            } catch let error as SchemaError {
                #expect(error.location.contains(location), "\(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func refCycleWithoutProgressAborts() throws {
        let v = try validator(##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        let r = v.validate(1)
        #expect(!r.isValid)
        #expect(r.aborted != nil)
    }

    @Test func pathologicalPatternAbortsInsteadOfHanging() throws {
        let v = try validator(##"{"pattern": "^(a|aa)+$"}"##)
        // Non-ASCII text is matched by the backtracking machine, which gives up at its budget.
        let r = v.validate(.string(String(repeating: "a", count: 60) + "é"))
        #expect(!r.isValid)
        #expect(r.aborted != nil)
        // On ASCII text the automaton answers exactly, without giving up.
        let ascii = v.validate(.string(String(repeating: "a", count: 60) + "b"))
        #expect(!ascii.isValid)
        #expect(ascii.aborted == nil)
        #expect(ascii.violations.first?.keyword == "pattern")
        #expect(v.validate(.string(String(repeating: "a", count: 60))).isValid)
    }

    @Test func deepInstanceAgainstRecursiveSchemaIsBounded() throws {
        let v = try validator(##"{"items": {"$ref": "#"}}"##)
        var value: JSONValue = 1
        for _ in 0..<2000 { value = .array([value]) }
        let r = v.validate(value)
        #expect(r.aborted != nil, "recursion deeper than the limit is aborted, not a stack overflow")
        var shallow: JSONValue = 1
        for _ in 0..<100 { shallow = .array([shallow]) }
        #expect(v.validate(shallow).isValid)
    }

    @Test func draft7RefIgnoresSiblings() throws {
        let v = try validator(##"{"definitions": {"a": {"type": "integer"}}, "$ref": "#/definitions/a", "maximum": 1}"##, draft: .draft7)
        #expect(v.validate(5).isValid)
        #expect(!v.validate("x").isValid)
    }

    @Test func recursiveRefOf2019Follows() throws {
        var registry = SchemaRegistry()
        registry.register(try JSONParser.parse(##"""
            {"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "https://example.com/tree", "$recursiveAnchor": true,
             "type": "object", "properties": {"data": true, "children": {"type": "array", "items": {"$recursiveRef": "#"}}}}
            """##), uri: "https://example.com/tree")
        let strict = try JSONSchemaValidator(schema: JSONParser.parse(##"""
            {"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "https://example.com/strict-tree",
             "$recursiveAnchor": true, "$ref": "tree", "unevaluatedProperties": false}
            """##), registry: registry)
        #expect(strict.validate(try JSONParser.parse(#"{"children": [{"data": 1}]}"#)).isValid)
        #expect(!strict.validate(try JSONParser.parse(#"{"children": [{"daat": 1}]}"#)).isValid, "the recursion lands on strict-tree")
        #expect(strict.draft == .draft2019_09)
        #expect(throws: SchemaError.self, "no bundled 2019-09 metaschema to check against") {
            try JSONSchemaValidator.checkAgainstMetaschema(JSONParser.parse(##"{"$schema": "https://json-schema.org/draft/2019-09/schema"}"##))
        }
    }

    @Test func metaschemaCheck() throws {
        let good = try JSONParser.parse(##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}"##)
        #expect(try JSONSchemaValidator.checkAgainstMetaschema(good).isValid)
        let bad = try JSONParser.parse(##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 12, "minLength": "x"}"##)
        let r = try JSONSchemaValidator.checkAgainstMetaschema(bad)
        #expect(!r.isValid)
        #expect(r.violations.contains { $0.instanceLocation == "/minLength" })
        let bad7 = try JSONParser.parse(##"{"$schema": "http://json-schema.org/draft-07/schema#", "required": "x"}"##)
        #expect(try !JSONSchemaValidator.checkAgainstMetaschema(bad7).isValid)
    }

    @Test func remoteFolderMappingStaysInsideTheFolder() throws {
        var registry = SchemaRegistry()
        try registry.registerMapping("/nonexistent-dir=http://example.com/schemas/")
        #expect(throws: SchemaError.self) {
            try JSONSchemaValidator(schema: JSONParser.parse(##"{"$ref": "http://example.com/schemas/../../etc/passwd"}"##), registry: registry)
        }
        #expect(throws: SchemaError.self) { try registry.registerMapping("no-equals-sign") }
    }

    /// Type-and-length-only subschemas are checked in place on the fast path; the answer must be
    /// the keywords' answer (code points, not bytes or characters), for members and items alike.
    @Test func stringLeafFastPathAgreesWithTheKeywords() throws {
        let v = try validator(##"""
            {"properties": {"s": {"type": ["string", "null"], "minLength": 2, "maxLength": 3},
                            "any": {"minLength": 1}, "open": {}, "n": {"type": "string"}},
             "items": {"type": "string", "maxLength": 2}}
            """##)
        let texts = ["", "a", "ab", "abc", "abcd", "éé", "ééé", "éééé", "😀", "😀😀", "😀😀😀😀", "e\u{301}", "e\u{301}e\u{301}"]
        for text in texts {
            let count = text.unicodeScalars.count
            for (field, expected) in [("s", (2...3).contains(count)), ("any", count >= 1), ("open", true), ("n", true)] {
                let doc: JSONValue = .object(JSONObject([(field, .string(text))]))
                #expect(try v.isValid(doc) == expected, "\(field): \(text.debugDescription)")
                #expect(v.validate(doc).isValid == expected, "\(field): \(text.debugDescription)")
            }
            let array: JSONValue = .array([.string("ok"), .string(text)])
            #expect(try v.isValid(array) == (count <= 2), "items: \(text.debugDescription)")
            #expect(v.validate(array).isValid == (count <= 2))
        }
        // Values that are not strings still go through every keyword.
        #expect(try v.isValid(["s": nil]))
        #expect(try !v.isValid(["s": 12]))
        #expect(try !v.isValid(["n": 12]))
        #expect(try v.isValid(["any": 12]))
        #expect(try !v.isValid([1, "a"]))
        #expect(v.validate(["s": "a"]).violations.map(\.keywordLocation) == ["/properties/s/minLength"])
    }
}
