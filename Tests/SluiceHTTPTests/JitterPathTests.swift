import Foundation
import SluiceCore
import Testing

@Suite("backoff as the fetcher sleeps it")
struct JitterPathTests {
    @Test("the waits slept between real attempts follow full jitter: 5000 samples, means within 8% per retry")
    func sleptDelaysMatchFullJitter() async throws {
        let opens = 1000
        let retries = 5
        let server = try await Loopback.run(items: 1) { server in
            let h = try server.pipeline("/v1/status/503", [
                "retry: {max_attempts: \(retries + 1), initial_backoff_ms: 1000, max_backoff_secs: 1000, page_deadline_secs: 100000, run_deadline_secs: 100000000}",
                "circuit_breaker: {enabled: false}",
            ])
            let input = try h.firstInput()
            let random = SeededRandomSource(seed: 99)
            for _ in 0..<opens {
                let source = try input.open(checkpoint: nil, context: h.runContext(random: random))
                while let _ = try await source.next() {}
            }
            return server
        }
        let sleeps = server.clock.recordedSleeps
        #expect(sleeps.count == opens * retries)
        #expect(server.requests.count == opens * (retries + 1))
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
