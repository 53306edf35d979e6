import Foundation
import SluiceCore

/// Puts a credential on requests and keeps it off everything else.
///
/// The URLs the input works with (checkpoints, provenance, audit, logs) never hold the secret:
/// a `query` credential is added only to the URL handed to the transport, and stripped from any
/// URL a server sends back (a redirect `Location`, a `Link` or a cursor).
struct RequestSigner: Sendable {
    let credential: Credential?
    private let secret: Secret?
    /// The scopes allowed when the input names no credential: its own URL's origin (and the
    /// fallback's), so that nothing leads an unauthenticated input elsewhere either.
    let implicitScopes: [Scope]

    init(credential: Credential?, secret: Secret?, implicitScopes: [Scope]) {
        self.credential = credential
        self.secret = secret
        self.implicitScopes = implicitScopes
    }

    /// The scope that allows GET `url`, or nil: the request must not be sent.
    func scope(for url: URL) -> Scope? {
        if let credential { return credential.scope(allowing: "GET", url: url) }
        return implicitScopes.first { $0.allows(method: "GET", url: url) }
    }

    var scopeList: String {
        (credential?.scopes ?? implicitScopes).map(\.description).joined(separator: ", ")
    }

    /// The URL and headers to send.
    func wire(_ url: URL) -> (URL, [(String, String)]) {
        guard let credential, let secret else { return (url, []) }
        return secret.withValue { value in
            switch credential.kind {
            case .bearer: return (url, [("Authorization", "Bearer \(value)")])
            case .basic(let user):
                return (url, [("Authorization", "Basic " + Data("\(user):\(value)".utf8).base64EncodedString())])
            case .header(let name): return (url, [(name, value)])
            case .query(let name):
                guard var c = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return (url, []) }
                var items = (c.queryItems ?? []).filter { $0.name != name }
                items.append(URLQueryItem(name: name, value: value))
                c.queryItems = items
                // URLComponents leaves '+' alone, which servers read as a space.
                c.percentEncodedQuery = c.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
                return (c.url ?? url, [])
            }
        }
    }

    /// Removes a `query` credential's parameter from a URL a server handed back.
    func strip(_ url: URL) -> URL {
        guard case .query(let name)? = credential?.kind,
              var c = URLComponents(url: url, resolvingAgainstBaseURL: true), let items = c.queryItems,
              items.contains(where: { $0.name == name }) else { return url }
        let kept = items.filter { $0.name != name }
        c.queryItems = kept.isEmpty ? nil : kept
        return c.url ?? url
    }

    /// Replaces any occurrence of the secret (raw, percent-encoded or base64 in a Basic header)
    /// in text that is about to leave the input (an error, an event detail).
    func redact(_ text: String) -> String {
        guard let secret, !secret.isEmpty else { return text }
        return secret.withValue { value in
            var out = text.replacingOccurrences(of: value, with: Secret.redacted)
            if let enc = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics), enc != value {
                out = out.replacingOccurrences(of: enc, with: Secret.redacted)
            }
            if case .basic(let user)? = credential?.kind {
                out = out.replacingOccurrences(of: Data("\(user):\(value)".utf8).base64EncodedString(), with: Secret.redacted)
            }
            return out
        }
    }
}
