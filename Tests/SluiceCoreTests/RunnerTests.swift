import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A stage that stops the run (a non-record error) at one record id, to simulate a crash.
struct CrashAtStage: StatelessStage {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "crash_at", summary: "test", fields: [])
    let id: String?
    init(options: ComponentOptions, context: BuildContext) throws { id = nil }
    init(id: String?) { self.id = id }
    struct Crash: Error {}
    func process(_ record: Record) throws -> StageOutcome {
        if record.id == id { throw Crash() }
        return .pass(record)
    }
}

struct RunnerFixture {
    let dir: TemporaryDirectory
    let values: [JSONValue]

    init(count: Int) throws {
        dir = try TemporaryDirectory()
        values = (0..<count).map { i -> JSONValue in
            i % 10 == 3 ? ["id": .string("d\(i)")] : ["id": .string("d\(i)"), "title": .string("Title \(i)"), "n": .number(JSONNumber(i))]
        }
    }

    func plan(stages: [any Stage], batchSize: Int = 7) throws -> PipelinePlan {
        var limits = Limits()
        limits.batchSize = batchSize
        limits.parallelism = 2
        let ctx = BuildContext(pipeline: "t", instanceName: "x", baseDirectory: dir.url)
        let out = try JSONLOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/docs.jsonl", quoted: false))],
                                                            fields: JSONLOutput.descriptor.fields), context: ctx)
        return PipelinePlan(
            name: "t", file: nil, baseDirectory: dir.url, stateDirectory: dir.path(".sluice/t"),
            inputs: [.init(name: "mem", type: "memory", component: MemoryInput(name: "mem", values: values, idField: try JSONPointer(parsing: "/id")))],
            stages: stages.enumerated().map { .init(name: "s\($0.offset)", type: "x", component: $0.element) },
            outputs: [.init(name: "docs", type: "jsonl", component: out)],
            quarantinePath: dir.path("out/quarantine.jsonl"), limits: limits)
    }

    func require() throws -> RequireFieldsStage {
        try RequireFieldsStage(options: ComponentOptions(["fields": ConfigNode(.sequence([ConfigNode(.scalar("/title", quoted: false))]))],
                                                          fields: RequireFieldsStage.descriptor.fields),
                               context: BuildContext(pipeline: "t", instanceName: "req", baseDirectory: dir.url))
    }

    func run(_ plan: PipelinePlan, store: MemoryStateStore) async throws -> RunSummary {
        try await PipelineRunner(plan: plan) { _ in store }.run()
    }

    func output() throws -> String { try String(contentsOf: dir.path("out/docs.jsonl"), encoding: .utf8) }
    func quarantine() throws -> [JSONValue] {
        try String(contentsOf: dir.path("out/quarantine.jsonl"), encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}

@Suite struct RunnerTests {
    @Test func ledgerBalancesAndQuarantineSaysWhy() async throws {
        let f = try RunnerFixture(count: 50)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let s = try await f.run(try f.plan(stages: [try f.require()]), store: store)
        #expect(s.ledger.received == 50)
        #expect(s.ledger.quarantined == 5)
        #expect(s.ledger.written == 45)
        #expect(s.balanced)
        #expect(s.exitStatus == 0)
        let lines = try f.output().split(separator: "\n")
        #expect(lines.count == 45)
        // Order is kept although the stage ran on two threads.
        let ids = try lines.map { try JSONParser.parse(String($0))["_sluice"]?["id"]?.stringValue ?? "" }
        #expect(ids == f.values.compactMap { v in v["title"] == nil ? nil : v["id"]?.stringValue })
        let q = try f.quarantine()
        #expect(q.count == 5)
        #expect(q[0]["code"] == "missing_field")
        #expect(q[0]["pointer"] == "/title")
        #expect(q[0]["stage"] == "s0")
        #expect(q[0]["record_id"] == "d3")
        // A stage's quarantine keeps the record as its input yielded it, for `sluice quarantine replay`.
        #expect(q[0]["original"]?.stringValue.flatMap { try? JSONParser.parse($0) }?["id"] == "d3")
        #expect(store.events.filter { $0.event == "received" }.count == 50)
        #expect(store.events.filter { $0.event == "written" }.count == 45)
        #expect(store.events.filter { $0.event == "quarantined" }.count == 5)
    }

    @Test func secondRunOnUnchangedInputWritesNothingNew() async throws {
        let f = try RunnerFixture(count: 20)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let plan = try f.plan(stages: [])
        _ = try await f.run(plan, store: store)
        let first = try f.output()
        let s2 = try await f.run(plan, store: store)
        #expect(s2.ledger.received == 0)
        #expect(s2.newRecords == 0)
        #expect(try f.output() == first, "an incremental run with nothing new must not change earlier output")
    }

    @Test func aRunStoppedMidwayResumesToTheSameOutput() async throws {
        let clean = try RunnerFixture(count: 40)
        defer { clean.dir.remove() }
        _ = try await clean.run(try clean.plan(stages: [try clean.require()]), store: MemoryStateStore())
        let expected = try clean.output()

        for crashAt in ["d0", "d8", "d20", "d39"] {
            let f = try RunnerFixture(count: 40)
            defer { f.dir.remove() }
            let store = MemoryStateStore()
            await #expect(throws: CrashAtStage.Crash.self) {
                _ = try await f.run(try f.plan(stages: [try f.require(), CrashAtStage(id: crashAt)]), store: store)
            }
            // Simulate the torn tail a kill would leave after the last commit.
            let h = try FileHandle(forWritingTo: f.dir.path("out/docs.jsonl"))
            h.seekToEndOfFile()
            h.write(Data("{\"torn\": tr".utf8))
            try h.close()
            let s = try await f.run(try f.plan(stages: [try f.require(), CrashAtStage(id: nil)]), store: store)
            #expect(store.runs.map(\.status) == ["failed", "succeeded"], "a run stopped by an error is recorded as failed")
            #expect(s.resumedAfter == nil)
            #expect(try f.output() == expected, "crash at \(crashAt)")
        }
    }

    @Test func quarantineThresholdsExit65ButStillWrite() async throws {
        let f = try RunnerFixture(count: 30)
        defer { f.dir.remove() }
        var plan = try f.plan(stages: [try f.require()])
        plan.limits.maxQuarantineRatio = 0.05
        let s = try await f.run(plan, store: MemoryStateStore())
        #expect(s.exitStatus == 65)
        #expect(s.status == "degraded")
        #expect(s.ledger.written == 27)
        #expect(try f.output().split(separator: "\n").count == 27)
    }

    @Test func dryRunWritesNothing() async throws {
        let f = try RunnerFixture(count: 10)
        defer { f.dir.remove() }
        var opts = PipelineRunner.Options()
        opts.dryRun = true
        let s = try await PipelineRunner(plan: try f.plan(stages: []), options: opts) { _ in
            Issue.record("a dry run must not open the state store")
            return MemoryStateStore()
        }.run()
        #expect(s.ledger.written == 10)
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("out").path))
        #expect(!FileManager.default.fileExists(atPath: f.dir.path(".sluice").path))
    }

    @Test func secondLockOnOneFolderFailsAtOnceWith75() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            let first = try RunLock(directory: dir.url)
            do {
                _ = try RunLock(directory: dir.url)
                Issue.record("a second lock must fail")
            } catch let e as SluiceError {
                #expect(e.status == .temporaryFailure)
            }
            withExtendedLifetime(first) {}
        }
        // Released with its owner: the next run gets it.
        #expect(throws: Never.self) { _ = try RunLock(directory: dir.url) }
    }

    @Test func perRunFilesArePublishedOnlyWhenSomethingWasWritten() async throws {
        let f = try RunnerFixture(count: 5)
        defer { f.dir.remove() }
        let ctx = BuildContext(pipeline: "t", instanceName: "x", baseDirectory: f.dir.url)
        let out = try JSONLOutput(options: ComponentOptions(["path": ConfigNode(.scalar("out/r-{run}.jsonl", quoted: false))],
                                                            fields: JSONLOutput.descriptor.fields), context: ctx)
        var plan = try f.plan(stages: [])
        plan.outputs = [.init(name: "runs", type: "jsonl", component: out)]
        let store = MemoryStateStore()
        let s1 = try await f.run(plan, store: store)
        _ = try await f.run(plan, store: store)
        let files = try FileManager.default.contentsOfDirectory(atPath: f.dir.path("out").path).filter { $0.hasPrefix("r-") }
        #expect(files == ["r-\(s1.runID).jsonl"])
    }
}

