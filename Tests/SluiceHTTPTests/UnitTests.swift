import Foundation
import SluiceConfig
import SluiceCore
@testable import SluiceHTTP
import SluiceJSON
import SluiceTesting
import Testing

@Suite("scopes, credentials files, headers, breaker and backoff")
struct UnitTests {
    @Test("scopes match method, origin and path prefix, and refuse tricks")
    func scopes() throws {
        let s = try #require(Scope("http:GET:https://api.example.com/v1/*"))
        func ok(_ u: String, _ m: String = "GET") -> Bool { s.allows(method: m, url: URL(string: u)!) }
        #expect(ok("https://api.example.com/v1/items"))
        #expect(ok("https://API.example.com:443/v1/items?page=2&x=%2F"))
        #expect(!ok("https://api.example.com/v1/items", "POST"))
        #expect(!ok("http://api.example.com/v1/items"))
        #expect(!ok("https://api.example.com:8443/v1/items"))
        #expect(!ok("https://api.example.com.evil.test/v1/items"))
        #expect(!ok("https://api.example.com/v2/items"))
        #expect(!ok("https://api.example.com/v1/../admin"))
        #expect(!ok("https://api.example.com/v1/%2e%2e/admin"))
        #expect(!ok("https://api.example.com/v1%2F..%2Fadmin"))
        #expect(!ok("https://user:pw@api.example.com/v1/items"))
        #expect(ok("https://api.example.com/v1/a/./b"))
        let exact = try #require(Scope("http:*:https://api.example.com/v1/items"))
        #expect(exact.allows(method: "DELETE", url: URL(string: "https://api.example.com/v1/items?limit=5")!))
        #expect(!exact.allows(method: "GET", url: URL(string: "https://api.example.com/v1/items/5")!))
        for bad in ["GET:https://x/", "http:GET:ftp://x/", "http:GET:https://x/a*b", "http::https://x/", "http:GET:/relative"] {
            #expect(Scope(bad) == nil, "\(bad)")
        }
    }

    @Test("a credentials file is read with every problem reported, and never holds a secret")
    func credentialsFile() throws {
        let (store, problems) = CredentialsFile.parse(text: """
            credentials:
              a: {kind: bearer, secret: env:A_TOKEN, scopes: ["http:GET:https://x.test/*"]}
              b: {kind: basic, username: svc, secret: "file:b.secret", scopes: []}
              c: {kind: header, header: X-Api-Key, secret: env:C, scopes: ["http:GET:https://x.test/v1/*"]}
              d: {kind: query, param: key, secret: env:D, scopes: ["http:GET:https://x.test/*"]}
            """, file: "creds.yaml")
        #expect(problems.isEmpty)
        #expect(store?.names == ["a", "b", "c", "d"])
        let (_, bad) = CredentialsFile.parse(text: """
            credentials:
              e: {kind: bearer, secret: "sk-live-PASTED", scopes: ["nonsense"]}
              f: {kind: basic, secret: env:F, scopes: [], colour: red}
            """, file: "creds.yaml")
        let codes = Set(bad.map(\.code))
        #expect(codes == ["secret_in_file", "invalid_scope", "missing_option", "unknown_option"])
        #expect(!bad.map(\.message).joined().contains("PASTED"))
        #expect(bad.allSatisfy { $0.location?.line != nil })
    }

