import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// What the steps of a run share with a test: how many items the input yielded so far, and a
/// gate that a commit can wait on until the input got to a given item.
final class ReadCounter: @unchecked Sendable {
    private let count = Locked(0)
    private let reached = Locked<[(Int, DispatchSemaphore)]>([])

    var yielded: Int { count.current }

    func yieldedOne() {
        let n = count.withLock { $0 += 1; return $0 }
        let open = reached.withLock { gates in
            let due = gates.filter { $0.0 <= n }.map(\.1)
            gates.removeAll { $0.0 <= n }
            return due
        }
        for g in open { g.signal() }
    }

    /// Blocks the calling thread (a commit thread, never a task) until `n` items were yielded,
    /// or `limit` seconds passed (a guard against a hang, not a measurement); true if reached.
    func wait(until n: Int, limit: Double = 60) -> Bool {
        let gate = DispatchSemaphore(value: 0)
        let already = reached.withLock { gates -> Bool in
            if count.current >= n { return true }
            gates.append((n, gate))
            return false
        }
        return already || gate.wait(timeout: .now() + limit) == .success
    }
}

/// The memory input, counting what it yields.
struct CountingInput: Input {
    static let descriptor = ComponentDescriptor(kind: .input, name: "counting", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws { fatalError("built by tests") }
    let inner: MemoryInput
    let counter: ReadCounter
    init(_ inner: MemoryInput, counter: ReadCounter) {
        self.inner = inner
        self.counter = counter
    }

    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource {
        Source(inner: try inner.open(checkpoint: checkpoint, context: context), counter: counter)
    }

    final class Source: RecordSource {
        let inner: any RecordSource
        let counter: ReadCounter
        init(inner: any RecordSource, counter: ReadCounter) {
            self.inner = inner
            self.counter = counter
        }
        func next() async throws -> SourceItem? {
            let item = try await inner.next()
            if item != nil { counter.yieldedOne() }
            return item
        }
        var checkpoint: Checkpoint { inner.checkpoint }
        var progress: SourceProgress? { inner.progress }
    }
}

/// An output that notes, at every write, how far the input had read ahead of it.
final class ReadAheadOutput: Output, @unchecked Sendable {
    static let descriptor = ComponentDescriptor(kind: .output, name: "read_ahead", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws { fatalError("built by tests") }
    let counter: ReadCounter
    let written = Locked(0)
    let mostAhead = Locked(0)
    init(counter: ReadCounter) { self.counter = counter }

    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter { Writer(output: self) }

    final class Writer: OutputWriter {
        let output: ReadAheadOutput
        init(output: ReadAheadOutput) { self.output = output }
        func write(_ records: [Record]) throws {
            let w = output.written.withLock { $0 += records.count; return $0 }
            let ahead = output.counter.yielded - w
            output.mostAhead.withLock { $0 = max($0, ahead) }
        }
        func commit() throws -> Checkpoint? { nil }
        func finish() throws {}
        var destination: String { "memory" }
    }
}

/// A state store whose commit of one batch waits until the input has read a later item: it
/// finishes only if reading goes on while a commit is in flight.
final class GatedStateStore: StateStore, @unchecked Sendable {
    let inner = MemoryStateStore()
    let counter: ReadCounter
    /// Commit number (1 is `run_started`) → the item count the commit waits for.
    let gates: [Int: Int]
    private(set) var commits = 0
    private(set) var gateTimedOut = false
    init(counter: ReadCounter, gates: [Int: Int]) {
        self.counter = counter
        self.gates = gates
    }

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
        if let n = gates[commits], !counter.wait(until: n) { gateTimedOut = true }
        try inner.commit(batch)
    }
}

/// A stateful stage that checks, for each record, that the record one batch before it is
/// already in the committed state: what a stateful stage reads must include every earlier batch.
final class LookBackStage: StatefulStage, @unchecked Sendable {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "look_back", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws { fatalError("built by tests") }
    let distance: Int
    init(distance: Int) { self.distance = distance }
    private var state: (any StageStateReader)?
    private var seen: [String] = []
    private var pending: [String] = []
    private(set) var misses: [String] = []

    func begin(run: RunContext, state: any StageStateReader) throws { self.state = state }