/// A stateful stage that remembers every id it passed, to check commit-after-acceptance.
final class RememberingStage: StatefulStage, @unchecked Sendable {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "remember", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws {}
    init() {}
    private var pending: [String] = []
    private(set) var knownAtStart: [String] = []

    func begin(run: RunContext, state: any StageStateReader) throws {
        knownAtStart = try state.values(namespace: "remember", prefix: "").map(\.key)
    }

    func process(_ record: Record) throws -> StageOutcome {
        pending.append(record.id)
        return .pass(record)
    }

    func stateWrites(accepted: Set<String>) -> [StateWrite] {
        defer { pending = [] }
        return pending.filter(accepted.contains).map { StateWrite(namespace: "remember", key: $0, value: [1]) }
    }
}

@Suite struct StageStateTests {
    @Test func onlyRecordsTheOutputsAcceptedAreRemembered() async throws {
        let f = try RunnerFixture(count: 20)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let remember = RememberingStage()
        // The stateful stage runs before require_fields, which quarantines every tenth+3 record.
        _ = try await f.run(try f.plan(stages: [remember, try f.require()]), store: store)
        let remembered = Set(try store.values(namespace: "remember", prefix: "").map(\.key))
        #expect(remembered == Set(f.values.compactMap { $0["title"] == nil ? nil : $0["id"]?.stringValue }))
        #expect(!remembered.contains("d3"))

        // The next run sees what was committed.
        let again = RememberingStage()
        _ = try await f.run(try f.plan(stages: [again, try f.require()]), store: store)
        #expect(Set(again.knownAtStart) == remembered)
    }
}
