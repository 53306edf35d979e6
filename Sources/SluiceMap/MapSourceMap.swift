public import SluiceCore
import Foundation

/// Turns positions inside a mapping into places in the pipeline file, also for mappings written
/// as YAML block scalars (`mapping: |`), so that errors read `pipelines/x.yaml:17:24: …`.
public struct MapSourceMap: Sendable {
    public let node: ConfigNode
    public let source: String

    public init(node: ConfigNode, source: String) {
        self.node = node
        self.source = source
    }

    /// The file location of UTF-8 offset `offset` in the mapping, when the node has a location.
    public func location(of offset: Int) -> SourceLocation? {
        guard let base = node.location else { return nil }
        let p = MapPosition(offset: offset, in: source)
        if let column = node.blockColumn {
            return SourceLocation(file: base.file, line: base.line + p.line, column: column + p.column - 1)
        }
        var quoted = false
        if case .scalar(_, let q) = node.kind { quoted = q }
        if p.line == 1 { return SourceLocation(file: base.file, line: base.line, column: base.column + (quoted ? 1 : 0) + p.column - 1) }
        return SourceLocation(file: base.file, line: base.line + p.line - 1, column: p.column)
    }

    /// Load-time diagnostics of the mapping as configuration diagnostics.
    public func diagnostics(_ errors: MapDiagnostics, option: String) -> ConfigDiagnostics {
        ConfigDiagnostics(errors.diagnostics.map { d in
            let position = MapPosition(offset: d.offset, in: source)
            return ConfigDiagnostic(.error, code: "map_" + d.code, message: "in '\(option)': \(d.message)",
                                    location: location(of: d.offset) ?? node.location, path: node.path,
                                    hint: d.hint ?? (node.location == nil ? "at line \(position.line), column \(position.column) of the mapping" : nil))
        })
    }

    /// A record failure for a mapping that failed at run time (`map_error`).
    public func failure(_ f: MapFailure, record: Record) -> RecordFailure {
        let position = MapPosition(offset: f.offset, in: source)
        let place = location(of: f.offset)
        var details: [(String, JSONValue)] = [("mapping_line", .number(JSONNumber(position.line))),
                                             ("mapping_column", .number(JSONNumber(position.column)))]
        if let place {
            details.append(("file", .string(place.file)))
            details.append(("line", .number(JSONNumber(place.line))))
            details.append(("column", .number(JSONNumber(place.column))))
        }
        let prefix = place.map { "\($0): " } ?? "mapping \(position): "
        return RecordFailure(code: .mapError, message: prefix + f.message, recordID: record.id, provenance: record.provenance,
                             pointer: f.pointer, details: .object(JSONObject(details)))
    }
}

import SluiceJSON

extension RecordFailure.Code {
    /// A mapping (`map`, `filter`, `when:`) failed on the record: a type error, a failed `!` call.
    public static let mapError = RecordFailure.Code("map_error")
}

extension MapMetadata {
    /// The metadata of a record as the mapping language shows it.
    public init(record: Record) {
        self.init(input: record.provenance.input, uri: record.provenance.uri, line: record.provenance.locator.line,
                  index: record.provenance.locator.index, fetchedAt: record.provenance.fetchedAt,
                  sourceCharset: record.provenance.charset, kind: record.kind.rawValue, id: record.id)
    }
}

/// The run's clock, set in `begin(run:)`, read by `now()` from any thread.
final class RunClock: @unchecked Sendable {
    private let lock = NSLock()
    private var source: any TimeSource = SystemTimeSource()

    func set(_ s: any TimeSource) { lock.lock(); source = s; lock.unlock() }
    func now() -> Date { lock.lock(); defer { lock.unlock() }; return source.now() }
}