    func process(_ record: Record) throws -> StageOutcome {
        if seen.count >= distance, let back = seen.dropLast(distance - 1).last,
           try state?.value(namespace: "look_back", key: back) == nil {
            misses.append(record.id)
        }
        seen.append(record.id)
        pending.append(record.id)
        return .pass(record)
    }

    func stateWrites(accepted: Set<String>) -> [StateWrite] {
        defer { pending = [] }
        return pending.filter(accepted.contains).map { StateWrite(namespace: "look_back", key: $0, value: [1]) }
    }
}

@Suite struct RunnerStepsTests {
    func plan(_ f: RunnerFixture, input: any Input, stages: [any Stage], output: (any Output)? = nil, batchSize: Int) throws -> PipelinePlan {
        var plan = try f.plan(stages: stages, batchSize: batchSize)
        plan.inputs = [.init(name: "mem", type: "counting", component: input)]
        if let output { plan.outputs = [.init(name: "ahead", type: "read_ahead", component: output)] }
        return plan
    }

    func values(_ n: Int) -> [JSONValue] { (0..<n).map { ["id": .string("d\($0)"), "title": .string("T \($0)")] } }

    @Test func readingGoesOnWhileABatchCommits() async throws {
        let f = try RunnerFixture(count: 0)
        defer { f.dir.remove() }
        let counter = ReadCounter()
        let input = CountingInput(MemoryInput(name: "mem", values: values(100), idField: try JSONPointer(parsing: "/id")), counter: counter)
        // Commit 3 is batch 2's (commit 1 is run_started): it waits until batch 4 is being read.
        let store = GatedStateStore(counter: counter, gates: [3: 31])
        let s = try await PipelineRunner(plan: try plan(f, input: input, stages: [try f.require()], batchSize: 10)) { _ in store }.run()
        #expect(s.balanced && s.ledger.written == 100)
        #expect(!store.gateTimedOut, "batch 2's commit finished only after reading had stopped for it")
    }

    @Test func statelessStagesGoOnWhileAStatefulStageWaitsForTheCommit() async throws {
        let f = try RunnerFixture(count: 0)
        defer { f.dir.remove() }
        let counter = ReadCounter()
        let input = CountingInput(MemoryInput(name: "mem", values: values(100), idField: try JSONPointer(parsing: "/id")), counter: counter)
        let store = GatedStateStore(counter: counter, gates: [3: 31])
        let look = LookBackStage(distance: 10)
        let s = try await PipelineRunner(plan: try plan(f, input: input, stages: [try f.require(), look], batchSize: 10)) { _ in store }.run()
        #expect(s.balanced && s.ledger.written == 100)
        #expect(!store.gateTimedOut)
        // Every record saw the record a batch before it committed.
        #expect(look.misses.isEmpty, "\(look.misses.prefix(5))")
    }

    @Test func readingStaysAFewBatchesAheadOfTheOutputs() async throws {
        let f = try RunnerFixture(count: 0)
        defer { f.dir.remove() }
        let counter = ReadCounter()
        let input = CountingInput(MemoryInput(name: "mem", values: values(2_000), idField: try JSONPointer(parsing: "/id")), counter: counter)
        let output = ReadAheadOutput(counter: counter)
        let s = try await PipelineRunner(plan: try plan(f, input: input, stages: [try f.require(), RememberingStage(), try f.require()],
                                                         output: output, batchSize: 10)) { _ in MemoryStateStore() }.run()
        #expect(s.ledger.written == 2_000)
        // The batch being read, one in each of three queues and one in each of three steps: 7.
        #expect(output.mostAhead.current <= 7 * 10, "read \(output.mostAhead.current) records ahead of the outputs")
    }

    @Test func aStageErrorStopsEveryStepAndNothingOfItsBatchIsCommitted() async throws {
        let f = try RunnerFixture(count: 300)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let plan = try f.plan(stages: [try f.require(), CrashAtStage(id: "d155")], batchSize: 10)
        await #expect(throws: (any Error).self) { _ = try await f.run(plan, store: store) }
        let received = store.events.filter { $0.kind == .received }.compactMap(\.recordID)
        #expect(received.count <= 150 && received == (0..<received.count).map { "d\($0)" })
        #expect(store.runs.last?.status == "failed")
    }
}
