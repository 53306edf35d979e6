public import Foundation

/// A permission a credential grants: `http:GET:https://api.example.com/v1/*`.
///
/// Grammar: `http:METHOD:URL-PATTERN`. `METHOD` is an HTTP method or `*`. The pattern's scheme,
/// host and port must equal the request's (host case-insensitively, default ports implied). Its
/// path is compared with the request's normalised path plus query: a trailing `*` matches any
/// rest (including `/` and `?`), anything else must match exactly (a query string is then
/// allowed only if the pattern has one). A request URL with user info, or whose path still
/// climbs out with `..` after normalisation, matches nothing.
public struct Scope: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var scheme: String
    public var host: String
    public var port: Int
    /// The path (and optional query) pattern, without the trailing `*`.
    public var pathPattern: String
    public var isPrefix: Bool

    public var description: String {
        "http:\(method):\(scheme)://\(host)\(port == Self.defaultPort(scheme) ? "" : ":\(port)")\(pathPattern)\(isPrefix ? "*" : "")"
    }

    /// Parses `http:GET:https://host/path*`; nil when the text is not a scope.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "http", !parts[1].isEmpty else { return nil }
        let method = parts[1].uppercased()
        guard method == "*" || method.allSatisfy({ $0.isLetter && $0.isASCII }) else { return nil }
        var pattern = String(parts[2])
        let prefix = pattern.hasSuffix("*")
        if prefix { pattern.removeLast() }
        guard !pattern.contains("*"), let target = RequestTarget(pattern) else { return nil }
        self.method = method
        scheme = target.scheme
        host = target.host
        port = target.port
        pathPattern = target.pathAndQuery
        isPrefix = prefix
    }

    /// Whether a request with this method and URL is allowed.
    public func allows(method requestMethod: String, url: URL) -> Bool {
        guard method == "*" || method == requestMethod.uppercased() else { return false }
        guard let target = RequestTarget(url.absoluteString) else { return false }
        guard target.scheme == scheme, target.host == host, target.port == port else { return false }
        if isPrefix { return target.pathAndQuery.hasPrefix(pathPattern) }
        if target.pathAndQuery == pathPattern { return true }
        return !pathPattern.contains("?") && target.path == pathPattern
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }
}

/// The parts of a URL a scope compares, normalised the way a server would read them.
public struct RequestTarget: Sendable, Hashable {
    public var scheme: String
    public var host: String
    public var port: Int
    public var path: String
    public var query: String?
    public var pathAndQuery: String { query.map { "\(path)?\($0)" } ?? path }

    /// Nil for anything but an absolute http(s) URL with a host, no user info and no path that
    /// escapes the root.
    public init?(_ text: String) {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = c.host?.lowercased(), !host.isEmpty, c.user == nil, c.password == nil else { return nil }
        guard let path = Self.normalise(c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath) else { return nil }
        self.scheme = scheme
        self.host = host
        port = c.port ?? Scope.defaultPort(scheme)
        self.path = path
        query = c.percentEncodedQuery
    }

    /// Removes `.` and `..` segments (RFC 3986 §5.2.4), also when percent-encoded, so that
    /// `/v1/%2e%2e/admin` cannot pass for `/v1/...`. Nil when `..` climbs above the root or an
    /// encoded slash hides a segment boundary.
    static func normalise(_ path: String) -> String? {
        let lowered = path.lowercased()
        if lowered.contains("%2f") || lowered.contains("%5c") || path.contains("\\") { return nil }
        var out: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (i, raw) in segments.enumerated() {
            let seg = raw.lowercased().replacingOccurrences(of: "%2e", with: ".")
            let last = i == segments.count - 1
            if seg == "." { if last { out.append("") }; continue }
            if seg == ".." {
                if out.isEmpty { return nil }
                out.removeLast()
                if last { out.append("") }
                continue
            }
            out.append(raw)
        }
        return "/" + out.joined(separator: "/")
    }
}
