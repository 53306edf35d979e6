import Foundation
import SluiceJSON
import SluiceTesting
import Testing

@testable import SluiceSchema

/// Runs the official JSON-Schema-Test-Suite (../shared/conformance/json-schema-test-suite) for
/// draft 2020-12 and draft 7: required tests must all pass; optional/format (format assertion
/// on) at least 95%; the rest of optional at least 90%. Every test also checks that the fast
/// path and the collecting path agree and that an invalid verdict comes with violations.
@Suite struct ConformanceSuiteTests {
    struct Folder: CustomStringConvertible, Sendable {
        var draft: String
        var sub: String
        var minimumRatio: Double
        var description: String { "\(draft)/\(sub.isEmpty ? "required" : sub)" }
    }

    static let folders: [Folder] = [
        Folder(draft: "draft2020-12", sub: "", minimumRatio: 1.0),
        Folder(draft: "draft2020-12", sub: "optional", minimumRatio: 0.90),
        Folder(draft: "draft2020-12", sub: "optional/format", minimumRatio: 0.95),
        Folder(draft: "draft7", sub: "", minimumRatio: 1.0),
        Folder(draft: "draft7", sub: "optional", minimumRatio: 0.90),
        Folder(draft: "draft7", sub: "optional/format", minimumRatio: 0.95),
    ]

    /// Tests that are not run, with the reason. Skipped tests never count as passed.
    static let skipped: [String: String] = [:]

    struct Tally {
        var passed = 0
        var failed: [String] = []
        var skipped = 0
        var total: Int { passed + failed.count + skipped }
    }

    @Test(.enabled(if: SharedFixtures.shouldRun), arguments: folders)
    func suite(_ folder: Folder) throws {
        let root = try SharedFixtures.directory("conformance/json-schema-test-suite")
        let dir = root.appendingPathComponent("tests/\(folder.draft)/\(folder.sub)")
        var registry = SchemaRegistry()
        registry.registerFolder(root.appendingPathComponent("remotes"), baseURI: "http://localhost:1234/")
        let draft: SchemaDraft = folder.draft == "draft7" ? .draft7 : .draft2020_12
        // Format assertion for optional/format (as the suite says); content assertion is draft 7's
        // optional behaviour that its optional/content.json tests.
        let options = JSONSchemaValidator.Options(defaultDraft: draft, formatAssertion: folder.sub == "optional/format",
                                                  contentAssertion: draft == .draft7 && folder.sub == "optional")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var tally = Tally()
        var perFile: [String] = []
        for file in files {
            let before = (tally.passed, tally.failed.count)
            let data = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
            guard case .array(let groups) = try JSONParser.parse(data) else { Issue.record("\(file) is not an array"); continue }
            for group in groups {
                let groupName = group["description"]?.stringValue ?? "?"
                guard let schema = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                let validator: Result<JSONSchemaValidator, SchemaError> = Result {
                    () throws(SchemaError) -> JSONSchemaValidator in
                    try JSONSchemaValidator(schema: schema, registry: registry, options: options)
                }
                for test in tests {
                    let name = "\(folder)/\(file) | \(groupName) | \(test["description"]?.stringValue ?? "?")"
                    if Self.skipped[name] != nil { tally.skipped += 1; continue }
                    guard let instance = test["data"], let expected = test["valid"]?.boolValue else { continue }
                    switch validator {
                    case .failure(let error):
                        tally.failed.append("\(name): schema did not compile: \(error)")
                    case .success(let v):
                        let result = v.validate(instance)
                        let fast = try? v.isValid(instance)
                        if let aborted = result.aborted {
                            tally.failed.append("\(name): aborted: \(aborted)")
                        } else if result.isValid != expected {
                            tally.failed.append("\(name): expected \(expected ? "valid" : "invalid"), got \(result.isValid) \(result.violations.prefix(2).map(\.description))")
                        } else if fast != result.isValid {
                            tally.failed.append("\(name): fast path says \(String(describing: fast)), collecting path says \(result.isValid)")
                        } else if !result.isValid && result.violations.isEmpty {
                            tally.failed.append("\(name): invalid but no violation reported")
                        } else {
                            tally.passed += 1
                        }
                    }
                }
            }
            let passed = tally.passed - before.0, failed = tally.failed.count - before.1
            if failed > 0 { perFile.append("  \(file): \(passed) passed, \(failed) failed") }
        }
        let ratio = tally.total == 0 ? 0 : Double(tally.passed) / Double(tally.total)
        print("JSON-Schema-Test-Suite \(folder): \(tally.passed)/\(tally.total) passed, \(tally.failed.count) failed, \(tally.skipped) skipped (\(String(format: "%.1f", ratio * 100))%)")
        for line in perFile { print(line) }
        for f in tally.failed.prefix(60) { print("    FAIL \(f)") }
        #expect(tally.total > 0)
        #expect(ratio >= folder.minimumRatio, "\(folder): \(tally.passed)/\(tally.total) is below \(folder.minimumRatio * 100)%")
    }
}
