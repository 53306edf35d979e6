public import Foundation
public import SluiceJSON

/// A checked, ready-to-run mapping. Build it once when the pipeline is loaded (all load-time
/// errors come out then, as `MapDiagnostics`); `run` it per record from any thread.
public final class MapProgram: Sendable {
    public let source: String
    let statements: [Statement]
    let variableCount: Int

    /// Mappings longer than this are refused (they are written by hand).
    public static let maxSourceBytes = 1024 * 1024

    public init(source: String) throws(MapDiagnostics) {
        self.source = source
        let bytes = Array(source.utf8)
        guard bytes.count <= Self.maxSourceBytes else {
            throw MapDiagnostics(diagnostics: [MapDiagnostic(code: "too_large", message: "the mapping is longer than \(Self.maxSourceBytes) bytes", offset: 0)], source: source)
        }
        var parser = MapParser(source: bytes)
        statements = parser.parseProgram()
        variableCount = parser.variables.count
        if !parser.diagnostics.isEmpty {
            let sorted = parser.diagnostics.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
            throw MapDiagnostics(diagnostics: sorted, source: source)
        }
    }

    /// Runs the mapping over `value` (the record's fields). The result holds the new value, the
    /// value of the last statement (a filter's verdict) and the JSON Pointers set and removed.
    public func run(_ value: JSONValue, metadata: MapMetadata, now: Date) throws(MapFailure) -> MapResult {
        var evaluator = MapEvaluator(record: value, variables: Array(repeating: .null, count: variableCount), metadata: metadata, now: now)
        let last = try evaluator.run(statements)
        return MapResult(value: evaluator.record, last: last, set: Self.unique(evaluator.set), removed: Self.unique(evaluator.removed))
    }

    /// Line and column of a UTF-8 offset in the source.
    public func position(of offset: Int) -> MapPosition { MapPosition(offset: offset, in: source) }

    private static func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}

public struct MapResult: Sendable {
    public var value: JSONValue
    /// The value of the last statement (for `filter`'s `when:`, a boolean).
    public var last: JSONValue
    /// JSON Pointers assigned, in first-assignment order (`""` is the whole record).
    public var set: [String]
    /// JSON Pointers removed with `del`.
    public var removed: [String]
}

/// The read-only facts a mapping sees as `%name`.
public struct MapMetadata: Sendable, Hashable {
    public var input: String
    public var uri: String
    /// The file's path relative to the pipeline's base folder (a URL's path for HTTP inputs).
    public var path: String
    public var fileName: String
    /// The file name without its extension (and without `.gz`).
    public var fileStem: String
    public var line: Int?
    public var index: Int?
    public var fetchedAt: String?
    /// The charset the input decoded the record's bytes with (`Provenance.charset`).
    public var sourceCharset: String?
    /// `record`; `chunk` for records a stage derived from a document; `document` for a document
    /// kept beside its chunks (`RecordKind`).
    public var kind: String
    public var id: String

    public init(input: String, uri: String, line: Int? = nil, index: Int? = nil, fetchedAt: Date? = nil,
                sourceCharset: String? = nil, kind: String = "record", id: String = "") {
        self.input = input
        self.uri = uri
        var path = uri
        if let url = URL(string: uri), let scheme = url.scheme, scheme.count > 1 {
            path = url.path
        } else if path.hasPrefix("./") {
            path.removeFirst(2)
        }
        self.path = path
        fileName = path.split(separator: "/").last.map(String.init) ?? path
        var stem = fileName
        if stem.hasSuffix(".gz") { stem.removeLast(3) }
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        fileStem = stem
        self.line = line
        self.index = index
        self.fetchedAt = fetchedAt.map { MapTimestamp(date: $0).rfc3339 }
        self.sourceCharset = sourceCharset
        self.kind = kind
        self.id = id
    }

    func value(_ key: MetaKey) -> JSONValue {
        switch key {
        case .input: return .string(input)
        case .uri: return .string(uri)
        case .path: return .string(path)
        case .file_name: return .string(fileName)
        case .file_stem: return .string(fileStem)
        case .line: return line.map { .number(JSONNumber($0)) } ?? .null
        case .index: return index.map { .number(JSONNumber($0)) } ?? .null
        case .fetched_at: return fetchedAt.map { .string($0) } ?? .null
        case .source_charset: return sourceCharset.map { .string($0) } ?? .null
        case .kind: return .string(kind)
        case .id: return .string(id)
        }
    }
}

extension MapProgram {
    /// True when the value of the last statement is known at load time not to be a boolean (a
    /// condition that can never hold), or there is no statement.
    public var mayYieldNonBoolean: Bool {
        guard case .expression(let e)? = statements.last else { return true }
        return !e.type.contains(.bool)
    }
}
