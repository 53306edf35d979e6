import Foundation
import Sluice
import SluiceStore
import SluiceTesting
import Testing

/// `StateCheck`, the library under `sluice state check` (its failures through the binary:
/// CrashTests.stateCheckFindsABrokenIndex).
@Suite struct StateCheckTests {
    @Test func aFreshStateDBPassesEveryCheck() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try StateDatabase(path: dir.path("state.db").path)
        let items = try StateCheck.run(db)
        #expect(items.map(\.summary) == ["sqlite integrity_check", "run ledgers balance (0 runs)", "checkpoints are valid JSON (0)"])
        #expect(items.allSatisfy { $0.ok && $0.problems.isEmpty })
    }
}
