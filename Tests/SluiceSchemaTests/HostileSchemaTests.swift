import Foundation
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

/// Every schema of the test suite with its numbers replaced by extreme values (or its strings by
/// odd ones: broken references, bad patterns, unknown types), validated against
/// the suite's instances: compilation may refuse a schema, but nothing may trap or hang.
@Suite struct HostileSchemaTests {
    static let extremes = ["1e400", "-1e400", "9223372036854775807", "-9223372036854775808", "0.000000000000000000001", "1e-400", "0"]

    static let oddStrings = ["#", "#/", "#/$defs", "%", "%zz", "\\", "(", "^(a+)+$", "http://localhost:1234/", "urn:", "", "../../x", "#foo"]

    static func replaceStrings(_ v: JSONValue, with text: String) -> JSONValue {
        switch v {
        case .string: return .string(text)
        case .array(let a): return .array(a.map { replaceStrings($0, with: text) })
        case .object(let o): return .object(JSONObject(o.keys.compactMap { k in o[k].map { (k, replaceStrings($0, with: text)) } }))
        default: return v
        }
    }

    static func replaceNumbers(_ v: JSONValue, with text: String) -> JSONValue {
        switch v {
        case .number: return .number(JSONNumber(uncheckedText: text))
        case .array(let a): return .array(a.map { replaceNumbers($0, with: text) })
        case .object(let o): return .object(JSONObject(o.keys.compactMap { k in o[k].map { (k, replaceNumbers($0, with: text)) } }))
        default: return v
        }
    }

    @Test(.enabled(if: SharedFixtures.shouldRun), arguments: ["draft2020-12", "draft7"])
    func extremeNumbersNeverTrap(_ draft: String) throws {
        let dir = try SharedFixtures.directory("conformance/json-schema-test-suite/tests/\(draft)")
        var registry = SchemaRegistry()
        registry.registerFolder(try SharedFixtures.directory("conformance/json-schema-test-suite/remotes"), baseURI: "http://localhost:1234/")
        let options = JSONSchemaValidator.Options(defaultDraft: draft == "draft7" ? .draft7 : .draft2020_12, formatAssertion: true)
        var compiled = 0, refused = 0, validated = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".json") }) {
            guard case .array(let groups) = try JSONParser.parse([UInt8](Data(contentsOf: dir.appendingPathComponent(file)))) else { continue }
            for group in groups {
                guard let schema = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                let mutations = Self.extremes.map { Self.replaceNumbers(schema, with: $0) } + Self.oddStrings.map { Self.replaceStrings(schema, with: $0) }
                for (m, mutated) in mutations.enumerated() {
                    let text = m < Self.extremes.count ? Self.extremes[m] : "0"
                    guard let v = try? JSONSchemaValidator(schema: mutated, registry: registry, options: options) else { refused += 1; continue }
                    compiled += 1
                    for t in tests {
                        guard let data = t["data"] else { continue }
                        _ = v.validate(data)
                        _ = v.validate(Self.replaceNumbers(data, with: text))
                        validated += 2
                    }
                }
            }
        }
        print("hostile schemas (\(draft)): \(compiled) compiled, \(refused) refused, \(validated) validations, no trap")
        #expect(compiled > 0 && validated > 0)
    }
}
