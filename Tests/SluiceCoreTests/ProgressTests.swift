import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A clock that moves `step` seconds each time it is read: a long run, without waiting.
final class SteppingClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var t = 0.0
    let step: Double
    init(step: Double) { self.step = step }
    func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000 + uptimeValue()) }
    func uptime() -> Double {
        lock.lock(); defer { lock.unlock() }
        t += step
        return t
    }
    private func uptimeValue() -> Double { lock.lock(); defer { lock.unlock() }; return t }
    func sleep(seconds: Double) async throws {}
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [RunProgress] = []
    func add(_ p: RunProgress) { lock.lock(); items.append(p); lock.unlock() }
}

@Suite struct ProgressTests {
    @Test func progressArrivesWhileABatchIsReadWithPositionAndETA() async throws {
        let f = try RunnerFixture(count: 600)
        defer { f.dir.remove() }
        var plan = try f.plan(stages: [], batchSize: 10_000)
        plan.limits.batchSize = 10_000
        let log = ProgressLog()
        var options = PipelineRunner.Options()
        options.time = SteppingClock(step: 2)
        options.progress = { log.add($0) }
        let s = try await PipelineRunner(plan: plan, options: options) { _ in MemoryStateStore() }.run()
        #expect(s.ledger.received == 600)
        // One batch holds all 600 records, yet progress came while it was read.
        let midBatch = log.items.filter { $0.reading > 0 }
        #expect(midBatch.count >= 5, "only \(log.items.count) reports")
        let m = try #require(midBatch.first)
        #expect(m.ledger.received == 0 && m.received == m.reading)
        #expect(m.source?.unit == "record" && m.source?.total == 600)
        #expect(m.fraction != nil && m.etaSeconds != nil)
        // Reports only move forward, and the last one says everything was read.
        #expect(zip(log.items, log.items.dropFirst()).allSatisfy { $0.received <= $1.received })
        let last = try #require(log.items.last)
        #expect(last.received == 600 && last.fraction == 1 && last.etaSeconds == 0)
    }

    @Test func etaAndDocumentCountsFollowTheLedger() {
        var ledger = RunLedger()
        ledger.received = 100
        ledger.derived = 40
        ledger.forked = 10
        ledger.written = 120
        ledger.quarantined = 10
        ledger.dropped = 0
        let p = RunProgress(input: "a", ledger: ledger, elapsedSeconds: 10, source: SourceProgress(unit: "file", done: 1, total: 4),
                            inputIndex: 1, inputCount: 2)
        // 120 rows written = 90 documents kept whole + 30 rows of chunks from 10 documents.
        #expect(p.documentsWritten == 90)
        #expect(p.rate == 10)
        // Input 2 of 2, a quarter through: 62.5 % of the run.
        #expect(p.fraction == 0.625)
        #expect(abs((p.etaSeconds ?? 0) - 6) < 1e-9)
        #expect(RunProgress(input: "a", ledger: ledger, elapsedSeconds: 10).etaSeconds == nil)
    }
}
