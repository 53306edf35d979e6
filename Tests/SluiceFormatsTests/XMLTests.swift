import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct XMLTests {
    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Feed</title>
            <item id="1">
              <title>  First &amp; foremost </title>
              <dc:creator>Ana</dc:creator>
              <category>a</category><category>b</category>
              <link href="https://example.org/1"/>
              <description><![CDATA[<p>Hello</p>]]></description>
              <empty/>
            </item>
            <item>Just text</item>
          </channel>
        </rss>
        """

    @Test func eachRecordElementBecomesAnObject() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("feed.xml", Self.feed)
        let run = try await f.read(["paths": .s("feed.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.failures.isEmpty)
        #expect(run.ids == ["feed.xml#0", "feed.xml#1"])
        let first = try #require(run.records.first)
        #expect(first.value == [
            "@id": "1", "title": "First & foremost", "dc:creator": "Ana", "category": ["a", "b"],
            "link": ["@href": "https://example.org/1"], "description": "<p>Hello</p>", "empty": "",
        ])
        #expect(first.value.objectValue?.keys.first == "@id")
        #expect(first.provenance.locator.line == 5)
        #expect(first.provenance.locator.index == 0)
        #expect(run.records.last?.value == ["#text": "Just text"])
    }

    @Test func externalEntitiesAreRefusedNeverRead() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("secret.txt", "TOP-SECRET-CONTENT")
        let secret = f.dir.path("secret.txt").path
        try f.write("a.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [ <!ENTITY xxe SYSTEM "file://\(secret)"> ]>
            <feed><item>&xxe;</item></feed>
            """)
        try f.write("b.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE feed [ <!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd"> ]>
            <feed><item>&remote;</item></feed>
            """)
        let run = try await f.read(["paths": .s("*.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.records.isEmpty)
        #expect(run.failures.map(\.code) == [.forbiddenXML, .forbiddenXML])
        for failure in run.failures {
            let original = String(decoding: failure.original?.bytes ?? [], as: UTF8.self)
            #expect(!failure.message.contains("TOP-SECRET"))
            #expect(!original.contains("TOP-SECRET"))
        }
    }

    @Test func billionLaughsIsRefusedWithoutExpansion() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var doctype = "<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            doctype += " <!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n"
        }
        try f.write("bomb.xml", "<?xml version=\"1.0\"?>\n\(doctype)]>\n<lolz><item>&lol9;</item></lolz>")
        let run = try await f.read(["paths": .s("bomb.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.records.isEmpty)
        #expect(run.failures.map(\.code) == [.forbiddenXML])
        #expect(run.failures.first?.message.contains("<!ENTITY") == true)
    }

    /// libxml2's reader parses 512-byte chunks ahead of the records it hands out and stops at a
    /// chunk with an error, so records within about 512 bytes before the error go to quarantine with it.
    @Test func malformedXMLKeepsTheRecordsBeforeAndGivesTheLine() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let good = (1...20).map { "<item><t>\($0)</t><pad>\(String(repeating: "p", count: 80))</pad></item>\n" }.joined()
        try f.write("a.xml", "<feed>\n" + good + "<item><t>x</x></item>\n<item><t>4</t></item>\n</feed>\n")
        let run = try await f.read(["paths": .s("a.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.records.count >= 10)
        #expect(run.records.map { $0.string("t") } == (1...run.records.count).map { String($0) })
        let failure = try #require(run.failures.first)
        #expect(run.failures.count == 1)
        #expect(failure.code == .malformed)
        #expect(failure.message.contains("line 22"))
        #expect(failure.message.contains("the rest of the file, from byte"))
        #expect(failure.message.contains("how many records it holds is unknown"))
    }

    @Test func aPlainDoctypeIsAllowedAndNothingIsFetched() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let probe = try NetworkProbe()
        let url = "http://127.0.0.1:\(probe.port)"
        try f.write("a.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"\(url)/rss.dtd\">\n<!-- <!ENTITY in a comment> -->\n<rss><item><t>1</t></item></rss>")
        try f.write("b.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r [ <!ENTITY % remote SYSTEM \"\(url)/evil.dtd\"> %remote; ]>\n<r><item>x</item></r>")
        try f.write("c.xml", "<?xml version=\"1.0\"?>\n<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><item><xi:include href=\"\(url)/x.xml\"/></item></r>")
        let run = try await f.read(["paths": .s("*.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.failures.map(\.code) == [.forbiddenXML])
        #expect(run.records.map { $0.string("t") } == ["1", nil])
        #expect(!probe.connectionAttempted)
    }

    @Test func emptyNulAndDeepDocuments() async throws {
        var f = try Fixture()
        defer { f.dir.remove() }
        f.limits.maxDepth = 50
        try f.write("a.xml", "")
        try f.write("b.xml", bytes: Array("<feed><item>a".utf8) + [0] + Array("</item></feed>".utf8))
        try f.write("c.xml", "<feed><item>" + String(repeating: "<x>", count: 100) + String(repeating: "</x>", count: 100) + "</item><item><t>ok</t></item></feed>")
        let run = try await f.read(["paths": .s("*.xml"), "xml": .map(["record_element": .s("item")])])
        #expect(run.failures.map(\.code) == [.empty, .nulByte, .tooDeep])
        #expect(run.records.map { $0.string("t") } == ["ok"])
    }

    @Test func tenThousandDeepXMLIsRefusedWithoutCrashing() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.xml", "<feed><item><t>1</t></item><item>" + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000) + "</item></feed>")
        let run = try await f.read(["paths": .s("a.xml"), "xml": .map(["record_element": .s("item")])])
        // libxml2's own limit (256 levels) is lifted; max_depth (512) fires, with its reason.
        #expect(run.records.map { $0.string("t") } == ["1"])
        #expect(run.failures.map(\.code) == [.tooDeep])
        #expect(run.failures.first?.message.contains("max_depth") == true)
    }

    @Test func gzippedXMLStreams() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("feed.xml.gz", bytes: try Gzip.compress(Array(Self.feed.utf8)))
        let run = try await f.read(["paths": .s("feed.xml.gz"), "xml": .map(["record_element": .s("item")])])
        #expect(run.records.count == 2)
    }

    @Test func xmlWithoutARecordElementIsUnsupported() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("feed.xml", Self.feed)
        let run = try await f.read(["paths": .s("feed.xml")])
        #expect(run.failures.map(\.code) == [.unsupportedFormat])
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("feed.xml"), "format": .s("xml")]) }
    }
}
