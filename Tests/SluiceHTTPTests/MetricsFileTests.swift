import Foundation
import SluiceTesting
import Testing

/// Issue 15: the metrics file `sluice run --metrics` writes, through the real binary against the
/// loopback fault server: the breaker gauge on every run (also when the breaker did not change
/// state), deferred pages as pages, and `degraded` for a run served from the fallback cache.
@Suite("the metrics file of http runs (real sluice binary, loopback server)")
struct MetricsFileTests {
    /// `sluice run pipeline.yaml --metrics api.prom`: the exit status, stdout and the file.
    static func run(_ project: CLIProject) async throws -> (status: Int32, stdout: String, metrics: String) {
        let r = try await project.sluice(["run", "pipeline.yaml", "--metrics", "api.prom"])
        return (r.status, r.stdout, project.text("api.prom"))
    }

    /// The value of the sample of `name` whose labels include `labels`; nil when there is none.
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && (line.hasPrefix(name + "{") || line.hasPrefix(name + " ")) {
            let (head, number) = (line[..<(line.lastIndex(of: " ") ?? line.endIndex)], line.split(separator: " ").last ?? "")
            if labels.allSatisfy({ head.contains("\($0.key)=\"\($0.value)\"") }) { return Double(number) }
        }
        return nil
    }

    @Test("the breaker gauge is in the file on every run, also runs in which the breaker did not change state; deferred pages are pages")
    func breakerGaugeEveryRun() async throws {
        try await Loopback.run(items: 5) { server in
            let project = try CLIProject(url: server.url("/v1/items"), ["id: /id", "retry: {max_attempts: 2, initial_backoff_ms: 10}",
                                                                    "circuit_breaker: {minimum_calls: 2, window_calls: 2, open_secs: 3600}"])
            defer { project.remove() }
            let host = ["host": "http://127.0.0.1:\(server.port)"]

            // Healthy: the breaker stays closed (no transition), and the gauge says 0.
            let healthy = try await Self.run(project)
            #expect(healthy.status == 0, "\(healthy.stdout)")
            #expect(Self.value(healthy.metrics, "sluice_upstream_breaker_open", host) == 0, "\(healthy.metrics)")
            #expect(Self.value(healthy.metrics, "sluice_last_run_deferred_pages") == 0)

            // An outage opens it: 1 while open, the page deferred as a page, no record deferred.
            server.state.set { $0.outage = true }
            let down = try await Self.run(project)
            #expect(down.status == 75, "\(down.stdout)")
            #expect(Self.value(down.metrics, "sluice_upstream_breaker_open", host) == 1, "\(down.metrics)")
            #expect(Self.value(down.metrics, "sluice_last_run_deferred_pages") == 1)
            #expect(Self.value(down.metrics, "sluice_last_run_records", ["outcome": "deferred"]) == 0)
            #expect(Self.value(down.metrics, "sluice_last_run_records", ["outcome": "received"]) == 0)
            #expect(Self.value(down.metrics, "sluice_last_run_status", ["status": "deferred"]) == 1)
            #expect(Self.value(down.metrics, "sluice_last_run_ledger_balanced") == 1)
            #expect(down.stdout.contains("deferred 0  (balanced)"), "\(down.stdout)")
            #expect(down.stdout.contains("deferred: 1 page not read this run"), "\(down.stdout)")

            // Still open, nothing sent, no transition in this run: the gauge still says 1.
            let sent = server.requests.count
            let still = try await Self.run(project)
            #expect(still.status == 75)
            #expect(server.requests.count == sent, "a request went out while the breaker was open")
            #expect(Self.value(still.metrics, "sluice_upstream_breaker_open", host) == 1, "\(still.metrics)")
            #expect(Self.value(still.metrics, "sluice_last_run_deferred_pages") == 1)
        }
    }

    @Test("a run served from the fallback cache exits 0 and its metrics say degraded")
    func cacheServedRunIsDegraded() async throws {
        try await Loopback.run(items: 3) { server in
            let project = try CLIProject(url: server.url("/v1/items"), ["id: /id", "retry: {max_attempts: 2, initial_backoff_ms: 10}",
                                                                    "circuit_breaker: {enabled: false}", "fallback: {cache: true}"])
            defer { project.remove() }
            let first = try await Self.run(project)
            #expect(first.status == 0, "\(first.stdout)")
            #expect(Self.value(first.metrics, "sluice_last_run_status", ["status": "succeeded"]) == 1)
            #expect(Self.value(first.metrics, "sluice_last_run_status", ["status": "degraded"]) == 0)

            server.state.set { $0.outage = true }
            let cached = try await Self.run(project)
            #expect(cached.status == 0, "\(cached.stdout)")
            #expect(Self.value(cached.metrics, "sluice_last_run_exit_code") == 0)
            #expect(Self.value(cached.metrics, "sluice_last_run_status", ["status": "degraded"]) == 1, "\(cached.metrics)")
            #expect(Self.value(cached.metrics, "sluice_last_run_status", ["status": "succeeded"]) == 0)
            #expect(Self.value(cached.metrics, "sluice_last_run_deferred_pages") == 0)
            #expect(cached.stdout.contains("fallback cache"), "\(cached.stdout)")
        }
    }
}
