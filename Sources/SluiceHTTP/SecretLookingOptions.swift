import Foundation
import SluiceCore

/// Refuses secret-looking query parameters and headers written in a pipeline (in `url`,
/// `query:`, `headers:` or `fallback.url`): there they would be copied into provenance, outputs,
/// the state DB and logs. A secret belongs in the credentials file, sent with `kind: query` or
/// `kind: header`. Messages name the parameter, never its value.
enum SecretLookingOptions {
    /// Query parameter names (compared lowercased, `-` read as `_`).
    static let queryNames: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "auth_token", "api_token", "bearer", "api_key", "apikey", "key",
        "secret", "client_secret", "app_secret", "password", "passwd", "pwd", "signature", "sig", "x_api_key", "private_token",
        "sessionid", "session_id", "auth", "authorization",
    ]
    /// Header names (compared lowercased).
    static let headerNames: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token",
        "x-access-token", "x-token", "x-api-token", "x-session-token", "x-csrf-token", "x-amz-security-token", "private-token",
    ]

    static func isSecretQuery(_ name: String) -> Bool {
        let n = name.lowercased().replacingOccurrences(of: "-", with: "_")
        return queryNames.contains(n) || n.hasSuffix("_token") || n.hasSuffix("_secret") || n.hasSuffix("_api_key")
            || n.hasSuffix("apikey") || n.contains("password")
    }

    static func isSecretHeader(_ name: String) -> Bool {
        let n = name.lowercased()
        return headerNames.contains(n) || n.hasSuffix("-token") || n.hasSuffix("-secret") || n.hasSuffix("api-key")
            || n.hasSuffix("apikey") || n.contains("password")
    }

    /// A refusal that names where, but carries no source location: a renderer would print the
    /// line, and with it the secret.
    static func refusal(_ message: String, node: ConfigNode?, code: String = "secret_in_pipeline") -> ConfigDiagnostic {
        ConfigDiagnostic(.error, code: code, message: message + (node?.location.map { " (at \($0))" } ?? ""),
                         location: nil, path: node?.path ?? "")
    }

    static func problems(url: String, query: [(String, String)], headers: [(String, String)], options: ComponentOptions,
                         option: String = "url") -> [ConfigDiagnostic] {
        var out: [ConfigDiagnostic] = []
        let inURL = URLComponents(string: url)?.queryItems?.map(\.name) ?? []
        for name in inURL where isSecretQuery(name) {
            out.append(refusal(
                              "query parameter '\(name)' in option '\(option)' looks like a secret and may not be written in a pipeline (it would be copied into provenance, outputs and the state DB): put it in the credentials file with 'kind: query' and 'param: \(name)', and name that credential with 'credential:'",
                              node: options.location("url")))
        }
        for (name, _) in query where isSecretQuery(name) {
            out.append(refusal(
                              "query parameter '\(name)' in option 'query' looks like a secret and may not be written in a pipeline (it would be copied into provenance, outputs and the state DB): put it in the credentials file with 'kind: query' and 'param: \(name)', and name that credential with 'credential:'",
                              node: options.location("query")))
        }
        for (name, _) in headers where isSecretHeader(name) {
            let hint = ["authorization", "proxy-authorization"].contains(name.lowercased())
                ? "'kind: bearer' or 'kind: basic' (or 'kind: header' with 'header: \(name)')" : "'kind: header' and 'header: \(name)'"
            out.append(refusal(
                              "header '\(name)' looks like a secret and may not be set in a pipeline: put it in the credentials file with \(hint), and name that credential with 'credential:'",
                              node: options.location("headers")))
        }
        return out
    }
}
