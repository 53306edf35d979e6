import Foundation
import Sluice
import Testing

/// `RunMetrics` for a run that failed before it could summarise itself: what alerts read.
@Suite struct RunMetricsTests {
    @Test func aFailedRunSaysSoAndKeepsTheLastSuccess() throws {
        let failed = Date(timeIntervalSince1970: 1_800_000_000)
        let m = RunMetrics(pipeline: "news", failedAt: failed, exitStatus: 73, lastSuccess: nil)
        func family(_ name: String) -> RunMetrics.Family? { m.families.first { $0.name == name } }
        #expect(family("sluice_last_run_timestamp_seconds")?.samples.map(\.value) == [1_800_000_000])
        #expect(family("sluice_last_run_exit_code")?.samples.map(\.value) == [73])
        // Absent, not 0, when no run ever succeeded.
        #expect(family("sluice_last_success_timestamp_seconds")?.samples.isEmpty == true)
        let status = try #require(family("sluice_last_run_status"))
        #expect(status.samples.filter { $0.value == 1 }.map { $0.labels.map(\.1) } == [["news", "failed"]])
        #expect(status.samples.allSatisfy { $0.labels.first?.0 == "pipeline" })
        // No HTTP input, no upstream families.
        #expect(family("sluice_last_run_upstream_requests") == nil)

        let later = RunMetrics(pipeline: "news", failedAt: failed, exitStatus: 75, lastSuccess: failed.addingTimeInterval(-3600))
        #expect(later.families.first { $0.name == "sluice_last_success_timestamp_seconds" }?.samples.map(\.value) == [1_799_996_400])
    }
}
