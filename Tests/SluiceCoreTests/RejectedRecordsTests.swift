import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A stateful stage that drops a record whose `/key` it has seen (pending in this batch or
/// committed by an earlier one), naming the first record with that key; like `dedupe` in small.
final class FirstSeenStage: StatefulStage, @unchecked Sendable {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "first_seen", summary: "test", fields: [])
    let forgets: Bool
    var reader: (any StageStateReader)?
    var pending: [(key: String, id: String)] = []
    var forgetCalls = 0
    var processCalls = 0

    init(options: ComponentOptions, context: BuildContext) throws { forgets = true }
    init(forgets: Bool = true) { self.forgets = forgets }

    func begin(run: RunContext, state: any StageStateReader) throws { reader = state }

    func process(_ record: Record) throws -> StageOutcome {
        processCalls += 1
        let key = record.value["key"]?.stringValue ?? ""
        if let p = pending.first(where: { $0.key == key }) { return .drop(record, DropReason(code: "duplicate_of", relatedID: p.id)) }
        if let c = try reader?.value(namespace: "first", key: key) {
            return .drop(record, DropReason(code: "duplicate_of", relatedID: String(decoding: c, as: UTF8.self)))
        }
        pending.append((key, record.id))
        return .pass(record)
    }

    func stateWrites(accepted: Set<String>) -> [StateWrite] {
        defer { pending = [] }
        return pending.filter { accepted.contains($0.id) }.map { StateWrite(namespace: "first", key: $0.key, value: Array($0.id.utf8)) }
    }

    func forget(rejected: Set<String>) {
        forgetCalls += 1
        if forgets { pending.removeAll { rejected.contains($0.id) } }
    }
}

/// Splits a record into `/parts` children (`<id>#<n>`), each carrying `bad` from `/bad_parts`.
struct SplitStage: StatelessStage {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "split", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws {}
    init() {}
    func process(_ record: Record) throws -> StageOutcome {
        let bad = Set(record.value["bad_parts"]?.arrayValue?.compactMap { $0.numberValue?.intValue } ?? [])
        let children = (0..<2).map { n in
            Record(id: "\(record.id)#\(n)", value: ["key": record.value["key"] ?? .null, "bad": .bool(bad.contains(n))],
                   provenance: record.provenance, parent: record.id)
        }
        return .emit(parent: record, children: children)
    }
}

/// Quarantines records with `/bad: true`.
struct RejectBadStage: StatelessStage {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "reject_bad", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws {}
    init() {}
    func process(_ record: Record) throws -> StageOutcome {
        if record.value["bad"] == .bool(true) {
            return .quarantine(RecordFailure(code: .missingField, message: "bad", recordID: record.id))
        }
        return .pass(record)
    }
}

extension RunnerFixture {
    init(values: [JSONValue]) throws {
        dir = try TemporaryDirectory()
        self.values = values
    }
}

@Suite struct RejectedRecordsTests {
    func fixture(_ values: [JSONValue]) throws -> RunnerFixture { try RunnerFixture(values: values) }

    func written(_ f: RunnerFixture) throws -> [String] {
        try f.output().split(separator: "\n").map { try JSONParser.parse(String($0))["_sluice"]?["id"]?.stringValue ?? "" }
    }

    @Test func aRecordDroppedForARejectedOneIsProcessedAgain() async throws {
        let f = try fixture([
            ["id": "a", "key": "k", "bad": true],
            ["id": "b", "key": "k"],
            ["id": "c", "key": "k"],
            ["id": "d", "key": "other"],
        ])
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let first = FirstSeenStage()
        let s = try await f.run(try f.plan(stages: [first, RejectBadStage()], batchSize: 10), store: store)
        #expect(try written(f) == ["d", "b"])
        #expect(s.balanced)
        #expect(s.ledger.written == 2 && s.ledger.quarantined == 1 && s.ledger.dropped == 1)
        #expect(s.dropReasons == ["duplicate_of": 1])
        #expect(s.stages["s0"]?.seen == 4)
        #expect(s.stages["s0"]?.passed == 3)
        #expect(s.stages["s0"]?.dropped == 1)
        #expect(first.forgetCalls == 1)
        let drops = store.events.filter { $0.event == "dropped" }
        #expect(drops.map(\.recordID) == ["c"])
        #expect(drops.first?.details?["related_id"]?.stringValue == "b")
        // Committed: b is what the key means now.
        #expect(try store.value(namespace: "first", key: "k") == Array("b".utf8))
    }

    @Test func aForkedRecordCountsAsWrittenWhenAnyChildIs() async throws {
        let f = try fixture([
            ["id": "a", "key": "k1", "bad_parts": [0, 1]],
            ["id": "b", "key": "k1"],
            ["id": "c", "key": "k2", "bad_parts": [1]],
            ["id": "d", "key": "k2"],
        ])
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let s = try await f.run(try f.plan(stages: [FirstSeenStage(), SplitStage(), RejectBadStage()], batchSize: 10), store: store)
        // a lost both children, so b is written; c kept one child, so d stays a duplicate of c.
        #expect(try written(f) == ["c#0", "b#0", "b#1"])
        #expect(s.balanced)
        #expect(s.ledger.dropped == 1)
        #expect(store.events.first { $0.event == "dropped" }?.recordID == "d")
        #expect(s.stages["s1"]?.seen == 3)
        #expect(s.stages["s0"]?.seen == 4)
    }

    @Test func aStageThatDoesNotForgetStopsTheRunInsteadOfLosingRecords() async throws {
        let f = try fixture([["id": "a", "key": "k", "bad": true], ["id": "b", "key": "k"]])
        defer { f.dir.remove() }
        await #expect(throws: SluiceError.self) {
            _ = try await f.run(try f.plan(stages: [FirstSeenStage(forgets: false), RejectBadStage()], batchSize: 10), store: MemoryStateStore())
        }
    }

    @Test func manyRejectedCopiesCostLinearWork() async throws {
        // 200 copies a later stage rejects, then one it keeps, then 50 more copies, in one batch:
        // each is processed a bounded number of times (all together, round after round, would be
        // about 20,000 calls).
        var values: [JSONValue] = (0..<200).map { i in ["id": .string("bad\(i)"), "key": "k", "bad": true] }
        values.append(["id": "good", "key": "k"])
        values += (0..<50).map { i in ["id": .string("late\(i)"), "key": "k"] }
        let f = try fixture(values)
        defer { f.dir.remove() }
        let first = FirstSeenStage()
        let s = try await f.run(try f.plan(stages: [first, RejectBadStage()], batchSize: 1000), store: MemoryStateStore())
        #expect(try written(f) == ["good"])
        #expect(s.ledger.quarantined == 200 && s.ledger.dropped == 50 && s.balanced)
        #expect(s.stages["s0"]?.seen == 251)
        #expect(first.processCalls <= 3 * 251, "\(first.processCalls) calls")
    }

    @Test func nothingIsProcessedAgainWhenNothingIsRejected() async throws {
        let f = try fixture((0..<30).map { i in ["id": .string("r\(i)"), "key": .string("k\(i % 5)")] })
        defer { f.dir.remove() }
        let first = FirstSeenStage()
        let s = try await f.run(try f.plan(stages: [first, RejectBadStage()], batchSize: 7), store: MemoryStateStore())
        #expect(try written(f) == ["r0", "r1", "r2", "r3", "r4"])
        #expect(s.ledger.dropped == 25)
        #expect(s.stages["s0"]?.seen == 30)
        #expect(first.forgetCalls == 0)
    }
}
