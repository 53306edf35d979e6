import Foundation
import SluiceCore
import SluiceJSON
import Testing

@Suite("http input under faults (real loopback server, virtual time)")
struct FaultToleranceTests {
    @Test("30% 5xx, 10% 429, 5% hangs, 5% resets: every record arrives exactly once, no page gets more than max_attempts")
    func faultMix() async throws {
        let report = try await Loopback.run(items: 1200, mix: .issue, seed: 20261130, prepare: { $0.hangSeconds = 1.0 }) { server in
            let h = try server.pipeline("/v1/items", [
                "query: {limit: \"10\"}", "records: /data", "id: /id", "pagination: {kind: cursor, cursor_pointer: /next_cursor}",
                "retry: {max_attempts: 4, initial_backoff_ms: 1000, max_backoff_secs: 30, attempt_timeout_secs: 0.4}",
            ])
            var runs: [(exit: Int32, requests: [ServerState.Logged])] = []
            var seen = 0
            for _ in 0..<80 {
                let outcome = try await h.run()
                let all = server.requests
                runs.append((outcome.exitStatus, Array(all[seen...])))
                seen = all.count
                #expect(outcome.exitStatus == 0 || outcome.exitStatus == 75, "run ended with \(outcome.exitStatus): \(String(describing: outcome.error))")
                if outcome.exitStatus == 0 { break }
                server.clock.advance(120)
            }
            return (runs, try h.writtenIDs(), h.store.events)
        }
        let (runs, ids, events) = report
        #expect(runs.last?.exit == 0, "the runs never completed")
        let expected = (0..<1200).map { String(format: "item-%04d", $0) }
        #expect(ids.count == expected.count)
        #expect(ids.sorted() == expected, "records lost or duplicated")
        #expect(Set(ids).count == ids.count)
        for run in runs {
            let perURL = Dictionary(grouping: run.requests, by: { $0.query }).mapValues(\.count)
            let worst = perURL.values.max() ?? 0
            #expect(worst <= 4, "a page was requested \(worst) times in one run")
        }
        let faults = runs.flatMap(\.requests).map(\.fault)
        let counts = Dictionary(grouping: faults, by: { $0 }).mapValues(\.count)
        // The schedule really injected each kind of fault.
        for f in [Fault.http500, .http502, .http503, .http429Seconds, .http429Date, .hang, .reset] {
            #expect((counts[f] ?? 0) > 0, "no \(f) was injected")
        }
        #expect(events.contains { $0.event == "retried" && $0.reason == "timeout" })
        #expect(events.contains { $0.event == "retried" && $0.reason == "http_429" })
        print("fault mix: \(faults.count) requests over \(runs.count) runs; " + Fault.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
              + "; retried \(events.filter { $0.event == "retried" }.count), deferred pages \(events.filter { $0.event == "deferred" }.count), breaker openings \(events.filter { $0.event == "circuit_opened" }.count)")
    }

