import Foundation
import Testing
import SluiceJSON
import SluiceTesting

/// nst/JSONTestSuite: `y_` must parse, `n_` must be rejected, `i_` may go either way but must
/// finish without a crash.
@Suite struct JSONConformanceTests {
    @Test(.enabled(if: SharedFixtures.shouldRun)) func jsonTestSuiteParsing() throws {
        let folder = try SharedFixtures.directory("conformance/json-test-suite/test_parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 318)
        var accepted = 0, rejected = 0, implementationAccepted = 0, implementationRejected = 0
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let result = Result { () throws(JSONParseError) in try JSONParser.parse(bytes) }
            switch (name.prefix(2), result) {
            case ("y_", .success): accepted += 1
            case ("y_", .failure(let error)): Issue.record("\(name) must parse: \(error)")
            case ("n_", .failure(let error)):
                rejected += 1
                #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count, "\(name)")
            case ("n_", .success): Issue.record("\(name) must be rejected")
            case ("i_", .success): implementationAccepted += 1
            case ("i_", .failure): implementationRejected += 1
            default: Issue.record("unexpected file \(name)")
            }
        }
        print("JSONTestSuite test_parsing: y_ accepted \(accepted)/95, n_ rejected \(rejected)/188, i_ accepted \(implementationAccepted), i_ rejected \(implementationRejected)")
        #expect(accepted == 95)
        #expect(rejected == 188)
        #expect(implementationAccepted + implementationRejected == 35)
    }

    /// The ambiguous documents of test_transform: numbers and strings must survive a round trip
    /// byte for byte where they parse.
    @Test(.enabled(if: SharedFixtures.shouldRun)) func jsonTestSuiteTransform() throws {
        let folder = try SharedFixtures.directory("conformance/json-test-suite/test_transform")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 22)
        var parsed = 0
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            guard let value = try? JSONParser.parse(bytes) else {
                // Only the lone-surrogate and invalid-UTF-8 cases may be refused.
                #expect(name.contains("invalid_codepoint"), "\(name) should parse")
                continue
            }
            parsed += 1
            let written = JSONWriter.bytes(value)
            #expect(try JSONParser.parse(written) == value, "\(name)")
            if name.hasPrefix("number_") {
                let compact = bytes.filter { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
                #expect(written == compact, "\(name): numbers are written back exactly")
            }
        }
        print("JSONTestSuite test_transform: \(parsed)/\(names.count) parsed and round-tripped")
        let sameKey = try JSONParser.parse([UInt8](Data(contentsOf: folder.appendingPathComponent("object_same_key_different_values.json"))))
        #expect(JSONWriter.string(sameKey) == #"{"a":2}"#)
    }
}
