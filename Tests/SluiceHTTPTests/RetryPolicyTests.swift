import Foundation
import SluiceCore
import SluiceJSON
import Testing

@Suite("Retry-After, rate limits, pacing and statuses that are never retried")
struct RetryPolicyTests {
    func harness(_ port: Int, _ path: String, _ clock: VirtualTime, extra: String = "") throws -> PipelineHarness {
        try PipelineHarness(clock: clock, input: """
            - name: items
              type: http
              url: http://127.0.0.1:\(port)\(path)
              records: /data
              id: /id
            \(extra)
            """)
    }

    @Test("Retry-After in seconds and as an HTTP date is waited for (on the virtual clock)")
    func retryAfter() async throws {
        for fault in [Fault.http429Seconds, .http429Date] {
            let clock = VirtualTime()
            let state = ServerState(items: 3, clock: clock)
            state.scripted = [0: fault]
            state.retryAfterSeconds = 7
            try await FaultServer.run(state) { port in
                let h = try harness(port, "/v1/scripted", clock)
                #expect(try await h.run().exitStatus == 0)
                #expect(state.requests.count == 2)
                let waited = clock.recordedSleeps.reduce(0, +)
                if fault == .http429Seconds { #expect(waited == 7) } else { #expect(waited > 5.99 && waited <= 7, "waited \(waited)") }
            }
        }
    }

    @Test("a Retry-After past max_retry_after_secs defers the page without sleeping on it")
    func retryAfterTooLong() async throws {
        let clock = VirtualTime()
        let state = ServerState(items: 3, clock: clock)
        state.scripted = [0: .http429Seconds]
        state.retryAfterSeconds = 3600
        try await FaultServer.run(state) { port in
            let h = try harness(port, "/v1/scripted", clock, extra: "  retry: {max_retry_after_secs: 120}")
            let r = try await h.run()
            #expect(r.exitStatus == 75)
            #expect(state.requests.count == 1)
            #expect(clock.recordedSleeps.isEmpty)
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "retry_after_too_long")
            // The next run picks the page up.
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs() == ["item-0000", "item-0001", "item-0002"])
        }
    }

    @Test("400, 401, 403, 404 and 422 are never retried")
    func notRetried() async throws {
        for (code, exit) in [(400, 69), (401, 77), (403, 77), (404, 69), (422, 69)] {
            let clock = VirtualTime()
            let state = ServerState(items: 1, clock: clock)
            try await FaultServer.run(state) { port in
                let h = try harness(port, "/v1/status/\(code)", clock)
                let r = try await h.run()
                #expect(r.exitStatus == Int32(exit), "\(code)")
                #expect(state.requests.count == 1, "\(code) was retried")
            }
        }
    }

    @Test("408 and 5xx are retried up to max_attempts")
    func retried() async throws {
        for code in [408, 500, 502, 503, 504] {
            let clock = VirtualTime()
            let state = ServerState(items: 1, clock: clock)
            try await FaultServer.run(state) { port in
                let h = try harness(port, "/v1/status/\(code)", clock, extra: "  retry: {max_attempts: 3}\n  circuit_breaker: {enabled: false}")
                #expect(try await h.run().exitStatus == 75, "\(code)")
                #expect(state.requests.count == 3, "\(code)")
            }
        }
    }

    @Test("max_requests_per_sec spaces requests and RateLimit-Remaining: 0 waits for the reset")
    func pacing() async throws {
        let clock = VirtualTime()
        let state = ServerState(items: 20, clock: clock)
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: """
                - name: items
                  type: http
                  url: http://127.0.0.1:\(port)/v1/pages
                  pagination: {kind: page}
                  max_requests_per_sec: 4
                """)
            #expect(try await h.run().exitStatus == 0)
            #expect(state.requests.count == 4)   // 7 + 7 + 6 items, then an empty page
            #expect(clock.recordedSleeps == [0.25, 0.25, 0.25])
        }
        let clock2 = VirtualTime()
        let state2 = ServerState(items: 4, clock: clock2)
        try await FaultServer.run(state2) { port in
            let h = try PipelineHarness(clock: clock2, input: """
                - name: items
                  type: http
                  url: http://127.0.0.1:\(port)/v1/ratelimited
                  records: /data
                  pagination: {kind: page}
                """)
            #expect(try await h.run().exitStatus == 0)
            #expect(clock2.recordedSleeps == [5, 5])
            #expect(try h.writtenIDs().count == 4)
        }
    }

    @Test("wrong content type, a body over max_response_bytes and a body that is not JSON are quarantined")
    func badPages() async throws {
        let clock = VirtualTime()
        let state = ServerState(items: 1, clock: clock)
        try await FaultServer.run(state) { port in
            for (path, code, extra) in [("/v1/html", "unexpected_content_type", ""), ("/v1/big", "response_too_large", "  max_response_bytes: 1000")] {
                let h = try harness(port, path, clock, extra: extra)
                let r = try await h.run()
                #expect(r.exitStatus == 0)
                #expect(r.summary?.quarantineReasons[code] == 1, "\(path): \(String(describing: r.summary?.quarantineReasons))")
            }
        }
    }
}
