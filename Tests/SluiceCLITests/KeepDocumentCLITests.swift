import Foundation
import GRDB
import SluiceJSON
import SluiceTesting
import Testing

/// Documents and their chunks in one run: `chunk` with `keep_document`, outputs selecting by
/// `%kind`, through the real binary into real SQLite files.
@Suite struct KeepDocumentCLITests {
    static let pipeline = TemporaryProject.pipeline(
        name: "docs", stages: ["type: chunk\nfield: /body\nmax_size: 40\nkeep_document: true"],
        outputs: ["type: sqlite\nname: documents\npath: out/docs.db\ntable: documents\nwhen: '%kind == \"document\"'",
                  "type: sqlite\nname: chunks\npath: out/chunks.db\ntable: chunks\nwhen: '%kind == \"chunk\"'"],
        quarantine: "out/quarantine.jsonl")

    static let data = """
        {"id": "d1", "title": "Long", "body": "The first paragraph is here.\\n\\nThe second paragraph follows it.\\n\\nA third one ends it."}
        {"id": "d2", "title": "Short", "body": "One short text."}
        {"id": "d3", "title": "Empty", "body": "   "}
        {"id": "d4", "title": "No body"}

        """

    @Test func documentsAndChunksGoToTwoTablesInOneRunAndTheLedgerBalances() throws {
        let dir = try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": Self.data])
        defer { dir.remove() }
        let r = try dir.sluice(["run", "pipeline.yaml", "--summary", "out/summary.json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")

        let documents = try dir.sqliteRows("out/docs.db", table: "documents")
        #expect(documents.map(\.id) == ["d1", "d2", "d3"], "d4 has no body: quarantined")
        #expect(documents.allSatisfy { $0.parent == nil && $0.doc["text"] == nil && $0.doc["title"] != nil })
        let chunks = try dir.sqliteRows("out/chunks.db", table: "chunks")
        #expect(Set(chunks.compactMap(\.parent)) == ["d1", "d2"], "an empty document is kept without chunks")
        #expect(chunks.filter { $0.parent == "d1" }.count >= 3)
        #expect(chunks.allSatisfy { $0.doc["doc_id"]?.stringValue == $0.parent && $0.doc["text"] != nil })

        // received 4 + derived (chunks) = written (3 documents + chunks) + quarantined 1; nothing forked.
        let summary = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("out/summary.json"))))
        let n = chunks.count
        #expect(summary["ledger"]?["received"] == 4)
        #expect(summary["ledger"]?["derived"] == .number(JSONNumber(n)))
        #expect(summary["ledger"]?["written"] == .number(JSONNumber(3 + n)))
        #expect(summary["ledger"]?["quarantined"] == 1)
        #expect(summary["ledger"]?["forked"] == 0)
        #expect(summary["balanced"] == true)

        // The audit trail: each kept document is chunked (kept) and written, never forked away.
        let state = try DatabaseQueue(path: dir.path(".sluice/docs/state.db").path)
        let events = try state.read { db in
            try Row.fetchAll(db, sql: "SELECT event, record_id, details FROM audit_events WHERE record_id IN ('d1', 'd2', 'd3') ORDER BY seq")
                .map { (event: $0["event"] as String, id: $0["record_id"] as String, details: $0["details"] as String?) }
        }
        try state.close()
        for id in ["d1", "d2", "d3"] {
            let mine = events.filter { $0.id == id }
            #expect(mine.map(\.event) == ["received", "chunked", "written"], "\(id): \(mine.map(\.event))")
            let details = try JSONParser.parse([UInt8]((mine.first { $0.event == "chunked" }?.details ?? "{}").utf8))
            #expect(details["kept"] == true)
            #expect(details["children"] == .number(JSONNumber(chunks.filter { $0.parent == id }.count)))
        }

        // A second run finds nothing new and writes nothing.
        let again = try dir.sluice(["run", "pipeline.yaml", "--summary", "out/summary2.json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 new records"), "\(again.stdout)")
        let second = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("out/summary2.json"))))
        #expect(second["ledger"]?["written"] == 0)
        #expect(try dir.sqliteRows("out/docs.db", table: "documents").map(\.id) == documents.map(\.id))
        #expect(try dir.sqliteRows("out/chunks.db", table: "chunks").map(\.id) == chunks.map(\.id))
    }
}
