import Foundation
import SluiceCore
import Testing

@Suite("backoff as the fetcher sleeps it")
struct JitterPathTests {
    @Test("the waits slept between real attempts follow full jitter: 5000 samples, means within 8% per retry")
    func sleptDelaysMatchFullJitter() async throws {
        let clock = VirtualTime()
        let state = ServerState(items: 1, clock: clock)
        let opens = 1000
        let retries = 5
        try await FaultServer.run(state) { port in
            let h = try PipelineHarness(clock: clock, input: """
                - name: items
                  type: http
                  url: http://127.0.0.1:\(port)/v1/status/503
                  retry: {max_attempts: \(retries + 1), initial_backoff_ms: 1000, max_backoff_secs: 1000, page_deadline_secs: 100000, run_deadline_secs: 100000000}
                  circuit_breaker: {enabled: false}
                """)
            let input = try #require(try h.load().plan).inputs[0].component
            let random = SeededRandomSource(seed: 99)
            for _ in 0..<opens {
                let context = RunContext(runID: "r", pipeline: "p", startedAt: clock.now(), time: clock, baseDirectory: h.dir.url,
                                         stateDirectory: h.dir.url, random: random)
                let source = try input.open(checkpoint: nil, context: context)
                while let _ = try await source.next() {}
            }
        }
        let sleeps = clock.recordedSleeps
        #expect(sleeps.count == opens * retries)
        #expect(state.requests.count == opens * (retries + 1))
        for retry in 1...retries {
            let ceiling = Double(1 << (retry - 1))
            let samples = stride(from: retry - 1, to: sleeps.count, by: retries).map { sleeps[$0] }
            #expect(samples.allSatisfy { $0 >= 0 && $0 < ceiling })
            let mean = samples.reduce(0, +) / Double(samples.count)
            #expect(abs(mean / (ceiling / 2) - 1) < 0.08, "retry \(retry): mean \(mean) of ceiling \(ceiling)")
            print("slept backoff retry \(retry): \(samples.count) samples, ceiling \(ceiling) s, mean \(String(format: "%.3f", mean)) s (\(String(format: "%+.2f", (mean / (ceiling / 2) - 1) * 100))%)")
        }
    }
}