    @Test("secret files readable by group or others are refused; env and file secrets resolve")
    func secretSources() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("token", "s3cret\n")
        chmod(file.path, 0o644)
        let c = Credential(name: "x", kind: .bearer, secretSource: .file(file.path), scopes: [])
        #expect(throws: SluiceError.self) { try c.resolveSecret() }
        do { _ = try c.resolveSecret() } catch let e as SluiceError {
            #expect(e.status == .permissionDenied)
            #expect(!e.message.contains("s3cret"))
        }
        chmod(file.path, 0o600)
        #expect(try c.resolveSecret().withValue { $0 } == "s3cret")
        let env = Credential(name: "y", kind: .bearer, secretSource: .environment("NOPE_X"), scopes: [])
        #expect(try env.resolveSecret(environment: ["NOPE_X": "v"]).withValue { $0 } == "v")
        #expect(throws: SluiceError.self) { try env.resolveSecret(environment: [:]) }
    }

    @Test("each credential kind goes on the wire its own way, and is stripped and redacted elsewhere")
    func signerKinds() throws {
        let url = URL(string: "https://x.test/v1/items?page=2")!
        func signer(_ kind: Credential.Kind) -> RequestSigner {
            RequestSigner(credential: Credential(name: "c", kind: kind, secretSource: .environment("X"), scopes: []), secret: Secret("s e+cret"), implicitScopes: [])
        }
        #expect(signer(.bearer).wire(url).1.map { "\($0.0): \($0.1)" } == ["Authorization: Bearer s e+cret"])
        #expect(signer(.basic(username: "svc")).wire(url).1.first?.1 == "Basic " + Data("svc:s e+cret".utf8).base64EncodedString())
        #expect(signer(.header(name: "X-Api-Key")).wire(url).1.map(\.0) == ["X-Api-Key"])
        let q = signer(.query(name: "key"))
        let (wired, headers) = q.wire(url)
        #expect(headers.isEmpty)
        #expect(wired.absoluteString == "https://x.test/v1/items?page=2&key=s%20e%2Bcret")
        #expect(q.strip(wired).absoluteString == "https://x.test/v1/items?page=2")
        #expect(q.redact("GET \(wired.absoluteString) failed: s e+cret") == "GET https://x.test/v1/items?page=2&key=**REDACTED** failed: **REDACTED**")
        #expect(signer(.basic(username: "svc")).redact(Data("svc:s e+cret".utf8).base64EncodedString()) == "**REDACTED**")
    }

    @Test("Retry-After, RateLimit and Link headers")
    func headers() throws {
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(HTTPDate.format(now.addingTimeInterval(30)), now: now) == 30)
        #expect(RetryAfter.seconds("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("Sun Nov  6 08:49:37 1994", now: Date(timeIntervalSince1970: 784_111_700)) == 77)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("-5", now: now) == nil)
        let h1: [String: String] = ["ratelimit-remaining": "0", "ratelimit-reset": "12"]
        #expect(RateLimitHeaders.waitSeconds({ h1[$0] }, now: now) == 12)
        let h2: [String: String] = ["ratelimit": "\"default\";r=0;t=9"]
        #expect(RateLimitHeaders.waitSeconds({ h2[$0] }, now: now) == 9)
        let h3: [String: String] = ["x-ratelimit-remaining": "3", "x-ratelimit-reset": "12"]
        #expect(RateLimitHeaders.waitSeconds({ h3[$0] }, now: now) == nil)
        let base = URL(string: "https://x.test/v1/items?page=1")!
        #expect(LinkHeader.target(["<https://x.test/v1/items?page=1>; rel=\"prev\", <https://x.test/v1/items?page=3>; rel=\"next\""],
                                  relation: "next", base: base)?.absoluteString == "https://x.test/v1/items?page=3")
        #expect(LinkHeader.target(["</v1/items?page=2>; rel=\"next last\""], relation: "next", base: base)?.absoluteString == "https://x.test/v1/items?page=2")
        #expect(LinkHeader.target(["<https://x.test/a>; rel=prev"], relation: "next", base: base) == nil)
        #expect(LinkHeader.target(["<unclosed; rel=next"], relation: "next", base: base) == nil)
    }

    @Test("the breaker opens at the failure ratio, stays open, half-opens after open_secs and closes on good probes")
    func breaker() {
        var s = HTTPSettings.Breaker()
        s.minimumCalls = 4; s.windowCalls = 4; s.failureRatio = 0.5; s.openSecs = 30; s.halfOpenProbes = 2
        var b = CircuitBreaker(settings: s)
        let t0 = Date(timeIntervalSince1970: 0)
        for ok in [true, false, true] { #expect(b.allowCall(now: t0).allowed); #expect(b.record(success: ok, now: t0) == nil) }
        #expect(b.allowCall(now: t0).allowed)
        #expect(b.record(success: false, now: t0)?.to == .open)
        #expect(!b.allowCall(now: t0.addingTimeInterval(29)).allowed)
        let probe = b.allowCall(now: t0.addingTimeInterval(30))
        #expect(probe.allowed && probe.transition?.to == .halfOpen)
        #expect(b.record(success: true, now: t0.addingTimeInterval(30)) == nil)
        #expect(b.allowCall(now: t0.addingTimeInterval(30)).allowed)
        #expect(b.record(success: true, now: t0.addingTimeInterval(30))?.to == .closed)
        // A failed probe opens it again for another open_secs.
        var c = CircuitBreaker(settings: s, memory: HostMemory(openedAt: t0))
        #expect(c.allowCall(now: t0.addingTimeInterval(31)).allowed)
        #expect(c.record(success: false, now: t0.addingTimeInterval(31))?.to == .open)
        #expect(!c.allowCall(now: t0.addingTimeInterval(60)).allowed)
        #expect(c.allowCall(now: t0.addingTimeInterval(61)).allowed)
    }

    @Test("backoff delays match full jitter: 5000 samples per retry, means within 8% of ceiling/2, uniform quartiles")
    func fullJitter() {
        let backoff = FullJitterBackoff(baseSeconds: 1, capSeconds: 30)
        let random = SeededRandomSource(seed: 42)
        for retry in 1...7 {
            let ceiling = backoff.ceiling(retry: retry)
            #expect(ceiling == min(30, Double(1 << (retry - 1))))
            let samples = (0..<5000).map { _ in backoff.delay(retry: retry, random: random) }
            #expect(samples.allSatisfy { $0 >= 0 && $0 < ceiling })
            let mean = samples.reduce(0, +) / Double(samples.count)
            #expect(abs(mean - ceiling / 2) / (ceiling / 2) < 0.08, "retry \(retry): mean \(mean), ceiling \(ceiling)")
            for q in [0.25, 0.5, 0.75] {
                let share = Double(samples.filter { $0 < ceiling * q }.count) / Double(samples.count)
                #expect(abs(share - q) < 0.03, "retry \(retry): \(share) below \(q) of the ceiling")
            }
            print("full jitter retry \(retry): ceiling \(ceiling) s, mean \(String(format: "%.4f", mean)) s (\(String(format: "%+.2f", (mean / (ceiling / 2) - 1) * 100))%)")
        }
    }

    @Test("validate reports a credential whose scopes cannot cover the input, or that does not exist")
    func preflight() throws {
        let (store, _) = CredentialsFile.parse(text: """
            credentials:
              narrow: {kind: bearer, secret: env:T, scopes: ["http:GET:https://api.example.com/v2/*"]}
            """, file: "creds.yaml")
        let registry = try ComponentRegistry([.input(HTTPInput.self), .output(JSONLOutput.self)])
        func diagnostics(_ credential: String, _ credentials: CredentialStore?) -> [ConfigDiagnostic] {
            PipelineLoader(registry: registry, environment: [:], credentials: credentials).load(text: """
                inputs:
                  - type: http
                    url: https://api.example.com/v1/items
                    credential: \(credential)
                outputs:
                  - {type: jsonl, path: out/x.jsonl}
                """, displayPath: "p.yaml", file: nil).diagnostics
        }
        #expect(diagnostics("narrow", store).map(\.code) == ["scope_not_granted"])
        #expect(diagnostics("missing", store).map(\.code) == ["unknown_credential"])
        #expect(diagnostics("narrow", nil).map(\.severity) == [.warning])
    }
}
