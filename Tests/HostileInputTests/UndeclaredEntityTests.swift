import Foundation
import SluiceJSON
import Testing

/// A document with an external DTD may use entities it does not declare (XML allows it, since the
/// DTD could declare them); the DTD is never loaded, so their text is unknown. The record is
/// quarantined with the entity's name instead of being written with the text left out.
@Suite struct UndeclaredEntityTests {
    private static let prolog = "<?xml version=\"1.0\"?>\n<!DOCTYPE feed SYSTEM \"feed.dtd\">\n"

    @Test func anUndeclaredEntityInXMLQuarantinesItsRecord() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("f.xml", Self.prolog + "<feed>\n<item><n>1</n></item>\n<item><n>2 &copyright; 2026</n></item>\n<item><n>3</n></item>\n</feed>\n")
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == ["1", "3"])
        #expect(out.codes == ["forbidden_xml"])
        #expect(out.quarantinedIDs == ["data/f.xml#1"])
        let message = try #require(out.messages.first)
        #expect(message.contains("&copyright;"))
        #expect(message.contains("does not declare"))
        #expect(message.contains("element 1"))
    }

    /// The same when the parser had read past the record before it stopped at an error, so the
    /// record comes from libxml2's tree (`XMLPendingTree`) rather than from the reader.
    @Test func anUndeclaredEntityBeforeAnErrorIsQuarantinedToo() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("f.xml", Self.prolog + "<feed><item><n>1</n></item><item><n>&x;</n></item><item><n>3</x></item></feed>\n")
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == ["1"])
        #expect(out.codes == ["forbidden_xml", "malformed"])
        #expect(out.messages.first?.contains("&x;") == true)
    }

    /// Without any DTD an undeclared entity is a well-formedness error, as before.
    @Test func anUndeclaredEntityWithoutADTDIsMalformed() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("f.xml", "<feed><item><n>1</n></item><item><n>&x;</n></item></feed>\n")
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == ["1"])
        #expect(out.codes == ["malformed"])
    }

    /// HTML has no external entities: libxml2's HTML parser keeps an unknown `&name;` as the
    /// text it is, so nothing is lost.
    @Test func anUnknownEntityInHTMLStaysAsText() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.html", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
            + "<html><body><p>A &copyright; B &amp; C</p></body></html>")
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.codes == [])
        #expect(out.written.first?["body"]?.stringValue == "A &copyright; B & C")
    }
}
