import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

/// XML Schema validation never reads entities or anything else beyond the schema's own local
/// files: not for records, not for the schema.
@Suite struct XMLSchemaSafetyTests {
    static let orderSchema = """
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="order">
            <xs:complexType><xs:sequence><xs:element name="id" type="xs:positiveInteger"/></xs:sequence></xs:complexType>
          </xs:element>
        </xs:schema>
        """

    @Test func recordsWithExternalEntitiesAreRefusedUnread() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let schema = try dir.write("order.xsd", Self.orderSchema)
        // Were the entity's file read, its content would make the record valid, and a
        // parameter entity pointing at a file that is not well-formed would fail the parse.
        let secret = try dir.write("secret.txt", "7")
        let broken = try dir.write("broken.dtd", "<<<< not a DTD")
        let validator = try XMLSchemaValidator(contentsOf: schema)
        let documents = [
            "<!DOCTYPE order [<!ENTITY x SYSTEM \"\(secret.absoluteString)\">]><order><id>&x;</id></order>",
            "<!DOCTYPE order [<!ENTITY % p SYSTEM \"\(broken.absoluteString)\"> %p;]><order><id>1</id></order>",
            "<!DOCTYPE order SYSTEM \"\(broken.absoluteString)\"><order><id>1</id></order>",
            "<!DOCTYPE order [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><order><id>&x;</id></order>",
        ]
        for xml in documents {
            let result = validator.validate(xml: xml)
            #expect(!result.isValid, "\(xml)")
            #expect(result.isMalformed)
            #expect(result.violations.map(\.message) == ["the document declares a DTD (DOCTYPE); DTDs and entities are refused"], "\(xml)")
        }
        #expect(validator.validate(xml: "<order><id>7</id></order>").isValid)
    }

    @Test func schemaEntitiesAreNotExpanded() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // An external entity that would declare another element if it were expanded.
        let injected = try dir.write("injected.xml", #"<xs:element xmlns:xs="http://www.w3.org/2001/XMLSchema" name="injected" type="xs:string"/>"#)
        let schema = try dir.write("entity.xsd", """
            <?xml version="1.0"?>
            <!DOCTYPE xs:schema [<!ENTITY inject SYSTEM "\(injected.absoluteString)">]>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:element name="order" type="xs:string"/>
              &inject;
            </xs:schema>
            """)
        let validator: XMLSchemaValidator
        do { validator = try XMLSchemaValidator(contentsOf: schema) } catch {
            // Refusing such a schema outright is as safe.
            return
        }
        #expect(validator.validate(xml: "<order>x</order>").isValid)
        #expect(!validator.validate(xml: "<injected>x</injected>").isValid, "the external entity was expanded into the schema")
    }

    @Test func violationsCarryLineAndColumnAsData() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let validator = try XMLSchemaValidator(contentsOf: try dir.write("order.xsd", Self.orderSchema))
        let result = validator.validate(xml: "<order>\n\n  <id>zero</id>\n</order>")
        #expect(!result.isValid)
        #expect(!result.isMalformed)
        let first = try #require(result.violations.first)
        #expect(first.line == 3)
        #expect(first.message.contains("id"))
        #expect(first.json["line"] == 3)
        let malformed = validator.validate(xml: "<order>\n<id>1</id>\n</oops>")
        #expect(malformed.isMalformed)
        #expect(malformed.violations.first?.line == 3)
    }
}
