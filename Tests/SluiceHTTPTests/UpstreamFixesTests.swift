import Foundation
import SluiceCore
@testable import SluiceHTTP
import SluiceJSON
import Testing

/// Issue 15: cut-short 200s are retried and deferred, never a success with the chain cut short;
/// fallbacks per page; breakers that open under the defaults and are reported on every run;
/// deadlines; Retry-After across runs.
@Suite("http input: honest exits under faults (real loopback server, virtual time)")
struct UpstreamFixesTests {
    static let cursor = ["query: {limit: \"10\"}", "records: /data", "id: /id", "pagination: {kind: cursor, cursor_pointer: /next_cursor}"]
    static func ids(_ r: Range<Int>) -> [String] { r.map { String(format: "item-%04d", $0) } }

    @Test("a 200 whose JSON is cut short is retried like a dropped connection")
    func cutShortRetried() async throws {
        try await Loopback.run(items: 25, prepare: { $0.scripted = [1: .cutShort200] }) { server in
            let h = try server.pipeline("/v1/items", Self.cursor + ["retry: {initial_backoff_ms: 10}"])
            let r = try await h.run()
            #expect(r.exitStatus == 0, "\(String(describing: r.error))")
            #expect(try h.writtenIDs() == Self.ids(0..<25))
            #expect(r.summary?.ledger.quarantined == 0)
            #expect(h.store.events.contains { $0.event == "retried" && $0.reason == "unusable_body" })
            #expect(server.requests.count == 4)
        }
    }

    @Test("cut-short 200s on every attempt defer the page (exit 75); the next run resumes there and writes no page twice")
    func cutShortDeferred() async throws {
        try await Loopback.run(items: 25, prepare: { $0.scripted = [1: .cutShort200, 2: .cutShort200, 3: .cutShort200] }) { server in
            let h = try server.pipeline("/v1/items", Self.cursor + ["retry: {max_attempts: 3, initial_backoff_ms: 10}"])
            let r1 = try await h.run()
            #expect(r1.exitStatus == 75)
            #expect(r1.summary?.ledger.quarantined == 0)
            #expect(try h.writtenIDs() == Self.ids(0..<10))
            // The ledger counts the 10 records of page 1 and, apart, the page deferred.
            let l = try #require(r1.summary?.ledger)
            #expect(l.received == 10 && l.written == 10 && l.deferred == 0 && l.deferredPages == 1, "\(l)")
            #expect(l.isBalanced)
            let deferred = h.store.events.last { $0.event == "deferred" }
            #expect(deferred?.reason == "retries_exhausted")
            #expect(deferred?.uri?.contains("cursor=10") == true)
            server.clock.advance(60)
            let r2 = try await h.run()
            #expect(r2.exitStatus == 0)
            #expect(server.requests[4].query.contains("cursor=10"), "the second run did not resume at the deferred page: \(server.requests[4].query)")
            #expect(try h.writtenIDs() == Self.ids(0..<25))
        }
    }

    @Test("Link pagination goes back to the primary after one page from the replica; via and fallback_used are per page")
    func fallbackPerPage() async throws {
        try await Loopback.run(items: 25, prepare: { $0.scripted = [1: .http503, 2: .http503] }) { primary in
            let replicaState = ServerState(items: 25, clock: primary.clock)
            try await FaultServer.run(replicaState) { replicaPort in
                let replica = "http://127.0.0.1:\(replicaPort)/v1/link"
                let h = try primary.pipeline("/v1/link", ["records: /data", "id: /id", "pagination: {kind: link}",
                                                          "retry: {max_attempts: 2, initial_backoff_ms: 10}", "circuit_breaker: {enabled: false}",
                                                          "fallback: {url: \"\(replica)\"}"])
                let r = try await h.run()
                #expect(r.exitStatus == 0, "\(String(describing: r.error))")
                #expect(try h.writtenIDs() == Self.ids(0..<25))
                // Page 2 came from the replica; pages 3 to 5 from the primary again.
                #expect(replicaState.requests.map(\.query) == ["from=5"])
                #expect(primary.state.requests.map(\.query) == ["", "from=5", "from=5", "from=10", "from=15", "from=20"])
                let events = h.store.events
                #expect(events.filter { $0.event == "fallback_used" }.count == 1)
                let ok = events.filter { $0.event == "fetched" && $0.reason == "ok" }
                #expect(ok.map { $0.details?["via"]?.stringValue ?? "" } == ["primary", "secondary", "primary", "primary", "primary"])
                #expect(ok.filter { $0.details?["via"]?.stringValue == "primary" }.allSatisfy { $0.uri?.hasPrefix(primary.url("/v1/link")) == true })
                #expect(r.summary?.inputs["items"]?.notices["fallbacks_used"] == 1)
            }
        }
    }

    @Test("with the default breaker settings an outage opens the breaker (window kept across runs); its state is reported on every run")
    func defaultBreakerOpens() async throws {
        try await Loopback.run(items: 5, prepare: { $0.outage = true }) { server in
            let h = try server.pipeline("/v1/items", ["records: /data", "id: /id", "retry: {initial_backoff_ms: 10}"])
            var counts: [Int] = []
            for _ in 0..<4 {
                #expect(try await h.run().exitStatus == 75)
                counts.append(server.requests.count)
                server.clock.advance(5)
            }
            // 4 attempts, 4 more, then the 10th call of the window opens it: none in the 4th run.
            #expect(counts == [4, 8, 10, 10])
            let states = h.store.events.filter { $0.event == "circuit_state" }.map { $0.details?["state"]?.stringValue ?? "" }
            #expect(states == ["closed", "closed", "open", "open"])
            #expect(h.store.events.filter { $0.event == "circuit_opened" }.count == 1)
            #expect(h.httpCheckpoint?["breakers"]?.objectValue?.members.first?.1["opened_at"] != nil)
        }
    }

