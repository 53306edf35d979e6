/// The JSON Schema dialects this validator implements.
public enum SchemaDraft: String, Sendable, CaseIterable {
    case draft2020_12 = "2020-12"
    case draft7 = "7"
    /// Read when a schema's `$schema` names it (schemas referencing 2019-09 resources); not
    /// selectable as the default dialect.
    case draft2019_09 = "2019-09"

    /// Drafts after 7 share `$anchor`, `$defs`, `dependentRequired`, `unevaluated*`, ...
    var isModern: Bool { self != .draft7 }

    /// The metaschema URI a schema names in `$schema` for this draft.
    public var metaschemaURI: String {
        switch self {
        case .draft2020_12: return "https://json-schema.org/draft/2020-12/schema"
        case .draft7: return "http://json-schema.org/draft-07/schema"
        case .draft2019_09: return "https://json-schema.org/draft/2019-09/schema"
        }
    }

    /// Parses `2020-12`, `draft2020-12`, `7`, `draft7`, `draft-07` (as the CLI and stage accept).
    public init?(name: String) {
        switch name.lowercased() {
        case "2020-12", "draft2020-12", "draft-2020-12": self = .draft2020_12
        case "7", "07", "draft7", "draft-07", "draft-7": self = .draft7
        default: return nil
        }
    }

    /// The draft a `$schema` URI names, for the official metaschemas (and the older drafts 4 and 6,
    /// which are validated with draft 7 rules, their closest supported relative).
    static func known(_ uri: String) -> SchemaDraft? {
        var u = uri
        if u.hasSuffix("#") { u.removeLast() }
        switch u {
        case "https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft/2020-12/schema": return .draft2020_12
        case "https://json-schema.org/draft/2019-09/schema", "http://json-schema.org/draft/2019-09/schema": return .draft2019_09
        case "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema",
             "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-04/schema":
            return .draft7
        default: return nil
        }
    }

    /// Keywords holding one subschema.
    var singleSchemaKeywords: [String] {
        switch self {
        case .draft2020_12:
            return ["additionalProperties", "items", "contains", "propertyNames", "not", "if", "then", "else",
                    "unevaluatedProperties", "unevaluatedItems", "contentSchema"]
        case .draft7:
            return ["additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not", "if", "then", "else"]
        case .draft2019_09:
            return ["additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not", "if", "then", "else",
                    "unevaluatedProperties", "unevaluatedItems", "contentSchema"]
        }
    }

    /// Keywords holding an array of subschemas.
    var schemaArrayKeywords: [String] {
        switch self {
        case .draft2020_12: return ["allOf", "anyOf", "oneOf", "prefixItems"]
        case .draft7, .draft2019_09: return ["allOf", "anyOf", "oneOf", "items"]
        }
    }

    /// Keywords holding a map of subschemas.
    var schemaMapKeywords: [String] {
        switch self {
        case .draft2020_12, .draft2019_09: return ["properties", "patternProperties", "$defs", "dependentSchemas", "definitions", "dependencies"]
        case .draft7: return ["properties", "patternProperties", "definitions", "dependencies"]
        }
    }
}

/// The 2020-12 vocabularies a metaschema can switch on or off with `$vocabulary`.
struct Vocabularies: Sendable, Hashable {
    var applicator = true
    var unevaluated = true
    var validation = true
    var formatAssertion = false
    var content = true

    static let all = Vocabularies()
    static let prefix = "https://json-schema.org/draft/2020-12/vocab/"
    static let known: Set<String> = ["core", "applicator", "unevaluated", "validation", "meta-data",
                                     "format-annotation", "format-assertion", "content"]
}
