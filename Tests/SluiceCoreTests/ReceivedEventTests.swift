import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

@Suite struct ReceivedEventTests {
    /// `received` events hold the raw bytes' hash and never the record, unless the pipeline opts in.
    @Test func recordContentOnlyWhenOptedIn() async throws {
        let f = try RunnerFixture(count: 4)
        defer { f.dir.remove() }
        var plan = try f.plan(stages: [])
        let plain = MemoryStateStore()
        _ = try await f.run(plan, store: plain)
        let received = plain.events.filter { $0.event == "received" }
        #expect(received.count == 4)
        #expect(received.allSatisfy { $0.details?["sha256"]?.stringValue?.count == 64 && $0.details?["content"] == nil })

        try FileManager.default.removeItem(at: f.dir.path(".sluice"))
        try FileManager.default.removeItem(at: f.dir.path("out"))
        plan.audit.recordContent = true
        let opted = MemoryStateStore()
        _ = try await f.run(plan, store: opted)
        let withContent = opted.events.filter { $0.event == "received" }
        #expect(withContent.map { $0.details?["content"] } == f.values.map { Optional($0) })
    }

    @Test func largeRecordsAreNamedNotCopied() {
        let big = JSONValue.object(JSONObject([("text", .string(String(repeating: "x", count: AuditPlan.maxContentBytes)))]))
        let r = Record(id: "big", value: big, provenance: Provenance(input: "i", uri: "u", locator: Locator(), sha256: "00"))
        let small = Record(id: "s", value: ["a": 1], provenance: r.provenance)
        let opted = AuditEvent.received(r, content: true)
        #expect(opted.details?["content"] == nil)
        #expect(opted.details?["content_omitted"] == .string("larger than 65536 bytes"))
        #expect(AuditEvent.received(small, content: true).details?["content"] == ["a": 1])
    }
}
