import Foundation
import SluiceTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15: a canary secret, sent as a query parameter (it rides in every URL), appears in no
/// file the real `sluice` binary writes (outputs, quarantine, state DB, audit digests, summary,
/// metrics, report), in no log line (text and JSON, trace level) and in no error message, on a
/// run through faults and on every way a run refuses or stops.
@Suite("canary secret through the real sluice binary (loopback server)")
struct CanaryCLITests {
    static let canary = "CANARY-cli-http-5e0b"
    static let environment = ["SLUICE_CANARY_KEY": canary]

    /// A project reading `path` with the query credential `api` granted on `/v1/*` (or `scope`).
    static func project(_ server: Loopback, _ path: String, _ options: [String], scope: String? = nil) throws -> CLIProject {
        let p = try CLIProject(url: server.url(path), ["credential: api"] + options)
        try p.dir.write("credentials.yaml", """
            credentials:
              api:
                kind: query
                param: api_key
                secret: env:SLUICE_CANARY_KEY
                scopes: ["\(scope ?? "http:GET:\(server.url("/v1/*"))")"]
            """)
        chmod(p.dir.path("credentials.yaml").path, 0o600)
        return p
    }

    /// Runs `sluice run` with every file it can write and the most verbose log, and checks that the
    /// canary is in none of them, nor in stdout or stderr. Returns the exit status.
    static func runAndCheck(_ p: CLIProject, _ what: String, logFormat: String = "text") async throws -> Int32 {
        let r = try await p.sluice(["run", "pipeline.yaml", "--credentials", "credentials.yaml", "--log-level", "trace", "--log-format", logFormat,
                                    "--summary", "summary.json", "--metrics", "api.prom", "--report", "report.html"], environment: environment)
        #expect(!r.stdout.contains(canary) && !r.stderr.contains(canary), "\(what): the secret was printed: \(r.stdout)\(r.stderr)")
        #expect(!r.stderr.isEmpty, "\(what): no log lines, the test would prove nothing")
        let files = p.everyFile()
        for (path, text) in files where text.contains(canary) { Issue.record("\(what): the secret is in \(path)") }
        return r.status
    }

    @Test("a run through 503s and cut-short bodies, then a deferred one: every file, log line and audit export")
    func throughFaults() async throws {
        try await Loopback.run(items: 30, mix: FaultMix(weights: [(.http503, 0.3), (.cutShort200, 0.1)]), seed: 11) { server in
            let p = try Self.project(server, "/v1/items", ["id: /id", "pagination: {kind: cursor, cursor_pointer: /next_cursor}",
                                                           "retry: {max_attempts: 10, initial_backoff_ms: 10}", "circuit_breaker: {enabled: false}"])
            defer { p.remove() }
            #expect(try await Self.runAndCheck(p, "faults") == 0)
            let written = Set(p.everyFile().map { URL(fileURLWithPath: $0.path).lastPathComponent })
            for name in ["items.jsonl", "state.db", "summary.json", "api.prom", "report.html"] { #expect(written.contains(name), "no \(name): \(written)") }
            #expect(written.contains { $0.hasSuffix(".json") && $0 != "summary.json" }, "no audit digest: \(written)")
            #expect(p.text("out/items.jsonl").split(separator: "\n").count == 30)
            #expect(p.text("summary.json").contains("\"written\" : 30"), "\(p.text("summary.json"))")
            // The server did get the key: the test is not vacuous.
            #expect(server.requests.contains { $0.query.contains("api_key=\(Self.canary)") })
            // The audit log (rows, credential filter) holds a fingerprint, never the secret.
            let export = try await p.sluice(["audit", "export", "pipeline.yaml", "--format", "jsonl"], environment: Self.environment)
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout.contains("credential_used") && !(export.stdout + export.stderr).contains(Self.canary))

            server.state.set { $0.outage = true }
            #expect(try await Self.runAndCheck(p, "deferred", logFormat: "json") == 75)
            #expect(p.text("summary.json").contains("\"deferred_pages\" : 1"), "\(p.text("summary.json"))")
        }
    }

    @Test("every refusal: 401, 404, a page over max_response_bytes, a redirect out of scope, a scope that does not cover the URL")
    func refusals() async throws {
        try await Loopback.run(items: 3) { server in
            let cases: [(String, [String], String?, Int32)] = [
                ("/v1/status/401", [], nil, 77),
                ("/v1/status/404", [], nil, 69),
                ("/v1/big", ["max_response_bytes: 100"], nil, 65),
                ("/v1/redirect-out", [], nil, 77),
                ("/v1/items", [], "http:GET:\(server.url("/v2/*"))", 77),
            ]
            for (path, options, scope, exit) in cases {
                let p = try Self.project(server, path, options, scope: scope)
                defer { p.remove() }
                for format in ["text", "json"] {
                    #expect(try await Self.runAndCheck(p, "\(path) (\(format) log)", logFormat: format) == exit, "\(path)")
                }
            }
            #expect(server.requests.contains { $0.query.contains(Self.canary) }, "the key was never sent: the test would prove nothing")
        }
    }
}
