import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A state store whose `failAt`-th commit fails, as a full disk would.
final class FailingStateStore: StateStore, @unchecked Sendable {
    struct DiskFull: Error {}
    let inner = MemoryStateStore()
    let failAt: Int
    private(set) var commits = 0
    init(failAt: Int) { self.failAt = failAt }

    func checkpoints() throws -> [String: JSONValue] { try inner.checkpoints() }
    func unfinishedRuns() throws -> [RunRecord] { try inner.unfinishedRuns() }
    func recentRuns(limit: Int) throws -> [RunRecord] { try inner.recentRuns(limit: limit) }
    func value(namespace: String, key: String) throws -> [UInt8]? { try inner.value(namespace: namespace, key: key) }
    func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] { try inner.values(namespace: namespace, prefix: prefix) }
    func beginRun(_ run: RunRecord) throws { try inner.beginRun(run) }
    func finishRun(id: String, finishedAt: Date, status: String, exitStatus: Int32, summary: JSONValue) throws {
        try inner.finishRun(id: id, finishedAt: finishedAt, status: status, exitStatus: exitStatus, summary: summary)
    }
    func commit(_ batch: BatchCommit) throws {
        commits += 1
        if commits == failAt { throw DiskFull() }
        try inner.commit(batch)
    }
}

/// The state commit runs in the background (`StateCommitter`); these check that it changes
/// nothing a caller can see.
@Suite struct BackgroundCommitTests {
    @Test func aFailedCommitFailsTheRunAndLaterBatchesAreNotCommitted() async throws {
        let f = try RunnerFixture(count: 70)
        defer { f.dir.remove() }
        let store = FailingStateStore(failAt: 4)   // run_started, batches 1 and 2, then batch 3 fails
        let plan = try f.plan(stages: [try f.require()], batchSize: 7)
        await #expect(throws: FailingStateStore.DiskFull.self) {
            _ = try await PipelineRunner(plan: plan) { _ in store }.run()
        }
        // Only the first two batches' records were committed as received; the run is marked failed.
        let received = store.inner.events.filter { $0.event == "received" }.map { $0.recordID ?? "" }
        #expect(received == (0..<14).map { "d\($0)" })
        #expect(store.inner.runs.last?.status == "failed")
        // A rerun with a working store resumes from the committed checkpoint and balances.
        let summary = try await PipelineRunner(plan: plan) { _ in store.inner }.run()
        #expect(summary.balanced)
        #expect(summary.ledger.received == 56)
    }

    @Test func commitsKeepBatchOrder() async throws {
        let f = try RunnerFixture(count: 200)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let summary = try await f.run(try f.plan(stages: [try f.require()], batchSize: 3), store: store)
        #expect(summary.balanced)
        let received = store.events.filter { $0.event == "received" }.map { $0.recordID ?? "" }
        #expect(received == (0..<200).map { "d\($0)" })
        #expect(store.events.first?.event == "run_started")
        #expect(store.events.last?.event == "run_finished")
        #expect(store.runs.last?.ledger.received == 200)
    }
}