    @Test("a run served from the fallback cache exits 0 with status degraded")
    func cacheDegraded() async throws {
        try await Loopback.run(items: 3) { server in
            let h = try server.pipeline("/v1/scripted", ["records: /data", "id: /id", "retry: {max_attempts: 2, initial_backoff_ms: 10}",
                                                         "fallback: {cache: true}"])
            let r1 = try await h.run()
            #expect(r1.exitStatus == 0 && r1.summary?.status == "succeeded")
            server.state.set { $0.outage = true }
            server.clock.advance(60)
            let r2 = try await h.run()
            #expect(r2.exitStatus == 0)
            #expect(r2.summary?.status == "degraded")
            #expect(r2.summary?.inputs["items"]?.notices["served_from_cache"] == 1)
            #expect(r2.summary?.problems.first?.contains("fallback cache") == true)
        }
    }

    @Test("an attempt's timeout is cut to what is left of the page deadline")
    func deadlineCapsAttempt() async throws {
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .http429Seconds]; $0.retryAfterSeconds = 3 }) { server in
            let h = try server.pipeline("/v1/scripted", ["records: /data", "retry: {attempt_timeout_secs: 10, page_deadline_secs: 5}"])
            #expect(try await h.run().exitStatus == 0)
            let fetched = h.store.events.filter { $0.event == "fetched" }
            let waits = h.store.events.filter { $0.event == "retried" }.compactMap { $0.details?["delay_ms"]?.numberValue?.intValue }
            // 5 s of the page deadline left for the first attempt; the second gets what is left after
            // the wait between them: 2 s after the 3 s Retry-After. (On a loaded machine the
            // transport can lose the 429 and the client backs off instead; the rule is the same.)
            #expect(waits.count == 1)
            #expect(fetched.map { $0.details?["timeout_ms"]?.numberValue?.intValue } == [5000, 5000 - (waits.first ?? 0)])
        }
        // A hang longer than the page deadline is given up at the deadline, not at attempt_timeout_secs
        // (without the cut the 4 s hang would end in a late 200).
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .hang]; $0.hangSeconds = 4 }) { server in
            let h = try server.pipeline("/v1/scripted", ["records: /data", "retry: {max_attempts: 1, attempt_timeout_secs: 30, page_deadline_secs: 0.5}"])
            let r = try await h.run()
            #expect(r.exitStatus == 75)
            let first = h.store.events.first { $0.event == "fetched" }
            #expect(first?.reason == "timeout")
            #expect(first?.details?["timeout_ms"]?.numberValue?.intValue == 500)
        }
    }

    @Test("a Retry-After longer than max_retry_after_secs is remembered: the next run sends nothing until it has passed")
    func retryAfterRemembered() async throws {
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .http429Seconds]; $0.retryAfterSeconds = 500 }) { server in
            let h = try server.pipeline("/v1/scripted", ["records: /data", "id: /id"])
            #expect(try await h.run().exitStatus == 75)
            #expect(server.requests.count == 1)
            #expect(h.httpCheckpoint?["breakers"]?.objectValue?.members.first?.1["not_before"] != nil)
            server.clock.advance(200)
            #expect(try await h.run().exitStatus == 75)
            #expect(server.requests.count == 1, "a request was sent before the server's Retry-After")
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "retry_after")
            server.clock.advance(301)
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs() == Self.ids(0..<3))
        }
    }

    @Test("incremental values with mixed UTC offsets are compared as instants")
    func sinceAsInstants() {
        #expect(IncrementalOrder.newer(.string("2026-11-01T09:30:00Z"), than: .string("2026-11-01T10:00:00+02:00")))
        #expect(!IncrementalOrder.newer(.string("2026-11-01T10:00:00+02:00"), than: .string("2026-11-01T09:30:00Z")))
        #expect(IncrementalOrder.newer(.string("2026-11-01T09:30:00.25Z"), than: .string("2026-11-01T09:30:00.125Z")))
        #expect(!IncrementalOrder.newer(.string("2026-11-01T09:30:00.10Z"), than: .string("2026-11-01T09:30:00.1Z")))
        #expect(IncrementalOrder.newer(.string("2026-11-01t11:00:00-01:00"), than: .string("2026-11-01T11:59:59Z")))
        // Not date-times: text order, as before.
        #expect(IncrementalOrder.newer(.string("b"), than: .string("a")))
        #expect(Instant("2026-11-01") == nil && Instant("2026-11-01T10:00:00") == nil && Instant("2026-13-01T10:00:00Z") == nil)
        #expect(Instant("1970-01-01T00:00:00Z")?.seconds == 0)
        #expect(Instant("2026-11-01T00:00:00+01:00")?.seconds == 1_793_487_600)
    }
}

extension UpstreamFixesTests {
    @Test("a remembered wait longer than what is left of the page deadline defers the page without sleeping past it")
    func waitPastDeadlineDefers() async throws {
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .http429Seconds]; $0.retryAfterSeconds = 100 }) { server in
            let h = try server.pipeline("/v1/scripted", ["records: /data", "retry: {max_attempts: 1, page_deadline_secs: 30}"])
            #expect(try await h.run().exitStatus == 75)
            // The next run: 100 s to wait (under max_retry_after_secs), but only 30 s of page deadline.
            #expect(try await h.run().exitStatus == 75)
            #expect(server.requests.count == 1)
            #expect(server.clock.recordedSleeps.allSatisfy { $0 < 30 }, "slept past the page deadline: \(server.clock.recordedSleeps)")
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "page_deadline")
            server.clock.advance(100)
            #expect(try await h.run().exitStatus == 0)
        }
    }
}
