/// One problem found in a pipeline definition, with where it is and how to fix it.
public struct ConfigDiagnostic: Error, Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var severity: Severity
    /// A stable code: `unknown_option`, `wrong_type`, `missing_option`, `unset_variable`, ...
    public var code: String
    /// What is wrong, in words that say how to fix it.
    public var message: String
    public var location: SourceLocation?
    /// The path in the document: `/stages/2/max_tokens`.
    public var path: String
    /// A suggestion such as `did you mean 'max_tokens'?`.
    public var hint: String?

    public init(_ severity: Severity = .error, code: String, message: String, location: SourceLocation?, path: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.hint = hint
    }

    /// An error at a node.
    public static func error(_ code: String, _ message: String, at node: ConfigNode?, path: String? = nil, hint: String? = nil) -> ConfigDiagnostic {
        ConfigDiagnostic(.error, code: code, message: message, location: node?.location, path: path ?? node?.path ?? "", hint: hint)
    }
}

/// Several diagnostics thrown together, so that a user sees every problem at once.
public struct ConfigDiagnostics: Error, Sendable {
    public var diagnostics: [ConfigDiagnostic]
    public init(_ diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
