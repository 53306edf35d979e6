import ArgumentParser
import Foundation
import SluiceJSON
import SluiceSchema

/// `sluice schema`: validate JSON Lines against a JSON Schema, or check a schema itself.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Validate JSON documents against a JSON Schema, or check a schema against its metaschema.",
        subcommands: [SchemaValidateCommand.self, SchemaCheckCommand.self])
}

/// Options shared by `schema validate` and `schema check`.
struct SchemaLoadOptions: ParsableArguments {
    @Option(help: "The JSON Schema draft for a schema without $schema: 2020-12 or 7.")
    var draft: String = "2020-12"

    @Option(name: .customLong("remote"), help: ArgumentHelp(
        "Serve the schemas in DIR as BASEURL for $ref (repeatable); nothing is fetched over the network.", valueName: "DIR=BASEURL"))
    var remotes: [String] = []

    func parsedDraft() throws -> SchemaDraft {
        guard let d = SchemaDraft(name: draft) else { throw ValidationError("--draft must be 2020-12 or 7") }
        return d
    }

    func registry() throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        for mapping in remotes {
            do { try registry.registerMapping(mapping, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) } catch {
                throw ValidationError(error.message)
            }
        }
        return registry
    }
}

enum SchemaCLI {
    /// `file#/pointer: message` for a schema error.
    static func render(_ error: SchemaError, file: String) -> String {
        var place = error.location
        if place.hasPrefix("file://"), let url = URL(string: place) {
            place = url.path + (url.fragment.map { "#" + $0 } ?? "")
        }
        if place.isEmpty { place = file }
        return "\(place): \(error.message)"
    }
}

struct SchemaValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate each line of a JSON Lines file against a JSON Schema.",
        discussion: """
            Prints one JSON line per input line, in order:
              {"valid": false, "errors": [{"instance": "/author/email", "keyword": "/properties/author/properties/email/format", "message": "..."}]}
            `instance` is the JSON Pointer into the document, `keyword` the keyword's location in \
            the schema. A line that is not JSON is reported as invalid the same way. A check that \
            needs unbounded work (a pathological pattern) is stopped and reported as invalid.

            Exit status: 0 when every line is valid, 65 when some are not, 66 when the input or \
            schema file is missing, 78 when the schema itself is invalid (its location is printed).

            Examples:
              sluice schema validate --schema schemas/article.schema.json samples/articles.jsonl
              cat docs.jsonl | sluice schema validate --schema s.json --remote schemas/common=https://example.com/schemas/ -
            """)

    @Option(help: "The JSON Schema file.", completion: .file())
    var schema: String

    @OptionGroup var load: SchemaLoadOptions

    @Option(help: "Check `format` (email, date-time, uri...): on or off.")
    var formatAssertion: String = "on"

    @Argument(help: "JSON Lines to validate; `-` or nothing reads standard input.", completion: .file())
    var instances: String?

    func validate() throws {
        guard ["on", "off"].contains(formatAssertion) else { throw ValidationError("--format-assertion must be on or off") }
        _ = try load.parsedDraft()
    }

    func run() async throws {
        let options = JSONSchemaValidator.Options(defaultDraft: try load.parsedDraft(), formatAssertion: formatAssertion == "on")
        let registry = try load.registry()
        guard FileManager.default.fileExists(atPath: schema) else {
            ErrorReport.failure("\(schema): no such file")
            throw ExitCode(66)
        }
        let validator: JSONSchemaValidator
        do {
            validator = try JSONSchemaValidator(contentsOf: URL(fileURLWithPath: schema), registry: registry, options: options)
        } catch {
            ErrorReport.failure(SchemaCLI.render(error, file: schema))
            throw ExitCode(78)
        }
        let handle: FileHandle
        if let instances, instances != "-" {
            guard let h = FileHandle(forReadingAtPath: instances) else {
                ErrorReport.failure("\(instances): no such file")
                throw ExitCode(66)
            }
            handle = h
        } else {
            handle = FileHandle.standardInput
        }
        var output = SchemaOutputBuffer()
        var anyInvalid = false
        var lines = SchemaLineReader(handle: handle)
        while let line = lines.next() {
            let result: JSONValue
            do {
                let instance = try JSONParser.parse(line)
                result = SchemaValidateCommand.report(validator.validate(instance))
            } catch {
                result = .object(JSONObject([("valid", false), ("errors", .array([.object(JSONObject([
                    ("instance", ""), ("keyword", ""), ("message", .string("the line is not valid JSON: \(error)")),
                ]))]))]))
            }
            if result["valid"] != .bool(true) { anyInvalid = true }
            output.write(JSONWriter.bytes(result))
            output.write([UInt8(ascii: "\n")])
        }
        output.flush()
        if anyInvalid { throw ExitCode(65) }
    }

    static func report(_ result: SchemaValidationResult) -> JSONValue {
        var errors: [JSONValue] = result.violations.map { v in
            .object(JSONObject([("instance", .string(v.instanceLocation)), ("keyword", .string(v.keywordLocation)), ("message", .string(v.message))]))
        }
        if let aborted = result.aborted {
            errors.append(.object(JSONObject([("instance", .string(aborted.instanceLocation)), ("keyword", ""),
                                              ("message", .string("schema check aborted: \(aborted.reason)"))])))
        }
        var o = JSONObject()
        o["valid"] = .bool(result.isValid)
        o["errors"] = .array(errors)
        return .object(o)
    }
}

struct SchemaCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a JSON Schema against its metaschema and compile it.",
        discussion: """
            Validates FILE against the metaschema its $schema names (draft 2020-12 or 7; --draft \
            for a schema without one), then compiles it: every $ref must resolve (locally or \
            through --remote) and every pattern must be a valid ECMA-262 regular expression.
            Prints each problem as `FILE#/pointer: message (keyword)`.

            Exit status: 0 when the schema is valid, 78 when it is not, 66 when FILE is missing.

            Example:
              sluice schema check schemas/article.schema.json
            """)

    @Argument(help: "The JSON Schema file.", completion: .file())
    var file: String

    @OptionGroup var load: SchemaLoadOptions

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            ErrorReport.failure("\(file): no such file")
            throw ExitCode(66)
        }
        let registry = try load.registry()
        let draft = try load.parsedDraft()
        do {
            let document = try JSONSchemaValidator.readSchemaDocument(url)
            let check = try JSONSchemaValidator.checkAgainstMetaschema(document, registry: registry, defaultDraft: draft)
            if !check.isValid {
                for v in check.violations {
                    print("\(file)#\(v.instanceLocation): \(v.message) (\(v.keyword))")
                }
                throw ExitCode(78)
            }
            _ = try JSONSchemaValidator(schema: document, uri: url.absoluteString, registry: registry,
                                        options: .init(defaultDraft: draft))
        } catch let error as SchemaError {
            print(SchemaCLI.render(error, file: file))
            throw ExitCode(78)
        }
        print("\(file): valid")
    }
}

/// Reads a file handle line by line in 64 KiB blocks (memory bounded by the longest line).
struct SchemaLineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []
    var start = 0
    var atEOF = false

    init(handle: FileHandle) { self.handle = handle }

    mutating func next() -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[start..<nl])
                start = nl + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            let chunk = handle.readData(ofLength: 64 * 1024)
            if chunk.isEmpty { atEOF = true; continue }
            buffer.removeSubrange(0..<start)
            start = 0
            buffer.append(contentsOf: chunk)
        }
    }
}

/// Collects output and writes it to standard output in large blocks.
struct SchemaOutputBuffer {
    var bytes: [UInt8] = []

    mutating func write(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
        if bytes.count >= 64 * 1024 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}
