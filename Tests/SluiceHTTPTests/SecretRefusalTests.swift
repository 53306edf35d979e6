import Foundation
import SluiceConfig
import SluiceCore
import Testing

/// Issue 15 (5): secret-looking query parameters and headers are refused outside a credential,
/// with a hint, and no refusal prints a secret.
@Suite("secrets in pipelines are refused; refusals never print a secret")
struct SecretRefusalTests {
    static let canary = "CANARY-refusal-90d4"

    func diagnostics(_ options: [String], url: String = "http://127.0.0.1:9/v1/items") throws -> [ConfigDiagnostic] {
        let h = try PipelineHarness(clock: VirtualTime(), url: url, ["records: /data"] + options)
        return try h.load().diagnostics
    }

    @Test("token, api_key, key, access_token in url, query or fallback.url, and X-Api-Key, Authorization, Cookie headers are refused with a hint")
    func refused() throws {
        let cases: [([String], String, String)] = [
            ([], "http://127.0.0.1:9/v1/items?api_key=\(Self.canary)", "kind: query"),
            (["query: {token: \"\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: query"),
            (["query: {key: \"\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "param: key"),
            (["query: {Access-Token: \"\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: query"),
            (["headers: {X-Api-Key: \"\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: header"),
            (["headers: {Authorization: \"Bearer \(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: bearer"),
            (["headers: {Cookie: \"session=\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: header"),
            (["fallback: {url: \"http://127.0.0.1:9/v1/items?access_token=\(Self.canary)\"}"], "http://127.0.0.1:9/v1/items", "kind: query"),
            ([], "http://user:\(Self.canary)@127.0.0.1:9/v1/items", "without user info"),
        ]
        for (options, url, hint) in cases {
            let d = try diagnostics(options, url: url)
            let refusal = d.filter { $0.code == "secret_in_pipeline" || $0.code == "invalid_option" }
            #expect(refusal.count == 1, "\(options) \(url): \(d.map(\.message))")
            #expect(refusal.first?.message.contains(hint) == true, "\(refusal.first?.message ?? "")")
            // No message, and no source line a renderer would print, holds the value.
            #expect(!d.contains { $0.message.contains(Self.canary) || ($0.hint ?? "").contains(Self.canary) })
            #expect(refusal.allSatisfy { $0.location == nil && !$0.path.isEmpty })
        }
        // Ordinary parameters and headers are fine.
        #expect(try diagnostics(["query: {limit: \"50\", sort: updated_at}", "headers: {Accept-Language: en, X-Request-Source: sluice}"])
            .filter { $0.severity == .error }.isEmpty)
    }

    @Test("401, 404, a denied redirect and a page over max_response_bytes stop without printing a query credential")
    func runtimeRefusals() async throws {
        setenv("SLUICE_TEST_REFUSAL_KEY", Self.canary, 1)
        try await Loopback.run(items: 3) { server in
            let (store, problems) = CredentialsFile.parse(text: """
                credentials:
                  api:
                    kind: query
                    param: api_key
                    secret: env:SLUICE_TEST_REFUSAL_KEY
                    scopes: ["http:GET:\(server.url("/v1/*"))"]
                """, file: "credentials.yaml")
            #expect(problems.isEmpty)
            for (path, exit, extra) in [("/v1/status/401", Int32(77), [String]()), ("/v1/status/404", 69, []), ("/v1/redirect-out", 77, []),
                                        ("/v1/big", 65, ["max_response_bytes: 100"])] {
                let h = try server.pipeline(path, ["records: /data", "credential: api"] + extra, credentials: store)
                let r = try await h.run()
                #expect(r.exitStatus == exit, "\(path): \(String(describing: r.error))")
                let text = String(describing: r.error) + (r.error?.message ?? "") + h.everythingWritten()
                #expect(!text.contains(Self.canary), "\(path) leaked the secret")
            }
            #expect(server.requests.contains { $0.query.contains(Self.canary) }, "the key was never sent: the test would prove nothing")
        }
    }
}
