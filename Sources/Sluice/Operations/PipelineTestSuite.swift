public import Foundation
public import SluiceCore
public import SluiceJSON
import SluiceConfig

/// Unit tests for a pipeline, read from its own `tests:` section or from `<pipeline>.test.yaml`
/// next to it (both run when both exist):
///
/// ```yaml
/// tests:
///   - name: a record without a title is quarantined
///     inputs:
///       articles:                        # a pipeline input's name: the records it yields
///         - {id: "x1", body: "text"}
///       products: {file: fixtures/products.jsonl, id: /sku}   # or records from a JSON Lines file
///       notes: {records: [{title: "x"}], uri: notes/art-x81k.txt, charset: shift_jis}  # as if read from this file
///     expect:
///       written:                         # in order; each a partial match by JSON Pointer
///         - {/title: "First"}
///       quarantined: [missing_field]     # reason codes (or {code, record_id, pointer}), any order
///       dropped: {duplicate: 1}          # drop reasons and counts (unlisted reasons: 0)
///       ledger: {received: 2}            # any ledger terms
/// ```
public struct PipelineTestSuite: Sendable {
    public struct InputRecords: Sendable {
        public var values: [JSONValue]
        /// Where each record's id is read (default `/id`; else `<input>#<n>`).
        public var idField: JSONPointer
        /// The file the records appear to come from (their provenance `uri`: `%path`,
        /// `%file_stem` in mappings); nil: `test:<input>`.
        public var uri: String? = nil
        /// The charset they appear to be decoded with (`%source_charset`); nil: none.
        public var charset: String? = nil
    }

    public struct QuarantineExpectation: Sendable {
        public var code: String
        public var recordID: String?
        public var pointer: String?
    }

    public struct Case: Sendable {
        public var name: String
        public var location: SourceLocation?
        public var inputs: [(name: String, records: InputRecords)]
        /// Each written record's expected fields (pointer text, pointer, value), in output order.
        public var written: [[(String, JSONPointer, JSONValue)]]?
        public var writtenCount: Int?
        public var quarantined: [QuarantineExpectation]?
        public var dropped: [String: Int]?
        public var ledger: [String: Int]?
    }

    public var file: URL
    public var cases: [Case]

    /// `x.test.yaml` (or `.test.yml`) beside `x.yaml`, if there is one.
    public static func file(for pipeline: URL) -> URL? {
        let stem = pipeline.deletingPathExtension().lastPathComponent
        let dir = pipeline.deletingLastPathComponent()
        return ["test.yaml", "test.yml"].map { dir.appendingPathComponent("\(stem).\($0)") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The `tests:` section of the pipeline file itself; nil (and no diagnostics) when it has none.
    public static func embedded(in pipeline: URL, displayPath: String) -> (suite: PipelineTestSuite?, diagnostics: [ConfigDiagnostic]) {
        load(pipeline, displayPath: displayPath, embedded: true)
    }

    /// Reads a test file (or, `embedded`, a pipeline file's `tests:` section); every problem is a
    /// diagnostic with its place.
    public static func load(_ url: URL, displayPath: String, embedded: Bool = false) -> (suite: PipelineTestSuite?, diagnostics: [ConfigDiagnostic]) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return (nil, [ConfigDiagnostic(code: "missing_file", message: "cannot read the test file \(displayPath)", location: nil, path: "")])
        }
        let (root, parseDiagnostics) = YAMLDocument(file: displayPath, text: text).parse()
        guard let root else { return (nil, parseDiagnostics) }
        var d = parseDiagnostics
        var cases: [Case] = []
        if embedded {
            guard root["tests"] != nil else { return (nil, d) }
        } else {
            check(root, keys: ["tests"], path: "", &d)
        }
        guard let items = root["tests"]?.items, !items.isEmpty else {
            d.append(.error("invalid_value", "a test file needs a non-empty list 'tests'", at: root["tests"] ?? root, path: "/tests"))
            return (nil, d)
        }
        for (i, node) in items.enumerated() {
            let path = "/tests/\(i)"
            check(node, keys: ["name", "inputs", "expect"], path: path, &d)
            var c = Case(name: node["name"]?.scalar ?? "test \(i + 1)", location: node.location, inputs: [])
            for entry in node["inputs"]?.entries ?? [] {
                if let records = inputRecords(entry.value, base: url.deletingLastPathComponent(), path: "\(path)/inputs/\(entry.key)", &d) {
                    c.inputs.append((entry.key, records))
                }
            }
            if node["inputs"]?.entries == nil {
                d.append(.error("invalid_value", "a test needs 'inputs': input name → records", at: node["inputs"] ?? node, path: "\(path)/inputs"))
            }
            guard let expect = node["expect"], expect.entries != nil else {
                d.append(.error("invalid_value", "a test needs 'expect' (written, written_count, quarantined, dropped, ledger)", at: node["expect"] ?? node, path: "\(path)/expect"))
                continue
            }
            check(expect, keys: ["written", "written_count", "quarantined", "dropped", "ledger"], path: "\(path)/expect", &d)
            if let w = expect["written"] {
                c.written = (w.items ?? []).enumerated().map { j, m in
                    (m.entries ?? []).compactMap { e -> (String, JSONPointer, JSONValue)? in
                        guard let p = try? JSONPointer(parsing: e.key) else {
                            d.append(.error("invalid_value", "'\(e.key)' is not a JSON Pointer (write /field)", at: e.value, path: "\(path)/expect/written/\(j)"))
                            return nil
                        }
                        return (e.key, p, e.value.jsonValue)
                    }
                }
            }
            c.writtenCount = expect["written_count"].flatMap { int($0, "\(path)/expect/written_count", &d) }
            if let q = expect["quarantined"] {
                c.quarantined = (q.items ?? []).map { n in
                    n.scalar.map { QuarantineExpectation(code: $0) }
                        ?? QuarantineExpectation(code: n["code"]?.scalar ?? "", recordID: n["record_id"]?.scalar, pointer: n["pointer"]?.scalar)
                }
            }
            c.dropped = counts(expect["dropped"], "\(path)/expect/dropped", &d)
            c.ledger = counts(expect["ledger"], "\(path)/expect/ledger", &d)
            cases.append(c)
        }
        return (d.contains { $0.severity == .error } ? nil : PipelineTestSuite(file: url, cases: cases), d)
    }

