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

    func input(_ port: Int, _ path: String, extra: String = "") -> String {
        """
        - name: items
          type: http
          url: http://127.0.0.1:\(port)\(path)
          records: /data
          id: /id
          credential: test_api
        \(extra)
        """
    }

    @Test("a token lacking the scope makes zero requests and exits 77")
    func lackingScope() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        let clock = VirtualTime()
        let state = ServerState(items: 5, clock: clock)
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: input(port, "/v1/items"),
                                        credentials: try store("http:GET:http://127.0.0.1:\(port)/v2/*"))
            let r = try await h.run()
            #expect(r.exitStatus == 77)
            #expect(state.requests.isEmpty, "a request was sent without the scope")
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
        let clock = VirtualTime()
        let state = ServerState(items: 5, clock: clock)
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: input(port, "/v1/items"),
                                        credentials: try store("http:GET:http://127.0.0.1:\(port)/v2/*"))
            let plan = try #require(try h.load().plan)
            let context = RunContext(runID: "r", pipeline: "p", startedAt: clock.now(), time: clock, baseDirectory: h.dir.url,
                                     stateDirectory: h.dir.url)
            let source = try plan.inputs[0].component.open(checkpoint: nil, context: context)
            var events: [AuditEvent] = []
            do {
                while let item = try await source.next() { if case .event(let e) = item { events.append(e) } }
                Issue.record("the source did not stop")
            } catch let e as SluiceError {
                #expect(e.status == .permissionDenied)
            }
            #expect(events.map(\.event) == ["credential_denied"])
            #expect(events.first?.credentialFingerprint?.count == 32)
        }
    }

    @Test("a redirect out of scope is not followed; a redirect within scope is")
    func redirects() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        let clock = VirtualTime()
        let state = ServerState(items: 5, clock: clock)
        try await FaultServer.run(state) { port in
            let scope = "http:GET:http://127.0.0.1:\(port)/v1/*"
            let out = try PipelineHarness(clock: clock, input: input(port, "/v1/redirect-out"), credentials: try store(scope))
            #expect(try await out.run().exitStatus == 77)
            let admin = try PipelineHarness(clock: clock, input: input(port, "/v1/redirect-admin"), credentials: try store(scope))
            #expect(try await admin.run().exitStatus == 77)
            #expect(state.requests.map(\.path) == ["/v1/redirect-out", "/v1/redirect-admin"], "a redirect target out of scope was requested")
            let inScope = try PipelineHarness(clock: clock, input: input(port, "/v1/redirect-in"), credentials: try store(scope))
            #expect(try await inScope.run().exitStatus == 0)
            #expect(try inScope.writtenIDs().count == 5)
            #expect(state.requests.last?.authorization == "Bearer \(Self.canary)")
        }
    }

    @Test("a next link to another host is denied before it is requested")
    func nextLinkElsewhere() async throws {
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        let clock = VirtualTime()
        let state = ServerState(items: 5, clock: clock)
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: input(port, "/v1/elsewhere", extra: "  pagination: {kind: link}"),
                                        credentials: try store("http:GET:http://127.0.0.1:\(port)/v1/*"))
            #expect(try await h.run().exitStatus == 77)
            #expect(state.requests.map(\.path) == ["/v1/elsewhere"])
        }
    }

    @Test("an input without a credential may not leave its own origin either")
    func noCredential() async throws {
        let clock = VirtualTime()
        let state = ServerState(items: 5, clock: clock)
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: """
                - name: items
                  type: http
                  url: http://127.0.0.1:\(port)/v1/elsewhere
                  records: /data
                  pagination: {kind: link}
                """)
            #expect(try await h.run().exitStatus == 77)
            #expect(state.requests.count == 1)
            #expect(state.requests.first?.authorization == nil)
        }
    }

    @Test("canary secrets appear in no log, error, output, quarantine entry, summary or audit row")
    func canaries() async throws {
        setenv("SLUICE_TEST_QUERY_KEY", Self.canary + "+q", 1)
        setenv("SLUICE_TEST_TOKEN", Self.canary, 1)
        let clock = VirtualTime()
        let state = ServerState(items: 30, mix: FaultMix(weights: [(.http503, 0.3), (.http429Seconds, 0.1)]), seed: 7, clock: clock)
        try await FaultServer.run(state) { port in
            var texts: [String] = []
            // A query-parameter key (the riskiest: the secret rides in the URL), through retries and pages.
            let q = try PipelineHarness(clock: clock, input: input(port, "/v1/items", extra: "  pagination: {kind: cursor, cursor_pointer: /next_cursor}\n  retry: {max_attempts: 10}\n  circuit_breaker: {enabled: false}"),
                                        credentials: try store("http:GET:http://127.0.0.1:\(port)/v1/*", kind: "kind: query\n    param: api_key", variable: "SLUICE_TEST_QUERY_KEY"))
            let r1 = try await q.run()
            #expect(r1.exitStatus == 0)
            #expect(try q.writtenIDs().count == 30)
            texts.append(q.everythingWritten())
            texts.append(String(decoding: try r1.summary?.jsonData() ?? Data(), as: UTF8.self))
            // The server did get the key: the test is not vacuous.
            #expect(state.requests.contains { $0.query.contains("api_key=") && $0.query.contains("CANARY") })
            // A quarantined page, and a denied request's error.
            let bad = try PipelineHarness(clock: clock, input: input(port, "/v1/html"),
                                          credentials: try store("http:GET:http://127.0.0.1:\(port)/v1/*"))
            let r2 = try await bad.run()
            #expect(r2.summary?.ledger.quarantined == 1)
            texts.append(bad.everythingWritten())
            let denied = try PipelineHarness(clock: clock, input: input(port, "/v1/redirect-out"),
                                             credentials: try store("http:GET:http://127.0.0.1:\(port)/v1/*"))
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
