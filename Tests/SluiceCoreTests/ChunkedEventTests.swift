import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A stage that forks every record into two children and says how, as the chunk stage does.
struct SplitInTwo: StatelessStage {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "split_in_two", summary: "test", fields: [])
    init(options: ComponentOptions, context: BuildContext) throws {}
    init() {}
    func process(_ record: Record) throws -> StageOutcome {
        let children = (0..<2).map { Record(id: "\(record.id)#\($0)", value: ["n": .number(JSONNumber($0))], provenance: record.provenance, parent: record.id) }
        return .emit(parent: record, children: children, notes: [
            StageNote(.chunked, details: ["strategy": "halves", "children": 99]),
            StageNote(.other("measured"), details: ["parts": 2]),
        ])
    }
}

@Suite struct ChunkedEventTests {
    /// One `chunked` row per document (the stage's details joined to the runner's), not two.
    @Test func oneChunkedEventPerDocumentWithTheStagesDetails() async throws {
        let f = try RunnerFixture(count: 5)
        defer { f.dir.remove() }
        let store = MemoryStateStore()
        let summary = try await f.run(try f.plan(stages: [SplitInTwo()]), store: store)
        #expect(summary.balanced)
        #expect(summary.ledger.written == 10)
        let chunked = store.events.filter { $0.event == "chunked" }
        #expect(chunked.map(\.recordID) == (0..<5).map { "d\($0)" })
        #expect(chunked.allSatisfy { $0.details?["strategy"] == "halves" })
        // The runner's own count wins over what a stage claims.
        #expect(chunked.allSatisfy { $0.details?["children"] == 2 })
        #expect(chunked.first?.details?["child_ids"] == ["d0#0", "d0#1"])
        #expect(store.events.filter { $0.event == "measured" }.count == 5)
    }
}