    @Test("an outage opens the breaker: no calls while open but probes, exit 75, and the next run after recovery completes")
    func outage() async throws {
        try await Loopback.run(items: 25, prepare: { $0.outage = true }) { server in
            let (state, clock) = (server.state, server.clock)
            let h = try server.pipeline("/v1/items", [
                "records: /data", "id: /id", "pagination: {kind: cursor, cursor_pointer: /next_cursor}",
                "retry: {max_attempts: 4, initial_backoff_ms: 100}",
                "circuit_breaker: {minimum_calls: 4, window_calls: 4, failure_ratio: 0.5, open_secs: 60, half_open_probes: 1}",
            ])
            let r1 = try await h.run()
            #expect(r1.exitStatus == 75)
            #expect(state.requests.count == 4)
            #expect(h.store.events.contains { $0.event == "circuit_opened" })

            clock.advance(10)   // still open: nothing is sent
            let r2 = try await h.run()
            #expect(r2.exitStatus == 75)
            #expect(state.requests.count == 4, "a call was made while the breaker was open")
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "circuit_open")

            clock.advance(60)   // half-open: one probe, which fails
            let r3 = try await h.run()
            #expect(r3.exitStatus == 75)
            #expect(state.requests.count == 5)
            #expect(h.store.events.contains { $0.event == "circuit_half_open" })

            state.set { $0.outage = false }
            clock.advance(61)
            let r4 = try await h.run()
            #expect(r4.exitStatus == 0)
            #expect(h.store.events.contains { $0.event == "circuit_closed" })
            #expect(try h.writtenIDs().sorted() == (0..<25).map { String(format: "item-%04d", $0) })
        }
    }

    @Test("503 on every attempt: exactly max_attempts requests, backoff waits within the full-jitter bounds, page deferred")
    func exhaustedRetries() async throws {
        try await Loopback.run(items: 5, prepare: { $0.outage = true }) { server in
            let h = try server.pipeline("/v1/items", ["records: /data", "retry: {max_attempts: 5, initial_backoff_ms: 1000, max_backoff_secs: 3}",
                                                      "circuit_breaker: {enabled: false}"])
            let r = try await h.run()
            #expect(r.exitStatus == 75)
            // One page deferred: counted as a page, not as a record (none was received).
            let l = try #require(r.summary?.ledger)
            #expect(l.deferredPages == 1 && l.deferred == 0 && l.received == 0, "\(l)")
            #expect(r.summary?.balanced == true)
            #expect(r.summary?.status == "deferred")
            #expect(r.summary?.problems == ["1 page deferred to the next run"])
            #expect(server.requests.count == 5)
            let sleeps = server.clock.recordedSleeps
            #expect(sleeps.count == 4)
            for (i, s) in sleeps.enumerated() { #expect(s >= 0 && s < [1.0, 2.0, 3.0, 3.0][i]) }
            #expect(h.store.events.last { $0.event == "deferred" }?.reason == "retries_exhausted")
        }
    }

    @Test("a hang past the attempt timeout, a reset, a truncated body and a slow trickle are each retried")
    func connectionFaults() async throws {
        for (fault, reason) in [(Fault.hang, "timeout"), (.reset, nil), (.truncated, "truncated"), (.trickle, "timeout")] {
            try await Loopback.run(items: 3, prepare: { $0.scripted = [0: fault]; $0.hangSeconds = 2.0 }) { server in
                let h = try server.pipeline("/v1/scripted", ["records: /data", "id: /id", "retry: {attempt_timeout_secs: 0.5, initial_backoff_ms: 10}"])
                let r = try await h.run()
                #expect(r.exitStatus == 0, "\(fault): \(String(describing: r.error))")
                #expect(try h.writtenIDs() == ["item-0000", "item-0001", "item-0002"], "\(fault)")
                #expect(server.requests.count == 2, "\(fault)")
                let retried = h.store.events.filter { $0.event == "retried" }
                #expect(retried.count == 1, "\(fault)")
                if let reason { #expect(retried.first?.reason == reason, "\(fault)") }
                else { #expect(["connection", "truncated"].contains(retried.first?.reason ?? ""), "\(fault)") }
            }
        }
    }

    @Test("a refused connection is a failed attempt at once, retried, then deferred")
    func refused() async throws {
        // Port 9 (discard) on the loopback interface: nothing listens there.
        let h = try PipelineHarness(clock: VirtualTime(), url: "http://127.0.0.1:9/v1/items",
                                    ["records: /data", "retry: {max_attempts: 3, attempt_timeout_secs: 20}"])
        let r = try await h.run()
        #expect(r.exitStatus == 75)
        // "connection", not "timeout": the refusal is not waited out until attempt_timeout_secs.
        #expect(h.store.events.filter { $0.event == "retried" }.map(\.reason) == ["connection", "connection"])
    }

    @Test("a slow trickle that finishes within the attempt timeout is accepted")
    func slowButInTime() async throws {
        try await Loopback.run(items: 3, prepare: { $0.scripted = [0: .trickle] }) { server in
            // The trickle takes about 1.5 s of real time; the timeout is on the wall clock, so it
            // leaves room for a machine busy with other work.
            let h = try server.pipeline("/v1/scripted", ["records: /data", "retry: {attempt_timeout_secs: 60}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(server.requests.count == 1)
        }
    }
}
