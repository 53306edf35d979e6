import Foundation
import SluiceJSON
import SluiceTesting
import Testing

/// `sluice schema validate` and `sluice schema check` through the real binary: exit statuses,
/// the one-line-per-input output shape, standard input, and every option.
@Suite struct SchemaCLITests {
    static let schema = #"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["a"],
         "properties": {"a": {"type": "integer"}, "email": {"type": "string", "format": "email"}}}
        """#

    /// A project with the schema as `s.json` beside `files` (a file of the same name wins).
    func project(pipeline: String? = nil, _ files: [String: String] = [:]) throws -> TemporaryProject {
        try TemporaryProject(pipeline: pipeline, files: ["s.json": Self.schema].merging(files) { $1 })
    }

    /// The output lines parsed as JSON, each checked for the documented shape.
    func results(_ stdout: String) throws -> [(valid: Bool, errors: [(instance: String, keyword: String, message: String)])] {
        var out: [(Bool, [(String, String, String)])] = []
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let v = try JSONParser.parse(String(line))
            let o = try #require(v.objectValue, "not an object: \(line)")
            #expect(o.keys == ["valid", "errors"], "keys of \(line)")
            let valid = try #require(o["valid"]?.boolValue as Bool?)
            var errors: [(String, String, String)] = []
            for e in try #require(o["errors"]?.arrayValue) {
                let eo = try #require(e.objectValue)
                #expect(eo.keys == ["instance", "keyword", "message"], "error keys of \(line)")
                errors.append((try #require(eo["instance"]?.stringValue), try #require(eo["keyword"]?.stringValue),
                               try #require(eo["message"]?.stringValue)))
            }
            #expect(valid == errors.isEmpty, "valid and errors disagree in \(line)")
            out.append((valid, errors))
        }
        #expect(stdout.isEmpty || stdout.hasSuffix("\n"))
        return out.map { (valid: $0.0, errors: $0.1.map { (instance: $0.0, keyword: $0.1, message: $0.2) }) }
    }

    @Test func allValidExitsZeroWithOneLinePerInput() throws {
        let dir = try project(["ok.jsonl": "{\"a\": 1}\n{\"a\": 2, \"email\": \"bob@example.org\"}\n{\"a\": 3.0}\n"])
        defer { dir.remove() }
        let r = try dir.sluice(["schema", "validate", "--schema", "s.json", "ok.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try results(r.stdout)
        #expect(lines.count == 3)
        #expect(lines.map(\.valid) == [true, true, true])
        #expect(r.stdout.hasPrefix(#"{"valid":true,"errors":[]}"#))
    }

    @Test func invalidLinesExit65WithLocationsAndMessages() throws {
        let dir = try project(["in.jsonl": """
            {"a": 1}
            {"a": "x"}
            {"email": "bob@"}
            {"a": 1

            [1, 2]
            """])
        defer { dir.remove() }
        let r = try dir.sluice(["schema", "validate", "--schema", "s.json", "in.jsonl"])
        #expect(r.status == 65, "\(r.stderr)")
        let lines = try results(r.stdout)
        // One output line per input line, blank and malformed ones included, in order.
        try #require(lines.count == 6)
        #expect(lines[0].valid)
        #expect(lines[1].errors.map(\.instance) == ["/a"])
        #expect(lines[1].errors.map(\.keyword) == ["/properties/a/type"])
        #expect(lines[1].errors[0].message.contains("expected integer, found string"))
        let third = Set(lines[2].errors.map(\.keyword))
        #expect(third == ["/required", "/properties/email/format"])
        #expect(lines[2].errors.first { $0.keyword == "/properties/email/format" }?.instance == "/email")
        #expect(lines[2].errors.contains { $0.message.contains("\"bob@\" is not a valid email address") })
        #expect(lines[2].errors.contains { $0.message.contains("missing required property \"a\"") })
        for malformed in [lines[3], lines[4]] {
            #expect(!malformed.valid)
            #expect(malformed.errors.count == 1)
            #expect(malformed.errors[0].message.contains("not valid JSON"))
        }
        #expect(lines[5].errors.map(\.keyword) == ["/type"])
        #expect(lines[5].errors.map(\.instance) == [""])
    }

    @Test func readsStandardInputWithDashOrNoArgument() throws {
        let dir = try project(["in.jsonl": "{\"a\": 1}\n{\"a\": true}\n"])
        defer { dir.remove() }
        for args in [["schema", "validate", "--schema", "s.json", "-"], ["schema", "validate", "--schema", "s.json"]] {
            let r = try runWithInput(args, stdin: dir.path("in.jsonl"), in: dir.url)
            #expect(r.status == 65, "\(args): \(r.stderr)")
            let lines = try results(r.stdout)
            #expect(lines.map(\.valid) == [true, false], "\(args)")
            #expect(lines.last?.errors.first?.keyword == "/properties/a/type")
        }
        let empty = try runWithInput(["schema", "validate", "--schema", "s.json", "-"], stdin: dir.path("s.json"), in: dir.url, stdinText: "")
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)
    }

    @Test func missingInputIs66AndUsageErrorsAre64() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["schema", "validate", "--schema", "s.json", "nope.jsonl"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("nope.jsonl"))
        #expect(try dir.sluice(["schema", "validate", "--schema", "s.json", "--draft", "9", "-"]).status == 64)
        #expect(try dir.sluice(["schema", "validate", "--schema", "s.json", "--format-assertion", "maybe", "-"]).status == 64)
        let missingSchema = try dir.sluice(["schema", "validate", "--schema", "absent.json", "-"])
        #expect(missingSchema.status == 66)
        #expect(missingSchema.stderr.contains("absent.json"))
    }

    @Test func invalidSchemaIs78WithItsLocation() throws {
        let dir = try project([
            "typo.json": #"{"properties": {"n": {"type": "objekt"}}}"#,
            "negative.json": #"{"minLength": -1}"#,
            "notjson.json": #"{"type": "#,
            "badref.json": ##"{"$ref": "#/$defs/missing"}"##,
            "badpattern.json": #"{"pattern": "a{2,1}"}"#,
            "in.jsonl": "{}\n",
        ])
        defer { dir.remove() }
        let cases: [(String, [String])] = [
            ("typo.json", ["typo.json#/properties/n/type", "does not conform to its metaschema", "\"objekt\" is not one of"]),
            ("negative.json", ["negative.json#/minLength", "-1 is not at least 0"]),
            ("notjson.json", ["notjson.json"]),
            ("badref.json", ["badref.json", "#/$defs/missing"]),
            ("badpattern.json", ["badpattern.json#/pattern", "invalid regular expression"]),
        ]
        for (file, needles) in cases {
            let r = try dir.sluice(["schema", "validate", "--schema", file, "in.jsonl"])
            #expect(r.status == 78, "\(file): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(file)")
            for needle in needles { #expect(r.stderr.contains(needle), "\(file): \(r.stderr)") }
        }
    }

    @Test func draftOptionPicksTheDialectOfSchemasWithoutSchemaKeyword() throws {
        // Array-form `items` with `additionalItems` is draft 7; in 2020-12 `items` must be a schema.
        let dir = try project([
            "tuple.json": #"{"items": [{"type": "string"}], "additionalItems": false}"#,
            "in.jsonl": "[\"a\"]\n[\"a\", 1]\n",
        ])
        defer { dir.remove() }
        let seven = try dir.sluice(["schema", "validate", "--schema", "tuple.json", "--draft", "7", "in.jsonl"])
        #expect(seven.status == 65, "\(seven.stderr)")
        let lines = try results(seven.stdout)
        #expect(lines.map(\.valid) == [true, false])
        #expect(lines.last?.errors.first?.keyword == "/additionalItems")
        let modern = try dir.sluice(["schema", "validate", "--schema", "tuple.json", "in.jsonl"])
        #expect(modern.status == 78, "\(modern.stderr)")
        #expect(modern.stderr.contains("tuple.json#/items"))
    }

    @Test func formatAssertionCanBeTurnedOff() throws {
        let dir = try project(["in.jsonl": "{\"a\": 1, \"email\": \"bob@\"}\n"])
        defer { dir.remove() }
        let on = try dir.sluice(["schema", "validate", "--schema", "s.json", "in.jsonl"])
        #expect(on.status == 65)
        #expect(try results(on.stdout).first?.errors.map(\.keyword) == ["/properties/email/format"])
        let off = try dir.sluice(["schema", "validate", "--schema", "s.json", "--format-assertion", "off", "in.jsonl"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try results(off.stdout).first?.valid == true)
    }

    @Test func remoteFoldersServeReferencesWithoutNetwork() throws {
        let dir = try project([
            "schemas/common/name.json": #"{"$defs": {"name": {"type": "string", "minLength": 2}}}"#,
            "person.json": #"{"properties": {"name": {"$ref": "https://example.com/schemas/name.json#/$defs/name"}}}"#,
            "in.jsonl": "{\"name\": \"Ada\"}\n{\"name\": \"A\"}\n",
        ])
        defer { dir.remove() }
        let r = try dir.sluice(["schema", "validate", "--schema", "person.json",
                                "--remote", "schemas/common=https://example.com/schemas/", "in.jsonl"])
        #expect(r.status == 65, "\(r.stderr)")
        let lines = try results(r.stdout)
        #expect(lines.map(\.valid) == [true, false])
        #expect(lines.last?.errors.first?.keyword == "/properties/name/$ref/minLength")
        #expect(lines.last?.errors.first?.instance == "/name")
        // Without the mapping the reference cannot resolve (nothing is fetched): the schema is invalid.
        let unmapped = try dir.sluice(["schema", "validate", "--schema", "person.json", "in.jsonl"])
        #expect(unmapped.status == 78)
        #expect(unmapped.stderr.contains("https://example.com/schemas/name.json"))
        // `schema check` takes the same mappings.
        let checked = try dir.sluice(["schema", "check", "person.json", "--remote", "schemas/common=https://example.com/schemas/"])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(try dir.sluice(["schema", "check", "person.json"]).status == 78)
        // A malformed mapping is a usage error.
        #expect(try dir.sluice(["schema", "validate", "--schema", "s.json", "--remote", "nobase", "in.jsonl"]).status == 64)
    }

    @Test func pathologicalCheckIsReportedAsAborted() throws {
        let dir = try project([
            "p.json": #"{"pattern": "^(a|aa)+$"}"#,
            "in.jsonl": "\"" + String(repeating: "a", count: 60) + "é\"\n\"aaaa\"\n",
        ])
        defer { dir.remove() }
        let r = try dir.sluice(["schema", "validate", "--schema", "p.json", "in.jsonl"])
        #expect(r.status == 65, "\(r.stderr)")
        let lines = try results(r.stdout)
        #expect(lines.map(\.valid) == [false, true])
        #expect(lines.first?.errors.last?.message.contains("schema check aborted") == true)
    }

    @Test func checkValidatesAgainstTheMetaschema() throws {
        let dir = try project([
            "bad.json": #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "minLength": -1, "type": 5}"#,
            "seven.json": ##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"x": {"type": "string"}}, "$ref": "#/definitions/x"}"##,
            "badref.json": #"{"$ref": "other.json"}"#,
        ])
        defer { dir.remove() }
        let ok = try dir.sluice(["schema", "check", "s.json"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("s.json: valid"))
        #expect(try dir.sluice(["schema", "check", "seven.json"]).status == 0)
        let bad = try dir.sluice(["schema", "check", "bad.json"])
        #expect(bad.status == 78)
        #expect(bad.stdout.contains("bad.json#/minLength"))
        #expect(bad.stdout.contains("bad.json#/type"))
        let unresolved = try dir.sluice(["schema", "check", "badref.json"])
        #expect(unresolved.status == 78)
        #expect(unresolved.stdout.contains("other.json"))
        #expect(try dir.sluice(["schema", "check", "missing.json"]).status == 66)
    }

    /// The `validate_schema` stage in a real run: invalid records are quarantined with their
    /// violations, and the audit trail's quarantine events carry them too.
    @Test func pipelineQuarantinesWithViolationsInTheAuditTrail() throws {
        let pipeline = TemporaryProject.pipeline(
            name: "checked", stages: ["type: validate_schema\nschema: s.json"], outputs: ["type: jsonl\npath: out/docs.jsonl"],
            quarantine: "out/quarantine.jsonl", limits: ["max_quarantine_ratio: 0.9"])
        let dir = try project(pipeline: pipeline, [
            "data/a.jsonl": """
                {"id": "d1", "a": 1, "email": "ada@example.org"}
                {"id": "d2", "a": "one", "email": "bob@"}
                {"id": "d3", "a": 3}

                """,
        ])
        defer { dir.remove() }
        let run = try dir.sluice(["run", "pipeline.yaml"])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try dir.text("out/docs.jsonl").split(separator: "\n")
        #expect(written.count == 2)
        let quarantine = try dir.text("out/quarantine.jsonl").split(separator: "\n")
        try #require(quarantine.count == 1)
        let entry = try JSONParser.parse(String(quarantine[0]))
        #expect(entry["code"] == "schema_violation")
        let violations = try #require(entry["details"]?["violations"]?.arrayValue, "\(quarantine[0])")
        #expect(Set(violations.compactMap { $0["keywordLocation"]?.stringValue }) == ["/properties/a/type", "/properties/email/format"])
        #expect(Set(violations.compactMap { $0["instanceLocation"]?.stringValue }) == ["/a", "/email"])
        #expect(!String(quarantine[0]).contains("\\\"bob@\\\" is not"), "quarantine details use redacted messages")

        let audit = try dir.sluice(["audit", "query", "pipeline.yaml", "--event", "quarantined", "--format", "jsonl"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let rows = audit.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        try #require(rows.count == 1, "\(audit.stdout)")
        #expect(rows[0]["record_id"] == "d2")
        #expect(rows[0]["reason"] == "schema_violation")
        #expect(audit.stdout.contains("/properties/a/type"), "the audit event carries the violations: \(audit.stdout)")
        #expect(audit.stdout.contains("/properties/email/format"), "\(audit.stdout)")

        // Records that pass carry a `validated` event naming the schema.
        let validated = try SluiceProcess.run(["audit", "query", "pipeline.yaml", "--event", "validated", "--format", "jsonl"], in: dir.url)
        let passed = validated.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(passed.map { $0["record_id"] } == ["d1", "d3"], "\(validated.stdout)")
        #expect(passed.allSatisfy { $0["stage"] == "validate_schema" && $0["details"]?["schema"] == "s.json" }, "\(validated.stdout)")
    }

    /// Runs `sluice ARGS` with standard input read from a file (or `stdinText` written to one).
    func runWithInput(_ args: [String], stdin path: URL, in directory: URL, stdinText: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let exe = try #require(SluiceProcess.executable)
        var input = path
        if let stdinText {
            input = directory.appendingPathComponent("stdin-\(UUID().uuidString).txt")
            try Data(stdinText.utf8).write(to: input)
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory
        p.standardInput = try FileHandle(forReadingFrom: input)
        let outFile = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let errFile = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
                String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }
}
