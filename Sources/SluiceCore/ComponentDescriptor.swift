/// What a component is and which options it takes: the one spec that drives linting,
/// `sluice components` and the pipeline reference.
public struct ComponentDescriptor: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case input, stage, output
        public var plural: String { rawValue + "s" }
    }

    public enum Status: String, Sendable { case stable, beta, experimental }

    public var kind: Kind
    /// The `type:` users write: `file`, `require_fields`, `jsonl`.
    public var name: String
    /// One line.
    public var summary: String
    /// Paragraphs of markdown: behaviour, guarantees, what is quarantined and why.
    public var description: String
    public var fields: [FieldSpec]
    public var status: Status
    /// Whole YAML examples of this component (one entry of `inputs:`, `stages:` or `outputs:`).
    public var examples: [String]

    public init(kind: Kind, name: String, summary: String, description: String = "", fields: [FieldSpec],
                status: Status = .stable, examples: [String] = []) {
        self.kind = kind
        self.name = name
        self.summary = summary
        self.description = description
        self.fields = fields
        self.status = status
        self.examples = examples
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// One option of a component.
public struct FieldSpec: Sendable {
    public var name: String
    public var type: FieldType
    /// What it does and why you would change it.
    public var doc: String
    /// The default as YAML text (`"1000"`, `"[]"`), or nil when there is none.
    public var defaultValue: String?
    public var required: Bool
    public var example: String?

    public init(_ name: String, _ type: FieldType, doc: String, default defaultValue: String? = nil,
                required: Bool = false, example: String? = nil) {
        self.name = name
        self.type = type
        self.doc = doc
        self.defaultValue = defaultValue
        self.required = required
        self.example = example
    }
}

/// The types an option can have; checked by the linter before a component is built.
public indirect enum FieldType: Sendable {
    case string
    /// An integer, optionally bounded (inclusive).
    case integer(min: Int? = nil, max: Int? = nil)
    case number(min: Double? = nil, max: Double? = nil)
    case boolean
    /// A JSON Pointer (RFC 6901) into a record: `/body`.
    case pointer
    /// A file or folder path, relative to the pipeline file; `mustExist` makes lint check it.
    case path(mustExist: Bool)
    /// One of these words.
    case oneOf([String])
    case list(FieldType)
    /// A nested mapping with its own fields.
    case object([FieldSpec])
    /// A mapping from any key to values of one type.
    case map(FieldType)
    /// Either a single value of the type or a list of them.
    case oneOrMany(FieldType)
    /// Any YAML value, read as JSON (inline records, free-form metadata).
    case json

    /// How the type is named in docs and error messages.
    public var displayName: String {
        switch self {
        case .string: return "string"
        case .integer(let lo, let hi):
            if let lo, let hi { return "integer (\(lo) to \(hi))" }
            if let lo { return "integer (at least \(lo))" }
            return "integer"
        case .number(let lo, let hi):
            if let lo, let hi { return "number (\(Self.format(lo)) to \(Self.format(hi)))" }
            if let lo { return "number (at least \(Self.format(lo)))" }
            return "number"
        case .boolean: return "boolean"
        case .pointer: return "JSON Pointer"
        case .path: return "path"
        case .oneOf(let words): return "one of " + words.map { "`\($0)`" }.joined(separator: ", ")
        case .list(let t): return "list of \(t.displayName)"
        case .object: return "mapping"
        case .map(let t): return "mapping of \(t.displayName)"
        case .oneOrMany(let t): return "\(t.displayName) or list of them"
        case .json: return "any value"
        }
    }

    /// A bound as written in docs and messages: `1`, `0.05`.
    static func format(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }
}
