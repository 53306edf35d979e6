import Foundation
import SluiceCore
import SluiceJSON
import Testing

/// `--dry-run` previews what the next `run` would do: it reads the state (files already read,
/// the dedupe index) and writes nothing.
@Suite struct DryRunTests {
    @Test func dryRunPreviewsTheNextRunFromTheState() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        let dedupe = ["- type: dedupe", "  key: [/t]"]
        try p.write("a.jsonl", "{\"t\":\"one\"}\n{\"t\":\"two\"}\n")
        let first = try await p.run(stages: dedupe)
        #expect(first.written.count == 2)
        let stateDB = p.dir.path(".sluice/hostile/state.db")
        let stateBefore = try Data(contentsOf: stateDB)

        try p.write("b.jsonl", "{\"t\":\"two\"}\n{\"t\":\"three\"}\n")
        let preview = try await p.run(stages: dedupe, dryRun: true)
        // a.jsonl is skipped as read before; of b.jsonl, "two" is a duplicate of the first run's.
        #expect(preview.summary.ledger.received == 2)
        #expect(preview.summary.ledger.written == 1)
        #expect(preview.summary.ledger.dropped == 1)
        #expect(preview.summary.inputs["docs"]?.notices["skipped_unchanged"] == 1)
        #expect(preview.written.count == 2, "a dry run writes no output")
        #expect(try Data(contentsOf: stateDB) == stateBefore, "a dry run writes no state")

        let real = try await p.run(stages: dedupe)
        #expect(real.summary.ledger.written == preview.summary.ledger.written)
        #expect(real.summary.ledger.dropped == preview.summary.ledger.dropped)
        #expect(real.written.count == 3)
    }

    @Test func dryRunWithoutStateIsAFirstRun() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.jsonl", "{\"t\":\"one\"}\n")
        let preview = try await p.run(dryRun: true)
        #expect(preview.summary.ledger.written == 1)
        #expect(!FileManager.default.fileExists(atPath: p.dir.path(".sluice/hostile/state.db").path))
        #expect(preview.written.isEmpty)
    }
}
