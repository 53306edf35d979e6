import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

/// The quickstart's sample files (samples/) are messy on purpose; samples/README.md lists what is
/// broken where. These tests keep that list true.
@Suite struct SamplesTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func read(_ options: [String: Opt]) async throws -> Run {
        let opts = ComponentOptions(options.mapValues(\.node), fields: FileInput.descriptor.fields)
        let input = try FileInput(options: opts, context: BuildContext(pipeline: "quickstart", instanceName: "samples", baseDirectory: Self.root))
        let context = RunContext(runID: "r", pipeline: "quickstart", startedAt: Date(timeIntervalSince1970: 0), baseDirectory: Self.root,
                                 stateDirectory: Self.root.appendingPathComponent(".sluice"))
        let source = try input.open(checkpoint: nil, context: context)
        var items: [SourceItem] = []
        while let item = try await source.next() { items.append(item) }
        return Run(items: items, checkpoint: source.checkpoint)
    }

    @Test func articles() async throws {
        let run = try await read(["paths": .list(["samples/articles.jsonl", "samples/archive/*.jsonl.gz"]), "id": .s("/id")])
        #expect(run.records.count == 49)
        #expect(run.records.filter { $0.provenance.uri.hasSuffix(".gz") }.count == 20)
        #expect(run.failures.map(\.code) == [.malformed, .notAnObject, .malformed])
        #expect(run.failures.map { $0.provenance?.locator.line } == [17, 21, 25])
        #expect(run.records.filter { $0.value["body"] == nil }.map(\.id) == ["art-0100"])
        #expect(run.records.filter { $0.value["title"] == nil }.map(\.id) == ["art-0101"])
        #expect(run.records.contains { $0.id == "105" })
    }

    @Test func wire() async throws {
        let run = try await read(["paths": .s("samples/wire.jsonl"), "id": .s("/id")])
        #expect(run.failures.isEmpty)
        #expect(run.records.map(\.id) == (1...6).map { "wire-200\($0)" })
        #expect(run.records[1].string("title") == "Caf\u{C3}\u{A9} on the quay reopens after the storm")
        #expect(run.records[4].string("title")?.contains("\u{C3}\u{A2}\u{E2}\u{201A}\u{AC}\u{E2}\u{201E}\u{A2}") == true)
        #expect(run.records[3].string("title")?.contains("&amp;") == true)
    }

    @Test func productsNotesPagesAndFeed() async throws {
        let products = try await read(["paths": .s("samples/products.csv")])
        #expect(products.records.count == 13)
        #expect(products.failures.map(\.message) == ["row 7 (line 12) has 5 fields but the header has 6"])
        #expect(products.records.first { $0.string("sku") == "RC-305" }?.string("description")?.contains("\n- spudger") == true)
        #expect(products.records.first { $0.string("sku") == "MK-210" }?.string("description")?.contains("Say \"no\"") == true)

        let notes = try await read(["paths": .s("samples/notes/*.md")])
        #expect(notes.failures.isEmpty)
        #expect(notes.records.map { $0.string("title") } == ["Harbour committee — 12 March 2024", "Reading list",
                                                              "Repair café — volunteer checklist", "Reading format"])

        let pages = try await read(["paths": .s("samples/pages/*.html"), "html": .map(["content_element": .s("article")])])
        #expect(pages.failures.isEmpty)
        for page in pages.records {
            let body = try #require(page.string("body"))
            #expect(!body.contains("dataLayer") && !body.contains("Privacy") && !body.contains("Most read") && !body.contains("cookies"))
        }
        #expect(pages.records.map { $0.string("canonical_url") != nil } == [false, true, true])

        let feed = try await read(["paths": .s("samples/feed.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(feed.records.count == 10)
        #expect(feed.records.filter { $0.value["title"] == nil }.count == 1)
        #expect(feed.records.first?.value["category"] == ["harbour", "council"])
    }
}
