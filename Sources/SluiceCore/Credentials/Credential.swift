public import Foundation

/// One named credential from the credentials file: how its secret is found, how it is sent and
/// which requests it may make. Holds no secret itself until `resolveSecret` is called.
public struct Credential: Sendable {
    /// How the secret goes on the wire.
    public enum Kind: Sendable, Hashable {
        /// `Authorization: Bearer <secret>`.
        case bearer
        /// `Authorization: Basic base64(<username>:<secret>)`.
        case basic(username: String)
        /// `<name>: <secret>`.
        case header(name: String)
        /// `?<name>=<secret>` added to every request URL. The URL with the secret is never
        /// logged, audited or put into provenance: those show the URL without it.
        case query(name: String)

        public var word: String {
            switch self {
            case .bearer: return "bearer"
            case .basic: return "basic"
            case .header: return "header"
            case .query: return "query"
            }
        }
    }

    /// Where the secret comes from.
    public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
        /// An environment variable.
        case environment(String)
        /// A file, refused when group or others may read it; one trailing newline is ignored.
        case file(String)

        /// `env:NAME` or `file:PATH`; nil otherwise.
        public init?(_ text: String) {
            if text.hasPrefix("env:"), text.count > 4 { self = .environment(String(text.dropFirst(4))) }
            else if text.hasPrefix("file:"), text.count > 5 { self = .file(String(text.dropFirst(5))) }
            else { return nil }
        }

        public var description: String {
            switch self {
            case .environment(let n): return "env:\(n)"
            case .file(let p): return "file:\(p)"
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var secretSource: SecretSource
    public var scopes: [Scope]

    public init(name: String, kind: Kind, secretSource: SecretSource, scopes: [Scope]) {
        self.name = name
        self.kind = kind
        self.secretSource = secretSource
        self.scopes = scopes
    }

    /// The first scope that allows the request, or nil: the request must not be sent.
    public func scope(allowing method: String, url: URL) -> Scope? {
        scopes.first { $0.allows(method: method, url: url) }
    }

    /// Reads the secret. Throws `SluiceError` (exit 78) when the variable or file is missing or
    /// empty, and (exit 77) when the file is readable by group or others. Messages name the
    /// source, never the value.
    public func resolveSecret(environment: [String: String] = ProcessInfo.processInfo.environment,
                              relativeTo base: URL? = nil) throws -> Secret {
        switch secretSource {
        case .environment(let variable):
            guard let v = environment[variable], !v.isEmpty else {
                throw SluiceError(.configInvalid, "credential '\(name)': environment variable \(variable) is not set or empty")
            }
            return Secret(v)
        case .file(let path):
            var url = URL(fileURLWithPath: path)
            if !path.hasPrefix("/"), let base { url = base.appendingPathComponent(path) }
            var st = stat()
            guard stat(url.path, &st) == 0 else {
                throw SluiceError(.configInvalid, "credential '\(name)': secret file \(url.path) does not exist")
            }
            if st.st_mode & 0o077 != 0 {
                throw SluiceError(.permissionDenied, "credential '\(name)': secret file \(url.path) may be read by group or others; run 'chmod 600 \(url.path)'")
            }
            guard let data = FileManager.default.contents(atPath: url.path), var text = String(data: data, encoding: .utf8) else {
                throw SluiceError(.configInvalid, "credential '\(name)': secret file \(url.path) cannot be read as UTF-8 text")
            }
            if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
            guard !text.isEmpty else { throw SluiceError(.configInvalid, "credential '\(name)': secret file \(url.path) is empty") }
            return Secret(text)
        }
    }
}
