import Foundation
import SluiceCore
import SluiceJSON
import Testing

@Suite("Retry-After, rate limits, pacing and statuses that are never retried")
struct RetryPolicyTests {
    /// The usual input: records under /data, ids at /id, then `extra` options.
    func pipeline(_ server: Loopback, _ path: String, extra: [String] = []) throws -> PipelineHarness {
        try server.pipeline(path, ["records: /data", "id: /id"] + extra)
    }

    @Test("Retry-After in seconds and as an HTTP date is waited for (on the virtual clock)")
    func retryAfter() async throws {
        for fault in [Fault.http429Seconds, .http429Date] {
            try await Loopback.run(items: 3, prepare: { $0.scripted = [0: fault]; $0.retryAfterSeconds = 7 }) { server in
                let h = try pipeline(server, "/v1/scripted")
                #expect(try await h.run().exitStatus == 0)
                #expect(server.requests.count == 2)
                let waited = server.clock.recordedSleeps.reduce(0, +)
                if fault == .http429Seconds { #expect(waited == 7) } else { #expect(waited > 5.99 && waited <= 7, "waited \(waited)") }
            }
        }
    }

    @Test("a Retry-After past max_retry_after_secs defers the page without sleeping on it")
    func retryAfterTooLong() async throws {
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .http429Seconds]; $0.retryAfterSeconds = 3600 }) { server in
            let h = try pipeline(server, "/v1/scripted", extra: ["retry: {max_retry_after_secs: 120}"])
            let r = try await h.run()
            #expect(r.exitStatus == 75)
            #expect(server.requests.count == 1)
            #expect(server.clock.recordedSleeps.isEmpty)
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "retry_after_too_long")
            // The wait is remembered: a run before it has passed sends nothing; the first run after it picks the page up.
            server.clock.advance(600)
            #expect(try await h.run().exitStatus == 75)
            #expect(server.requests.count == 1)
            server.clock.advance(3000)
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs() == ["item-0000", "item-0001", "item-0002"])
        }
    }

    @Test("400, 401, 403, 404 and 422 are never retried")
    func notRetried() async throws {
        for (code, exit) in [(400, 69), (401, 77), (403, 77), (404, 69), (422, 69)] {
            try await Loopback.run(items: 1) { server in
                let h = try pipeline(server, "/v1/status/\(code)")
                let r = try await h.run()
                #expect(r.exitStatus == Int32(exit), "\(code)")
                #expect(server.requests.count == 1, "\(code) was retried")
            }
        }
    }

    @Test("408 and 5xx are retried up to max_attempts")
    func retried() async throws {
        for code in [408, 500, 502, 503, 504] {
            try await Loopback.run(items: 1) { server in
                let h = try pipeline(server, "/v1/status/\(code)", extra: ["retry: {max_attempts: 3}", "circuit_breaker: {enabled: false}"])
                #expect(try await h.run().exitStatus == 75, "\(code)")
                #expect(server.requests.count == 3, "\(code)")
            }
        }
    }

    @Test("max_requests_per_sec spaces requests and RateLimit-Remaining: 0 waits for the reset")
    func pacing() async throws {
        try await Loopback.run(items: 20) { server in
            let h = try server.pipeline("/v1/pages", ["pagination: {kind: page}", "max_requests_per_sec: 4"])
            #expect(try await h.run().exitStatus == 0)
            #expect(server.requests.count == 4)   // 7 + 7 + 6 items, then an empty page
            #expect(server.clock.recordedSleeps == [0.25, 0.25, 0.25])
        }
        try await Loopback.run(items: 4) { server in
            let h = try server.pipeline("/v1/ratelimited", ["records: /data", "pagination: {kind: page}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(server.clock.recordedSleeps == [5, 5])
            #expect(try h.writtenIDs().count == 4)
        }
    }

    @Test("a wrong content type is retried and the page deferred (never quarantined, the chain keeps its place); a body over max_response_bytes stops the run with 65")
    func badPages() async throws {
        try await Loopback.run(items: 1) { server in
            let html = try pipeline(server, "/v1/html", extra: ["retry: {max_attempts: 3, initial_backoff_ms: 10}"])
            let r = try await html.run()
            #expect(r.exitStatus == 75)
            #expect(r.summary?.ledger.quarantined == 0)
            #expect(server.requests.count == 3)
            #expect(html.store.events.filter { $0.event == "fetched" }.allSatisfy { $0.reason == "unusable_body" && $0.details?["problem"]?.stringValue == "unexpected_content_type" })
            #expect(html.httpCheckpoint?["position"]?["url"]?.stringValue == server.url("/v1/html"))
            let big = try pipeline(server, "/v1/big", extra: ["max_response_bytes: 1000"])
            let b = try await big.run()
            #expect(b.exitStatus == 65)
            #expect(b.error?.message.contains("max_response_bytes (1000)") == true)
            #expect(server.requests.count == 4, "a body over the limit is not asked for again")
        }
    }
}
