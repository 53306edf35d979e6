import Foundation
public import SluiceCore

/// The `http` input: records from a paginated JSON API (see `descriptor` for pagination,
/// incremental sync, credentials, retries, breakers, fallbacks and what the checkpoint keeps).
public struct HTTPInput: Input, PreflightCheckable, CredentialUser {
    public let settings: HTTPSettings
    public let name: String
    let limitWritten: Bool
    let credentials: CredentialStore?
    private let credentialNode: ConfigNode?
    private let optionsNode: ConfigNode

    public init(options: ComponentOptions, context: BuildContext) throws {
        settings = try HTTPSettings(options: options)
        name = context.instanceName
        limitWritten = options.section("pagination").isSet("limit")
        credentials = context.credentials
        credentialNode = options.location("credential")
        optionsNode = options.node
    }

    public var credentialName: String? { settings.credential }

    /// The requests known before the run: the first page, and the secondary URL's first page.
    public var neededScopes: [String] {
        let first = Paginator(settings: settings, limitWritten: limitWritten).first(since: nil).url
        var out = ["http:GET:\(first)"]
        if let fb = settings.fallback.url, let u = URL(string: first), let s = HTTPRecordSource.rebase(u, from: settings.url, onto: fb) {
            out.append("http:GET:\(s.absoluteString)")
        }
        return out
    }

    /// Checks, without sending anything, that the credential exists and that its scopes cover
    /// the first page (and the secondary URL). Pagination links and redirects are checked again
    /// before each request at run time.
    public func preflight() -> [ConfigDiagnostic] {
        guard let wanted = settings.credential else { return [] }
        let path = optionsNode.path + "/credential"
        guard let credentials else {
            return [ConfigDiagnostic(.warning, code: "credentials_unchecked",
                                     message: "input '\(name)' uses credential '\(wanted)', but no credentials file was given (--credentials or SLUICE_CREDENTIALS): its scopes are not checked",
                                     location: credentialNode?.location, path: path)]
        }
        guard let credential = credentials[wanted] else {
            return [ConfigDiagnostic(.error, code: "unknown_credential",
                                     message: "input '\(name)' uses credential '\(wanted)', which \(credentials.origin) does not define (it defines: \(credentials.names.joined(separator: ", ")))",
                                     location: credentialNode?.location, path: path)]
        }
        var out: [ConfigDiagnostic] = []
        for needed in neededScopes {
            let url = String(needed.dropFirst("http:GET:".count))
            guard let u = URL(string: url), credential.scope(allowing: "GET", url: u) == nil else { continue }
            // A warning, so that `run` still starts and the request is refused by the run-time
            // check (exit 77, nothing sent); `sluice validate` exits 77 on it.
            out.append(ConfigDiagnostic(.warning, code: "scope_not_granted",
                                        message: "input '\(name)': credential '\(wanted)' does not allow GET \(url) (granted: \(credential.scopes.map(\.description).joined(separator: ", "))); a run would stop with 77 before sending it",
                                        location: credentialNode?.location, path: path))
        }
        return out
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource {
        let signer = try makeSigner(environment: ProcessInfo.processInfo.environment)
        let state = HTTPCheckpoint(checkpoint)
        let fetcher = PageFetcher(settings: settings, input: name, signer: signer, time: context.time, random: context.random,
                                  hosts: state.hosts, maxDepth: context.limits.maxDepth)
        return HTTPRecordSource(input: self, checkpoint: state, fetcher: fetcher, context: context)
    }

    /// Finds the credential and reads its secret; an input without a credential may only reach
    /// its own URL's origin (and the secondary URL's).
    func makeSigner(environment: [String: String]) throws -> RequestSigner {
        var implicit: [Scope] = []
        for u in [settings.url, settings.fallback.url].compactMap({ $0 }) {
            if let t = RequestTarget(u.absoluteString), let s = Scope("http:GET:\(t.scheme)://\(t.host):\(t.port)/*") { implicit.append(s) }
        }
        guard let wanted = settings.credential else { return RequestSigner(credential: nil, secret: nil, implicitScopes: implicit) }
        guard let credentials else {
            throw SluiceError(.configInvalid, "input '\(name)' uses credential '\(wanted)', but no credentials file was given: pass --credentials FILE or set SLUICE_CREDENTIALS")
        }
        guard let credential = credentials[wanted] else {
            throw SluiceError(.configInvalid, "input '\(name)' uses credential '\(wanted)', which \(credentials.origin) does not define")
        }
        let secret = try credential.resolveSecret(environment: environment, relativeTo: credentials.baseDirectory)
        return RequestSigner(credential: credential, secret: secret, implicitScopes: implicit)
    }
}
