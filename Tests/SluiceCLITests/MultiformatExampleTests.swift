import Foundation
import SluiceJSON
import SluiceTesting
import Testing

/// The example pipelines/multiformat.yaml over samples/multiformat/, through the real binary, in a
/// copy of the project: five formats of one kind of document into one strict schema, versions
/// deduplicated across formats, documents and chunks written to two SQLite tables in one run.
@Suite struct MultiformatExampleTests {
    /// A temporary project holding the example's pipeline, schema and samples at their places.
    func project() throws -> TemporaryProject {
        let dir = try TemporaryProject()
        let root = SharedFixtures.packageRoot
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: dir.path("pipelines"), withIntermediateDirectories: true)
            try fm.createDirectory(at: dir.path("samples"), withIntermediateDirectories: true)
            for file in ["pipelines/multiformat.yaml", "pipelines/multiformat.test.yaml", "pipelines/multiformat-article.schema.json"] {
                try fm.copyItem(at: root.appendingPathComponent(file), to: dir.path(file))
            }
            try fm.copyItem(at: root.appendingPathComponent("samples/multiformat"), to: dir.path("samples/multiformat"))
        } catch {
            dir.remove()
            throw error
        }
        return dir
    }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse([UInt8](text.utf8)) }

    @Test func everyFormatIsMappedValidatedDeduplicatedAndWrittenAsDocumentsAndChunks() throws {
        let dir = try project()
        defer { dir.remove() }
        let validate = try dir.sluice(["validate", "pipelines/multiformat.yaml"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")

        let r = try dir.sluice(["run", "pipelines/multiformat.yaml", "--summary", "out/summary.json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let summary = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("out/summary.json"))))

        // Every sample record was reshaped by its format's mapping (a stage with `inputs:` sees every
        // record and changes only its input's); none failed there.
        let stages = try #require(summary["stages"])
        for (stage, n) in [("from_csv", 3), ("from_xml", 2), ("from_text", 3), ("from_markdown", 2), ("from_html", 2), ("common", 12)] {
            #expect(stages[stage]?["changed"] == .number(JSONNumber(n)), "\(stage): \(stages[stage].map { JSONWriter.string($0) } ?? "-")")
            #expect(stages[stage]?["quarantined"] == 0, "\(stage)")
        }

        // The one sample broken on purpose is the only one the schema refuses, for its missing author.
        let quarantine = try dir.text("out/multiformat-quarantine.jsonl").split(separator: "\n").map { try Self.json(String($0)) }
        #expect(quarantine.count == 1)
        #expect(quarantine.first?["code"] == "schema_violation")
        #expect(quarantine.first?["record_id"] == "samples/multiformat/notes/art-c303.txt")
        #expect(quarantine.first?["pointer"] == "/author")

        // received 12 = 11 valid + 1 quarantined; markdown's art-a102 v1 arrives after the CSV's v2: dropped.
        let ledger = try #require(summary["ledger"])
        #expect(ledger["received"] == 12)
        #expect(ledger["quarantined"] == 1)
        #expect(ledger["dropped"] == 1)
        #expect(summary["drop_reasons"]?["superseded_by"] == 1, "\(JSONWriter.string(summary))")
        #expect(ledger["forked"] == 0)
        #expect(summary["balanced"] == true)

        // The documents table holds the newest version of each article, whatever format it came in.
        let documents = try dir.sqliteRows("out/multiformat.db", table: "documents")
        var byArticle: [String: JSONValue] = [:]
        for d in documents { byArticle[d.doc["id"]?.stringValue ?? "?"] = d.doc }
        #expect(byArticle.keys.sorted() == ["art-a101", "art-a102", "art-a103", "art-b201", "art-b202", "art-c301", "art-c302", "art-d401"])
        #expect(documents.count == 8, "superseded versions are gone from the table")
        #expect(byArticle["art-a101"]?["version"] == 2 && byArticle["art-a101"]?["source"]?["input"] == "posts", "v1 (CSV) replaced by v2 (markdown)")
        #expect(byArticle["art-a102"]?["version"] == 2 && byArticle["art-a102"]?["source"]?["input"] == "exports", "v1 (markdown) lost to v2 (CSV)")
        #expect(byArticle["art-b201"]?["version"] == 2 && byArticle["art-b201"]?["source"]?["input"] == "pages", "v1 (XML) replaced by v2 (HTML)")
        for (id, doc) in byArticle {
            #expect(doc["version"]?.numberValue?.intValue != nil, "\(id): the version is a number")
            #expect(doc["reading_minutes"]?.numberValue?.intValue != nil, "\(id)")
            #expect((doc["tags"]?.arrayValue?.count ?? 0) > 0, "\(id): tags are a list")
            #expect(doc["author"]?["email"]?.stringValue?.contains("@") == true, "\(id): the author is {name, email}")
            let charset = doc["source"]?["input"] == "feed" ? "windows-1252" : "utf-8"
            #expect(doc["source"]?["charset"]?.stringValue == charset, "\(id)")
        }
        #expect(byArticle["art-c302"]?["body"]?.stringValue?.contains("\r") == false, "the CRLF note's lines end in LF")
        #expect(byArticle["art-b202"]?["author"]?["name"] == "Tomás Reyes")
        #expect(byArticle["art-b201"]?["title"] == "Café on the quay reopens after the storm")

        // The chunks table holds the chunks of exactly those documents.
        let chunks = try dir.sqliteRows("out/multiformat.db", table: "chunks")
        #expect(Set(chunks.compactMap(\.parent)) == Set(documents.map(\.id)))
        #expect(chunks.allSatisfy { $0.doc["text"]?.stringValue?.isEmpty == false })
        #expect(ledger["derived"]?.numberValue?.intValue ?? 0 >= chunks.count)

        // Nothing new on a second run.
        let again = try dir.sluice(["run", "pipelines/multiformat.yaml"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 new records"), "\(again.stdout)")
        #expect(try dir.sqliteRows("out/multiformat.db", table: "documents").map(\.id) == documents.map(\.id))
        #expect(try dir.sqliteRows("out/multiformat.db", table: "chunks").map(\.id) == chunks.map(\.id))
    }
}
