import Foundation
import SluiceCore
public import SluiceJSON

/// SHA-256 content keys over chosen fields of a record, after `TextNormalizer`.
///
/// Each field contributes its pointer, a type tag and its normalised value, so `{"a": "x"}` and
/// `{"b": "x"}` differ, a missing field differs from an empty string, and `1` differs from `"1"`.
/// Strings anywhere inside the fields (also in nested arrays and objects) are normalised; objects
/// are keyed in sorted key order, so key order never matters. Numbers use their exact text.
public struct ContentKeyer: Sendable {
    /// The fields hashed; empty means the whole document.
    public var fields: [JSONPointer]
    public var normalizer: TextNormalizer
    /// Nesting below this depth is hashed as its canonical JSON without string normalisation.
    static let maxDepth = 64

    public init(fields: [JSONPointer], normalizer: TextNormalizer) {
        self.fields = fields
        self.normalizer = normalizer
    }

    /// Lowercase hex SHA-256 of the normalised fields.
    public func key(for value: JSONValue) -> String {
        var bytes: [UInt8] = []
        if fields.isEmpty {
            append(value, depth: 0, into: &bytes)
        } else {
            for p in fields {
                bytes.append(contentsOf: p.description.utf8)
                bytes.append(0x1F)
                if let v = p.get(in: value) { append(v, depth: 0, into: &bytes) } else { bytes.append(UInt8(ascii: "m")) }
                bytes.append(0x1E)
            }
        }
        return ContentHash.sha256Hex(bytes)
    }

    /// The normalised text of every string in the fields (whole document: every string value), in
    /// document order, one per line: what near-duplicate shingles are taken from.
    public func text(for value: JSONValue) -> String {
        var parts: [String] = []
        if fields.isEmpty {
            collectStrings(value, depth: 0, into: &parts)
        } else {
            for p in fields { if let v = p.get(in: value) { collectStrings(v, depth: 0, into: &parts) } }
        }
        return parts.joined(separator: "\n")
    }

    private func collectStrings(_ v: JSONValue, depth: Int, into parts: inout [String]) {
        guard depth < ContentKeyer.maxDepth else { return }
        switch v {
        case .string(let s): parts.append(normalizer.normalize(s))
        case .array(let a): for x in a { collectStrings(x, depth: depth + 1, into: &parts) }
        case .object(let o): for (_, x) in o { collectStrings(x, depth: depth + 1, into: &parts) }
        default: break
        }
    }

    private func append(_ v: JSONValue, depth: Int, into out: inout [UInt8]) {
        if depth >= ContentKeyer.maxDepth {
            out.append(UInt8(ascii: "j"))
            var o = JSONWriter.Options()
            o.sortedKeys = true
            JSONWriter.write(v, into: &out, options: o)
            return
        }
        switch v {
        case .null: out.append(UInt8(ascii: "n"))
        case .bool(let b): out.append(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .number:
            out.append(UInt8(ascii: "#"))
            JSONWriter.write(v, into: &out)
        case .string(let s):
            out.append(UInt8(ascii: "s"))
            lengthPrefixed(Array(normalizer.normalize(s).utf8), into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for x in a { append(x, depth: depth + 1, into: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let keys = o.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for k in keys {
                lengthPrefixed(Array(k.utf8), into: &out)
                if let x = o[k] { append(x, depth: depth + 1, into: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func lengthPrefixed(_ b: [UInt8], into out: inout [UInt8]) {
        var n = UInt64(b.count)
        for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        out.append(contentsOf: b)
    }
}
