import Foundation
import SluiceConfig
import SluiceCore
import SluiceJSON
import Testing

@Suite("credentials and scopes, checked before every request")
struct CredentialEnforcementTests {
    static let canary = "CANARY-7f3e91d2-do-not-leak"

    func store(_ scope: String, kind: String = "kind: bearer", variable: String = "SLUICE_TEST_TOKEN") throws -> CredentialStore {
        let (store, problems) = CredentialsFile.parse(text: """
            credentials:
              test_api:
                \(kind)
                secret: env:\(variable)
                scopes: ["\(scope)"]
            """, file: "credentials.yaml")
        #expect(problems.isEmpty, "\(problems.map(\.message))")
        return try #require(store)
    }

    /// The input `items` reading `path` on `server` with the credential `test_api`, then `extra` options.
    func pipeline(_ server: Loopback, _ path: String, extra: [String] = [], credentials: CredentialStore) throws -> PipelineHarness {
        try server.pipeline(path, ["records: /data", "id: /id", "credential: test_api"] + extra, credentials: credentials)
    }

    @Test("a token lacking the scope makes zero requests and exits 77")
    func lackingScope() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        try await Loopback.run(items: 5) { server in
            let h = try pipeline(server, "/v1/items", credentials: try store("http:GET:\(server.url("/v2/*"))"))
            let r = try await h.run()
            #expect(r.exitStatus == 77)
            #expect(server.requests.isEmpty, "a request was sent without the scope")
            #expect(r.error?.message.contains("does not allow GET") == true)
            #expect(h.store.runs.last?.status == "failed")
            // The runner drops a batch's events when its source throws, so today the denial reaches the
            // audit trail as the failed run's error (the source's own credential_denied event is checked
            // in `deniedEvent`).
            let finished = h.store.events.last { $0.event == "run_finished" }
            #expect(finished?.details?["error"]?.stringValue?.contains("does not allow GET") == true)
        }
    }

    @Test("the source reports credential_denied before it stops")
    func deniedEvent() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        try await Loopback.run(items: 5) { server in
            let h = try pipeline(server, "/v1/items", credentials: try store("http:GET:\(server.url("/v2/*"))"))
            let source = try h.firstInput().open(checkpoint: nil, context: h.runContext())
            var events: [AuditEvent] = []
            do {
                while let item = try await source.next() { if case .event(let e) = item { events.append(e) } }
                Issue.record("the source did not stop")
            } catch let e as SluiceError {
                #expect(e.status == .permissionDenied)
            }
            // Then the breaker's state for the host, as at the end of every run.
            #expect(events.map(\.event) == ["credential_denied", "circuit_state"])
            // The name, which the state store turns into the audit-key fingerprint (AuditFingerprintTests).
            #expect(events.first?.credentialFingerprint == nil)
            #expect(events.first?.details?["credential"]?.stringValue == "test_api")
        }
    }

    @Test("a redirect out of scope is not followed; a redirect within scope is")
    func redirects() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        try await Loopback.run(items: 5) { server in
            let scope = "http:GET:\(server.url("/v1/*"))"
            let out = try pipeline(server, "/v1/redirect-out", credentials: try store(scope))
            #expect(try await out.run().exitStatus == 77)
            let admin = try pipeline(server, "/v1/redirect-admin", credentials: try store(scope))
            #expect(try await admin.run().exitStatus == 77)
            #expect(server.requests.map(\.path) == ["/v1/redirect-out", "/v1/redirect-admin"], "a redirect target out of scope was requested")
            let inScope = try pipeline(server, "/v1/redirect-in", credentials: try store(scope))
            #expect(try await inScope.run().exitStatus == 0)
            #expect(try inScope.writtenIDs().count == 5)
            #expect(server.requests.last?.authorization == "Bearer \(Self.canary)")
        }
    }

    @Test("a next link to another host is denied before it is requested")
    func nextLinkElsewhere() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        try await Loopback.run(items: 5) { server in
            let h = try pipeline(server, "/v1/elsewhere", extra: ["pagination: {kind: link}"],
                                 credentials: try store("http:GET:\(server.url("/v1/*"))"))
            #expect(try await h.run().exitStatus == 77)
            #expect(server.requests.map(\.path) == ["/v1/elsewhere"])
        }
    }

    @Test("an input without a credential may not leave its own origin either")
    func noCredential() async throws {
        try await Loopback.run(items: 5) { server in
            let h = try server.pipeline("/v1/elsewhere", ["records: /data", "pagination: {kind: link}"])
            #expect(try await h.run().exitStatus == 77)
            #expect(server.requests.count == 1)
            #expect(server.requests.first?.authorization == nil)
        }
    }

    @Test("canary secrets appear in no log, error, output, quarantine entry, summary or audit row")
    func canaries() async throws {
        setenv("SLUICE_TEST_QUERY_KEY", Self.canary + "+q", 1)
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        try await Loopback.run(items: 30, mix: FaultMix(weights: [(.http503, 0.3), (.http429Seconds, 0.1)]), seed: 7) { server in
            var texts: [String] = []
            let scope = "http:GET:\(server.url("/v1/*"))"
            // A query-parameter key (the riskiest: the secret rides in the URL), through retries and pages.
            let q = try pipeline(server, "/v1/items", extra: ["pagination: {kind: cursor, cursor_pointer: /next_cursor}", "retry: {max_attempts: 10}",
                                                              "circuit_breaker: {enabled: false}"],
                                 credentials: try store(scope, kind: "kind: query\n    param: api_key", variable: "SLUICE_TEST_QUERY_KEY"))
            let r1 = try await q.run()
            #expect(r1.exitStatus == 0)
            #expect(try q.writtenIDs().count == 30)
            texts.append(q.everythingWritten())
            texts.append(String(decoding: try r1.summary?.jsonData() ?? Data(), as: UTF8.self))
            // The server did get the key: the test is not vacuous.
            #expect(server.requests.contains { $0.query.contains("api_key=") && $0.query.contains("CANARY") })
            // A deferred page (an HTML body, retried), a page over max_response_bytes, and a denied request's error.
            let bad = try pipeline(server, "/v1/html", extra: ["retry: {max_attempts: 2, initial_backoff_ms: 10}"], credentials: try store(scope))
            let r2 = try await bad.run()
            #expect(r2.exitStatus == 75)
            texts.append(bad.everythingWritten())
            let big = try pipeline(server, "/v1/big", extra: ["max_response_bytes: 1000"], credentials: try store(scope))
            let r2b = try await big.run()
            #expect(r2b.exitStatus == 65)
            texts.append(String(describing: r2b.error) + big.everythingWritten())
            let denied = try pipeline(server, "/v1/redirect-out", credentials: try store(scope))
            let r3 = try await denied.run()
            texts.append(String(describing: r3.error) + denied.everythingWritten())
            let leaks = texts.filter { $0.contains("CANARY") || $0.contains("7f3e91d2") }
            #expect(leaks.isEmpty, "a canary secret leaked")
            #expect(texts.joined().contains("credential_used") || q.store.events.contains { $0.event == "credential_used" })
        }
        let secret = Secret(Self.canary)
        #expect("\(secret)" == "**REDACTED**")
        #expect(String(reflecting: secret) == "**REDACTED**")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("CANARY"))
    }
}
