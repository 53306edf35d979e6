public import Foundation
public import SluiceCore

/// Reads a credentials file (YAML or JSON) into a `CredentialStore`.
///
/// ```yaml
/// credentials:
///   example_api:
///     kind: bearer                 # bearer | basic (with username) | header (with header) | query (with param)
///     secret: env:EXAMPLE_TOKEN    # or file:/etc/sluice/example.token (refused if group/others may read it)
///     scopes:
///       - http:GET:https://api.example.com/v1/*
/// ```
/// The file holds references to secrets, never secrets: a `secret:` that is neither `env:` nor
/// `file:` is refused. Every problem is reported, with file:line:column; nothing is resolved here.
public enum CredentialsFile {
    /// The environment variable that names the credentials file when `--credentials` is not given.
    public static let environmentVariable = "SLUICE_CREDENTIALS"
    /// The diagnostic code of a credentials file that group or others may read or write (exit 77).
    public static let exposedCode = "credentials_file_exposed"

    public static func load(path: String) -> (store: CredentialStore?, diagnostics: [ConfigDiagnostic]) {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return (nil, [ConfigDiagnostic(code: "missing_file", message: "cannot read the credentials file \(path)", location: nil, path: "")])
        }
        // The file says which secrets exist, where they are and what they may reach: like a
        // secret file, it must not be readable (or writable) by group or others.
        var st = stat()
        if stat(url.path, &st) == 0, st.st_mode & 0o066 != 0 {
            let mode = String(st.st_mode & 0o777, radix: 8)
            return (nil, [ConfigDiagnostic(code: exposedCode,
                                           message: "the credentials file \(path) may be read or written by group or others (mode \(mode)); run 'chmod 600 \(path)'",
                                           location: nil, path: "")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [ConfigDiagnostic(code: "undecodable_text", message: "the credentials file \(path) is not UTF-8",
                                           location: SourceLocation(file: path, line: 1, column: 1), path: "")])
        }
        return parse(text: text, file: path, baseDirectory: url.deletingLastPathComponent())
    }

    public static func parse(text: String, file: String, baseDirectory: URL? = nil) -> (store: CredentialStore?, diagnostics: [ConfigDiagnostic]) {
        // An empty environment: `${VAR}` is refused as unset, secrets come from `env:` references.
        let (root, yamlProblems) = YAMLDocument(file: file, text: text, environment: [:]).parse()
        var problems = yamlProblems
        guard let root else { return (nil, problems) }
        guard let entries = root["credentials"]?.entries else {
            problems.append(.error("missing_option", "a credentials file needs a 'credentials:' mapping from names to credentials", at: root))
            return (nil, problems)
        }
        for e in root.entries ?? [] where e.key != "credentials" {
            problems.append(.error("unknown_option", "unknown key '\(e.key)' in the credentials file (only 'credentials')", at: e.value))
        }
        var credentials: [Credential] = []
        for entry in entries {
            if let c = credential(name: entry.key, node: entry.value, problems: &problems) { credentials.append(c) }
        }
        if problems.contains(where: { $0.severity == .error }) { return (nil, problems) }
        return (CredentialStore(credentials: credentials, origin: file, baseDirectory: baseDirectory), problems)
    }

    private static let keys = ["kind", "secret", "scopes", "username", "header", "param"]

    private static func credential(name: String, node: ConfigNode, problems: inout [ConfigDiagnostic]) -> Credential? {
        guard let entries = node.entries else {
            problems.append(.error("wrong_type", "credential '\(name)' must be a mapping with kind, secret and scopes", at: node))
            return nil
        }
        for e in entries where !keys.contains(e.key) {
            problems.append(.error("unknown_option", "unknown key '\(e.key)' in credential '\(name)' (known: \(keys.joined(separator: ", ")))", at: e.value))
        }
        let before = problems.count
        let kindWord = node["kind"]?.scalar ?? "bearer"
        var kind: Credential.Kind?
        switch kindWord {
        case "bearer": kind = .bearer
        case "basic": kind = required(node, "username", name, "basic", &problems).map { .basic(username: $0) }
        case "header": kind = required(node, "header", name, "header", &problems).map { .header(name: $0) }
        case "query": kind = required(node, "param", name, "query", &problems).map { .query(name: $0) }
        default:
            problems.append(.error("invalid_option", "credential '\(name)': kind must be bearer, basic, header or query, not '\(kindWord)'", at: node["kind"]))
        }
        var source: Credential.SecretSource?
        if let text = node["secret"]?.scalar {
            source = Credential.SecretSource(text)
            if source == nil {
                // Never echo the value: it may be a pasted secret.
                problems.append(.error("secret_in_file", "credential '\(name)': secret must be 'env:NAME' or 'file:PATH'; the credentials file may not hold the secret itself",
                                       at: node["secret"]))
            }
        } else {
            problems.append(.error("missing_option", "credential '\(name)' needs 'secret: env:NAME' or 'secret: file:PATH'", at: node, path: node.path + "/secret"))
        }
        var scopes: [Scope] = []
        if let items = node["scopes"]?.items {
            for item in items {
                guard let text = item.scalar, let scope = Scope(text) else {
                    problems.append(.error("invalid_scope", "credential '\(name)': '\(item.scalar ?? item.kindName)' is not a scope like 'http:GET:https://api.example.com/v1/*'", at: item))
                    continue
                }
                scopes.append(scope)
            }
        } else {
            problems.append(.error("missing_option", "credential '\(name)' needs a 'scopes' list (e.g. ['http:GET:https://api.example.com/v1/*'])", at: node, path: node.path + "/scopes"))
        }
        guard problems.count == before, let kind, let source else { return nil }
        return Credential(name: name, kind: kind, secretSource: source, scopes: scopes)
    }

    private static func required(_ node: ConfigNode, _ key: String, _ name: String, _ kind: String, _ problems: inout [ConfigDiagnostic]) -> String? {
        if let v = node[key]?.scalar, !v.isEmpty { return v }
        problems.append(.error("missing_option", "credential '\(name)' of kind \(kind) needs '\(key)'", at: node, path: node.path + "/" + key))
        return nil
    }
}
