public import Foundation

/// The credentials of one credentials file (`--credentials FILE` or `SLUICE_CREDENTIALS`), by name.
///
/// Loaded by SluiceConfig (`CredentialsFile`); holds references to secrets, never the secrets:
/// each is read when a component opens (`Credential.resolveSecret`). Never part of a pipeline.
public struct CredentialStore: Sendable {
    public var credentials: [String: Credential]
    /// Where the store came from, for messages (`/etc/sluice/credentials.yaml`).
    public var origin: String
    /// Relative `file:` secret paths resolve against this folder (the credentials file's).
    public var baseDirectory: URL?

    public init(credentials: [Credential], origin: String, baseDirectory: URL? = nil) {
        var byName: [String: Credential] = [:]
        for c in credentials { byName[c.name] = c }
        self.credentials = byName
        self.origin = origin
        self.baseDirectory = baseDirectory
    }

    public subscript(name: String) -> Credential? { credentials[name] }

    public var names: [String] { credentials.keys.sorted() }
}

/// A component that sends requests with a credential: `sluice credentials check` lists what it
/// needs against what its credential grants.
public protocol CredentialUser {
    /// The credential's name, or nil when the component sends requests without one.
    var credentialName: String? { get }
    /// Each request (method and URL pattern, in scope syntax) the component will make, as far as
    /// its options tell before the run: the first page's URL, and the secondary URL.
    var neededScopes: [String] { get }
}
