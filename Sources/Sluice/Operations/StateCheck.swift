public import SluiceStore
import SluiceDedupe

/// What `sluice state check` verifies in a state DB, as data: SQLite's integrity check, balanced run
/// ledgers, checkpoints that are JSON, consistent dedupe indexes. Nothing is written.
public enum StateCheck {
    public struct Item: Sendable, Equatable {
        public var ok: Bool
        /// One line: what was checked and, when it failed, how.
        public var summary: String
        /// Each problem found, one per line.
        public var problems: [String] = []
    }

    public static func run(_ db: StateDatabase) throws -> [Item] {
        var items: [Item] = []
        let integrity = try db.integrityCheck()
        items.append(Item(ok: integrity == ["ok"],
                          summary: "sqlite integrity_check" + (integrity == ["ok"] ? "" : ": " + integrity.prefix(10).joined(separator: "; "))))
        let runs = try db.runStats(limit: Int.max)
        let unbalanced = runs.filter { !$0.ledger.isBalanced }
        items.append(Item(ok: unbalanced.isEmpty,
                          summary: "run ledgers balance (\(runs.count) runs)" + unbalanced.prefix(5).map { "; run \($0.id) does not" }.joined()))
        let checkpoints = try? db.checkpoints()
        items.append(Item(ok: checkpoints != nil, summary: "checkpoints are valid JSON (\(checkpoints?.count ?? 0))"))
        for (ns, _) in try db.stageNamespaces() where DedupeIndexCheck.isDedupeNamespace(ns) {
            let problems = try DedupeIndexCheck.problems(namespace: ns, reader: db)
            let docs = try db.stageKeyCounts(namespace: ns)["d"] ?? 0
            items.append(Item(ok: problems.isEmpty, summary: "dedupe index \(ns) is consistent (\(docs) documents)", problems: problems))
        }
        return items
    }
}
