import Foundation
import SluiceConfig
import SluiceCore
import SluiceJSON
import Testing

/// Issue 15's soak: 2,000 items, 50 per page, 35% faults of every kind (5xx, 429 with seconds
/// and with a date, hangs, resets, truncated and slow bodies, cut-short 200s with a matching
/// Content-Length), the pipeline run again while it exits 75 → every item exactly once.
/// Virtual time; the only real waits are the hangs and slow bodies, cut at a 0.25 s attempt timeout.
@Suite("soak: every record exactly once under 35% faults (real loopback server, virtual time)")
struct SoakTests {
    static let items = 2000
    static let maxAttempts = 4
    static let canary = "CANARY-soak-3d81e6"

    struct Figures: CustomStringConvertible {
        var name: String
        var runs = 0
        var requests = 0
        var pages = 0
        var duplicates = 0
        /// The most requests one page got in one run, over every run and server.
        var maxAttemptsPerPage = 0
        /// Wall time of all the runs (real seconds: the hangs and slow bodies; backoffs are virtual).
        var wallSeconds = 0.0
        var faults: [Fault: Int] = [:]
        var description: String {
            String(format: "%@: %d runs, %.1f s wall, %d requests for %d pages (%.2f per page), at most %d attempts per page per run (max_attempts %d), %d duplicates; faults: %@",
                   name, runs, wallSeconds, requests, pages, Double(requests) / Double(max(1, pages)), maxAttemptsPerPage, maxAttempts, duplicates,
                   Fault.allCases.filter { $0 != .ok }.map { "\($0.rawValue) \(faults[$0] ?? 0)" }.joined(separator: ", "))
        }
    }

    /// Runs `h` until it exits 0 (at most 100 runs), checking every run's exit and attempts per page.
    static func soak(_ name: String, _ h: PipelineHarness, servers: [ServerState], clock: VirtualTime) async throws -> Figures {
        var f = Figures(name: name)
        var seen = servers.map { _ in 0 }
        let started = ContinuousClock.now
        for _ in 0..<100 {
            let r = try await h.run()
            f.runs += 1
            #expect(r.exitStatus == 0 || r.exitStatus == 75, "\(name): run \(f.runs) ended with \(r.exitStatus): \(String(describing: r.error))")
            for (i, s) in servers.enumerated() {
                let run = Array(s.requests[seen[i]...])
                seen[i] = s.requests.count
                let worst = Dictionary(grouping: run, by: \.query).values.map(\.count).max() ?? 0
                #expect(worst <= maxAttempts, "\(name): a page was requested \(worst) times in run \(f.runs)")
                f.maxAttemptsPerPage = max(f.maxAttemptsPerPage, worst)
            }
            if r.exitStatus != 75 { break }
            clock.advance(90)
        }
        let wall = ContinuousClock.now - started
        f.wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let ids = try h.writtenIDs()
        #expect(ids.sorted() == (0..<items).map { String(format: "item-%04d", $0) }, "\(name): items lost or duplicated (\(ids.count) lines)")
        f.duplicates = ids.count - Set(ids).count
        #expect(f.duplicates == 0)
        let all = servers.flatMap(\.requests)
        f.requests = all.count
        f.pages = items / 50
        for r in all { f.faults[r.fault, default: 0] += 1 }
        // Nothing is sent to a host while its breaker is open, but the half-open probes.
        var state: [String: String] = [:]
        for e in h.store.events {
            let host = e.details?["host"]?.stringValue ?? hostKey(e.uri ?? "")
            switch e.event {
            case "circuit_opened": state[host] = "open"
            case "circuit_half_open": state[host] = "half_open"
            case "circuit_closed": state[host] = "closed"
            case "circuit_state": state[host] = e.details?["state"]?.stringValue
            case "fetched": #expect(state[host] != "open", "\(name): a request to \(host) while its breaker was open")
            default: break
            }
        }
        #expect(!h.everythingWritten().contains(canary), "\(name): the canary secret leaked")
        return f
    }

    static func hostKey(_ uri: String) -> String {
        guard let c = URLComponents(string: uri) else { return uri }
        return "\(c.scheme ?? "")://\(c.host ?? ""):\(c.port ?? 0)"
    }

    static let options = ["records: /data", "id: /id",
                          "retry: {max_attempts: \(maxAttempts), initial_backoff_ms: 500, max_backoff_secs: 10, attempt_timeout_secs: 0.25}"]

    func credentials(_ scope: String) -> CredentialStore? {
        setenv("SLUICE_SOAK_KEY", Self.canary, 1)
        return CredentialsFile.parse(text: """
            credentials:
              soak:
                kind: query
                param: api_key
                secret: env:SLUICE_SOAK_KEY
                scopes: ["\(scope)"]
            """, file: "credentials.yaml").store
    }

    @Test("cursor pagination, a query-parameter credential")
    func cursor() async throws {
        let f = try await Loopback.run(items: Self.items, mix: .soak, seed: 15_001, prepare: { $0.hangSeconds = 1 }) { server in
            let h = try server.pipeline("/v1/items", Self.options + ["query: {limit: \"50\"}", "credential: soak",
                                                                     "pagination: {kind: cursor, cursor_pointer: /next_cursor}"],
                                        credentials: credentials("http:GET:\(server.url("/v1/*"))"))
            let f = try await Self.soak("cursor", h, servers: [server.state], clock: server.clock)
            #expect(server.requests.allSatisfy { $0.query.contains("api_key=CANARY") })
            return f
        }
        print("soak \(f)")
        for kind in Fault.allCases where ![.ok].contains(kind) { #expect((f.faults[kind] ?? 0) > 0, "no \(kind) injected") }
    }

    @Test("Link pagination")
    func link() async throws {
        let f = try await Loopback.run(items: Self.items, mix: .soak, seed: 15_002, prepare: { $0.hangSeconds = 1 }) { server in
            let h = try server.pipeline("/v1/link?size=50", Self.options + ["pagination: {kind: link}"])
            return try await Self.soak("link", h, servers: [server.state], clock: server.clock)
        }
        print("soak \(f)")
        #expect((f.faults[.cutShort200] ?? 0) > 0)
    }

    @Test("Link pagination with a replica that fails too")
    func replica() async throws {
        // And an outage of the primary (requests 20 to 59 answer 503): pages go to the replica, then back.
        let f = try await Loopback.run(items: Self.items, mix: .soak, seed: 15_003, prepare: { s in
            s.hangSeconds = 1
            for n in 20..<60 { s.scripted[n] = .http503 }
        }) { server in
            let replica = ServerState(items: Self.items, mix: .soak, seed: 15_004, clock: server.clock)
            replica.hangSeconds = 1
            return try await FaultServer.run(replica) { port in
                let h = try server.pipeline("/v1/link?size=50", Self.options + ["pagination: {kind: link}",
                                                                               "fallback: {url: \"http://127.0.0.1:\(port)/v1/link?size=50\"}"])
                var f = try await Self.soak("replica", h, servers: [server.state, replica], clock: server.clock)
                let served = h.store.events.filter { $0.event == "fallback_used" }.count
                #expect(served > 0, "the replica served no page")
                // Every page the replica served is one fallback_used, and the next page goes to the primary.
                #expect(replica.requests.filter { $0.fault == .ok }.count >= served)
                f.name += " (\(served) pages from the replica, \(replica.requests.count) replica requests)"
                return f
            }
        }
        print("soak \(f)")
    }
}