    private static func check(_ node: ConfigNode, keys: Set<String>, path: String, _ d: inout [ConfigDiagnostic]) {
        for e in node.entries ?? [] where !keys.contains(e.key) {
            d.append(.error("unknown_option", "unknown key '\(e.key)' (expected one of \(keys.sorted().joined(separator: ", ")))", at: e.value, path: "\(path)/\(e.key)"))
        }
    }

    private static func int(_ n: ConfigNode, _ path: String, _ d: inout [ConfigDiagnostic]) -> Int? {
        guard let s = n.scalar, let v = Int(s), v >= 0 else {
            d.append(.error("invalid_value", "expected a count (a whole number ≥ 0)", at: n, path: path))
            return nil
        }
        return v
    }

    private static func counts(_ n: ConfigNode?, _ path: String, _ d: inout [ConfigDiagnostic]) -> [String: Int]? {
        guard let n else { return nil }
        var out: [String: Int] = [:]
        for e in n.entries ?? [] { out[e.key] = int(e.value, "\(path)/\(e.key)", &d) ?? 0 }
        return out
    }

    private static func inputRecords(_ n: ConfigNode, base: URL, path: String, _ d: inout [ConfigDiagnostic]) -> InputRecords? {
        if let items = n.items { return InputRecords(values: items.map(\.jsonValue), idField: JSONPointer(tokens: ["id"])) }
        guard n.entries != nil else {
            d.append(.error("invalid_value", "an input's records are a list, or {file: PATH, id: /POINTER}", at: n, path: path))
            return nil
        }
        check(n, keys: ["file", "records", "id", "uri", "charset"], path: path, &d)
        var id = JSONPointer(tokens: ["id"])
        if let s = n["id"]?.scalar {
            guard let p = try? JSONPointer(parsing: s) else {
                d.append(.error("invalid_value", "'id' must be a JSON Pointer such as /id", at: n["id"], path: "\(path)/id"))
                return nil
            }
            id = p
        }
        var values = n["records"]?.items?.map(\.jsonValue) ?? []
        if let f = n["file"]?.scalar {
            let url = f.hasPrefix("/") ? URL(fileURLWithPath: f) : base.appendingPathComponent(f)
            guard let data = try? Data(contentsOf: url) else {
                d.append(.error("missing_file", "cannot read \(url.path)", at: n["file"], path: "\(path)/file"))
                return nil
            }
            for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                do { values.append(try JSONParser.parse([UInt8](line))) } catch {
                    d.append(.error("invalid_value", "\(f), record \(i + 1): \(error)", at: n["file"], path: "\(path)/file"))
                    return nil
                }
            }
        }
        return InputRecords(values: values, idField: id, uri: n["uri"]?.scalar, charset: n["charset"]?.scalar)
    }
}
