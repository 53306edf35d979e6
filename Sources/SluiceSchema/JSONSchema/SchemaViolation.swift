public import SluiceJSON

/// One way an instance fails a schema, in the shape of the JSON Schema "basic" output unit.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer to the offending part of the instance (`` for the whole instance).
    public var instanceLocation: String
    /// JSON Pointer through the schema as evaluated, `$ref`s included (`/properties/a/type`).
    public var keywordLocation: String
    /// The keyword's absolute URI (`https://example.com/s.json#/properties/a/type`).
    public var absoluteKeywordLocation: String
    /// The keyword that failed (`type`, `required`, `format`...).
    public var keyword: String
    /// What is wrong, for a person (`"bob@" is not a valid email address`). May quote a short,
    /// truncated excerpt of the value.
    public var message: String
    /// The same without quoting instance content, for logs and quarantine reasons.
    public var redactedMessage: String

    public init(instanceLocation: String, keywordLocation: String, absoluteKeywordLocation: String,
                keyword: String, message: String, redactedMessage: String? = nil) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.keyword = keyword
        self.message = message
        self.redactedMessage = redactedMessage ?? message
    }

    /// `/author/email: "bob@" is not a valid email address (format)`.
    public var description: String {
        "\(instanceLocation.isEmpty ? "/" : instanceLocation): \(message) (\(keyword))"
    }

    /// The basic-output unit as JSON: `keywordLocation`, `absoluteKeywordLocation`,
    /// `instanceLocation`, `keyword`, `error`.
    public var json: JSONValue {
        .object(JSONObject([
            ("keywordLocation", .string(keywordLocation)),
            ("absoluteKeywordLocation", .string(absoluteKeywordLocation)),
            ("instanceLocation", .string(instanceLocation)),
            ("keyword", .string(keyword)),
            ("error", .string(message)),
        ]))
    }
}

/// The outcome of validating one instance.
public struct SchemaValidationResult: Sendable {
    public var isValid: Bool
    /// Empty when valid. Capped at the validator's `maxViolations`.
    public var violations: [SchemaViolation]
    /// Set when the check was stopped before it finished; `isValid` is then false.
    public var aborted: SchemaCheckAborted?

    public static let valid = SchemaValidationResult(isValid: true, violations: [], aborted: nil)

    /// The spec's "basic" output format: `{"valid": ..., "errors": [...]}`.
    public var basicOutput: JSONValue {
        var o = JSONObject()
        o["valid"] = .bool(isValid)
        if !isValid { o["errors"] = .array(violations.map(\.json)) }
        return .object(o)
    }
}

/// A validation stopped because it would take too long or nest too deep: a pathological regular
/// expression, an unbounded `$ref` cycle, or exact arithmetic on absurd numbers.
public struct SchemaCheckAborted: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var instanceLocation: String
    public var description: String { "schema check aborted at \(instanceLocation.isEmpty ? "/" : instanceLocation): \(reason)" }
}
