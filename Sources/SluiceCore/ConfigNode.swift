/// A configuration value with the place it was written, independent of the YAML library.
///
/// SluiceConfig builds these from YAML; components read their options from them through
/// `ComponentOptions`, so the core never sees YAML.
public struct ConfigNode: Sendable {
    public enum Kind: Sendable {
        case null
        /// A scalar's text; `quoted` is true for single- or double-quoted YAML scalars.
        case scalar(String, quoted: Bool)
        case sequence([ConfigNode])
        case mapping([Entry])
    }

    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation?
        public var value: ConfigNode
        public init(key: String, keyLocation: SourceLocation?, value: ConfigNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var kind: Kind
    public var location: SourceLocation?
    /// For a block scalar (`|` or `>`): the 1-based column where its content lines begin (they
    /// start on the line after `location`), so that diagnostics can point inside the text.
    public var blockColumn: Int?
    /// The path from the document root, as a JSON Pointer: `/stages/2/max_tokens`.
    public var path: String

    public init(_ kind: Kind, location: SourceLocation? = nil, path: String = "") {
        self.kind = kind
        self.location = location
        self.path = path
    }

    /// The member `key` of a mapping.
    public subscript(key: String) -> ConfigNode? {
        if case .mapping(let entries) = kind { return entries.first { $0.key == key }?.value }
        return nil
    }

    public var entries: [Entry]? { if case .mapping(let e) = kind { return e } else { return nil } }
    public var items: [ConfigNode]? { if case .sequence(let s) = kind { return s } else { return nil } }
    public var scalar: String? { if case .scalar(let s, _) = kind { return s } else { return nil } }
    public var isNull: Bool { if case .null = kind { return true } else { return false } }

    /// What this node is, as a user would name it in an error message.
    public var kindName: String {
        switch kind {
        case .null: return "null"
        case .scalar(let s, let quoted):
            if quoted { return "a string" }
            if Int(s) != nil { return "an integer" }
            if Double(s) != nil { return "a number" }
            if s == "true" || s == "false" { return "a boolean" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
