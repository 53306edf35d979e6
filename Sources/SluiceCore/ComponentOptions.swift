public import SluiceJSON
import Foundation

/// A component's options, already checked against its descriptor by the linter.
///
/// Getters return the written value or the descriptor's default, so a default is written once, in
/// the descriptor: `try options.intValue("permutations")` for an option that has one. Integers and
/// numbers are checked against the descriptor's bounds here too, so a component need not repeat
/// them. A value of the wrong type cannot reach a getter in a linted pipeline; getters still never
/// trap: they throw a diagnostic.
public struct ComponentOptions: Sendable {
    public let node: ConfigNode
    public let fields: [FieldSpec]

    public init(node: ConfigNode, fields: [FieldSpec]) {
        self.node = node
        self.fields = fields
    }

    /// Options built from a JSON-like literal, for tests and programmatic use.
    public init(_ values: [String: ConfigNode], fields: [FieldSpec]) {
        let entries = values.sorted { $0.key < $1.key }.map { ConfigNode.Entry(key: $0.key, keyLocation: nil, value: $0.value) }
        self.init(node: ConfigNode(.mapping(entries)), fields: fields)
    }

    /// The node written for `name`, or the default parsed as a scalar or flow value.
    public func value(_ name: String) -> ConfigNode? {
        if let v = node[name], !v.isNull { return v }
        guard let d = fields.first(where: { $0.name == name })?.defaultValue else { return nil }
        return ConfigNode.parseDefault(d, path: node.path + "/" + name)
    }

    public func isSet(_ name: String) -> Bool { node[name].map { !$0.isNull } ?? false }

    /// The nested options of an `.object` field (empty when absent).
    public func object(_ name: String) -> ComponentOptions? {
        guard case .object(let sub)? = fields.first(where: { $0.name == name })?.type else { return nil }
        guard let v = value(name) else { return nil }
        return ComponentOptions(node: v, fields: sub)
    }

    public func string(_ name: String) throws -> String? {
        guard let v = value(name) else { return nil }
        guard let s = v.scalar else { throw wrongType(name, v, "a string") }
        return s
    }

    public func requiredString(_ name: String) throws -> String { try valued(name, string) }

    /// The written value or the descriptor's default, within the descriptor's bounds.
    public func int(_ name: String) throws -> Int? {
        guard let v = value(name) else { return nil }
        guard let s = v.scalar, let i = Int(s.replacingOccurrences(of: "_", with: "")) else { throw wrongType(name, v, "an integer") }
        if case .integer(let lo, let hi)? = spec(name)?.type {
            try bounds(name, v, Double(i), lo.map(Double.init), hi.map(Double.init), shown: String(i))
        }
        return i
    }

    /// The written value or the descriptor's default, within the descriptor's bounds.
    public func double(_ name: String) throws -> Double? {
        guard let v = value(name) else { return nil }
        guard let s = v.scalar, let d = Double(s) else { throw wrongType(name, v, "a number") }
        if case .number(let lo, let hi)? = spec(name)?.type { try bounds(name, v, d, lo, hi, shown: s) }
        return d
    }

    // For options the descriptor gives a default (or that are required): never nil.
    public func intValue(_ name: String) throws -> Int { try valued(name, int) }
    public func doubleValue(_ name: String) throws -> Double { try valued(name, double) }
    public func boolValue(_ name: String) throws -> Bool { try valued(name, bool) }
    public func stringValue(_ name: String) throws -> String { try valued(name, string) }
    public func pointerValue(_ name: String) throws -> JSONPointer { try valued(name, pointer) }
    public func pointersValue(_ name: String) throws -> [JSONPointer] { try valued(name, pointers) }

    public func bool(_ name: String) throws -> Bool? {
        guard let v = value(name) else { return nil }
        switch v.scalar {
        case "true"?: return true
        case "false"?: return false
        default: throw wrongType(name, v, "true or false")
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public func strings(_ name: String) throws -> [String]? {
        guard let v = value(name) else { return nil }
        if let s = v.scalar { return [s] }
        guard let items = v.items else { throw wrongType(name, v, "a list of strings") }
        return try items.map {
            guard let s = $0.scalar else { throw wrongType(name, $0, "a string") }
            return s
        }
    }

    public func pointer(_ name: String) throws -> JSONPointer? {
        guard let s = try string(name) else { return nil }
        do { return try JSONPointer(parsing: s) } catch {
            throw ConfigDiagnostic.error("invalid_pointer", "option '\(name)': \(error)", at: node[name])
        }
    }

    public func pointers(_ name: String) throws -> [JSONPointer]? {
        guard let list = try strings(name) else { return nil }
        return try list.map {
            do { return try JSONPointer(parsing: $0) } catch {
                throw ConfigDiagnostic.error("invalid_pointer", "option '\(name)': \(error)", at: node[name])
            }
        }
    }

    /// The config node of a field, for diagnostics that point at it.
    public func location(_ name: String) -> ConfigNode? { node[name] ?? node }

    private func spec(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    private func valued<T>(_ name: String, _ get: (String) throws -> T?) throws -> T {
        guard let v = try get(name) else {
            throw ConfigDiagnostic.error("missing_option", "option '\(name)' is required", at: node, path: node.path + "/" + name)
        }
        return v
    }

    private func bounds(_ name: String, _ v: ConfigNode, _ x: Double, _ lo: Double?, _ hi: Double?, shown: String) throws {
        if let lo, x < lo { throw ConfigDiagnostic.error("out_of_range", "option '\(name)' must be at least \(FieldType.format(lo)), not \(shown)", at: v) }
        if let hi, x > hi { throw ConfigDiagnostic.error("out_of_range", "option '\(name)' must be at most \(FieldType.format(hi)), not \(shown)", at: v) }
    }

    private func wrongType(_ name: String, _ v: ConfigNode, _ expected: String) -> ConfigDiagnostic {
        .error("wrong_type", "option '\(name)' must be \(expected), not \(v.kindName)", at: v)
    }
}

extension ConfigNode {
    /// Parses a descriptor default: a scalar, or a flow list `[a, b]`, or `[]`/`{}`.
    static func parseDefault(_ text: String, path: String) -> ConfigNode {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "[]" { return ConfigNode(.sequence([]), path: path) }
        if t == "{}" { return ConfigNode(.mapping([]), path: path) }
        if t.hasPrefix("["), t.hasSuffix("]") {
            let inner = t.dropFirst().dropLast()
            let items = inner.split(separator: ",").map {
                ConfigNode(.scalar($0.trimmingCharacters(in: .whitespaces), quoted: false), path: path)
            }
            return ConfigNode(.sequence(items), path: path)
        }
        return ConfigNode(.scalar(t, quoted: false), path: path)
    }
}

