import Foundation
import SluiceConfig
import SluiceCore
import SluiceStore
import Testing

/// Issue 15 (2): one fingerprint per credential, HMAC of its name keyed by the audit key, on
/// every row; nothing in an export depends on the secret.
@Suite("credential fingerprints in the audit log (real SQLite state DB)")
struct AuditFingerprintTests {
    static let canary = "CANARY-fp-51c0a9"

    func credentials(_ scope: String, variable: String) -> CredentialStore? {
        CredentialsFile.parse(text: """
            credentials:
              test_api:
                kind: bearer
                secret: env:\(variable)
                scopes: ["\(scope)"]
            """, file: "credentials.yaml").store
    }

    @Test("received, fetched, credential_used and retried rows carry the same audit-key fingerprint")
    func oneFingerprint() async throws {
        setenv("SLUICE_TEST_FP_A", Self.canary + "-a", 1)
        setenv("SLUICE_TEST_FP_B", Self.canary + "-b", 1)
        try await Loopback.run(items: 12, prepare: { $0.scripted = [0: .http503] }) { server in
            let scope = "http:GET:\(server.url("/v1/*"))"
            var fingerprintsBySecret: [Set<String>] = []
            for variable in ["SLUICE_TEST_FP_A", "SLUICE_TEST_FP_B"] {
                let next = server.requests.count
                server.state.set { $0.scripted = [next: .http503] }
                let h = try server.pipeline("/v1/items", ["records: /data", "id: /id", "credential: test_api",
                                                          "retry: {initial_backoff_ms: 10}"],
                                            credentials: credentials(scope, variable: variable))
                let r = try await h.runOnDisk()
                #expect(r.exitStatus == 0, "\(String(describing: r.error))")
                let rows = try h.auditRows()
                let key = try AuditKey.load(h.auditKeyFile, create: false)
                let expected = key.fingerprint(credential: "test_api")
                let events = Set(rows.filter { $0.credentialFingerprint != nil }.map(\.event))
                for e in ["received", "fetched", "credential_used", "retried"] { #expect(events.contains(e), "no \(e) row with a fingerprint") }
                for row in rows where ["received", "fetched", "credential_used", "retried", "credential_denied"].contains(row.event) {
                    #expect(row.credentialFingerprint == expected, "\(row.event) row has \(String(describing: row.credentialFingerprint))")
                }
                // The name is not stored next to its fingerprint, and the secret is nowhere.
                #expect(!rows.contains { ($0.details ?? "").contains("test_api") })
                #expect(!h.everythingWritten().contains(Self.canary))
                fingerprintsBySecret.append(Set(rows.compactMap(\.credentialFingerprint)))
            }
            // One fingerprint per state folder (each has its own audit key).
            #expect(fingerprintsBySecret.allSatisfy { $0.count == 1 })
        }
    }

    @Test("rotating the secret under one audit key keeps the fingerprint: an export cannot confirm a guessed secret")
    func independentOfSecret() async throws {
        setenv("SLUICE_TEST_FP_C", Self.canary + "-c", 1)
        try await Loopback.run(items: 3) { server in
            let scope = "http:GET:\(server.url("/v1/*"))"
            let h = try server.pipeline("/v1/items", ["records: /data", "id: /id", "credential: test_api"],
                                        credentials: credentials(scope, variable: "SLUICE_TEST_FP_C"))
            #expect(try await h.runOnDisk().exitStatus == 0)
            setenv("SLUICE_TEST_FP_C", Self.canary + "-rotated", 1)
            server.clock.advance(10)
            #expect(try await h.runOnDisk().exitStatus == 0)
            let rows = try h.auditRows()
            let fps = Set(rows.compactMap(\.credentialFingerprint))
            #expect(fps == [try AuditKey.load(h.auditKeyFile, create: false).fingerprint(credential: "test_api")])
            #expect(rows.filter { $0.event == "credential_used" }.count == 2)
            // Sent with each secret in turn: the server saw both, the audit log cannot tell them apart.
            #expect(Set(server.requests.compactMap(\.authorization)).count == 2)
            #expect(!h.everythingWritten().contains(Self.canary))
        }
    }

    @Test("received rows of quarantined items carry the credential's fingerprint like every other row")
    func quarantinedItems() async throws {
        setenv("SLUICE_TEST_FP_E", Self.canary + "-e", 1)
        try await Loopback.run(items: 4) { server in
            // No item has an id at /sku: each one is received, then quarantined (missing_field).
            let h = try server.pipeline("/v1/items", ["records: /data", "id: /sku", "credential: test_api"],
                                        credentials: credentials("http:GET:\(server.url("/v1/*"))", variable: "SLUICE_TEST_FP_E"))
            let r = try await h.runOnDisk()
            #expect(r.exitStatus == 65, "every item quarantined: \(String(describing: r.error))")
            #expect(r.summary?.ledger.quarantined == 4)
            let rows = try h.auditRows()
            let expected = try AuditKey.load(h.auditKeyFile, create: false).fingerprint(credential: "test_api")
            let received = rows.filter { $0.event == "received" }
            #expect(received.count == 4)
            #expect(received.allSatisfy { $0.credentialFingerprint == expected }, "\(received.map(\.credentialFingerprint))")
            #expect(rows.filter { $0.event == "quarantined" }.count == 4)
            // Found by the credential like the calls that fetched them, and no name or secret beside it.
            #expect(Set(rows.compactMap(\.credentialFingerprint)) == [expected])
            #expect(!received.contains { ($0.details ?? "").contains("test_api") })
            #expect(!h.everythingWritten().contains(Self.canary))
        }
    }

    @Test("a denied request's row carries the same fingerprint")
    func deniedRow() async throws {
        setenv("SLUICE_TEST_FP_D", Self.canary + "-d", 1)
        try await Loopback.run(items: 3) { server in
            let h = try server.pipeline("/v1/redirect-out", ["records: /data", "credential: test_api"],
                                        credentials: credentials("http:GET:\(server.url("/v1/*"))", variable: "SLUICE_TEST_FP_D"))
            let r = try await h.runOnDisk()
            #expect(r.exitStatus == 77)
            let message = r.error?.message ?? ""
            #expect(!message.contains(Self.canary))
            let rows = try h.auditRows()
            let denied = rows.filter { $0.event == "credential_denied" }
            #expect(denied.count == 1)
            #expect(denied.first?.credentialFingerprint == (try AuditKey.load(h.auditKeyFile, create: false).fingerprint(credential: "test_api")))
            #expect(Set(rows.compactMap(\.credentialFingerprint)).count == 1)
        }
    }
}
