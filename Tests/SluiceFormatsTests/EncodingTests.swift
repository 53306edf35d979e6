import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct EncodingTests {
    private func utf16(_ s: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for u in s.utf16 { out += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)] }
        return out
    }

    private func utf32LE(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xFE, 0x00, 0x00]
        for u in s.unicodeScalars { out += [UInt8(u.value & 0xFF), UInt8(u.value >> 8 & 0xFF), UInt8(u.value >> 16), 0] }
        return out
    }

    @Test func everyTextFormatDecodesBOMs() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.md", bytes: utf16("---\ntitle: Ünïcode\n---\nBody 😀\n", bigEndian: true))
        try f.write("b.txt", bytes: utf32LE("Første linje\nto\n"))
        try f.write("c.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("name,city\nÅsa,Malmö\n".utf8))
        try f.write("d.html", bytes: utf16("<html><head><title>Café</title></head><body><p>Crème</p></body></html>", bigEndian: false))
        try f.write("e.xml", bytes: utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r><i>Grüße</i></r>", bigEndian: false))
        let run = try await f.read(["paths": .s("*"), "xml": .map(["record_element": .s("i")])])
        #expect(run.failures.isEmpty)
        #expect(run.records.map { $0.string("title") } == ["Ünïcode", "Første linje", nil, "Café", nil])
        #expect(run.records[0].string("body") == "Body 😀")
        #expect(run.records[2].value == ["name": "Åsa", "city": "Malmö"])
        #expect(run.records[3].string("body") == "Crème")
        #expect(run.records[4].value == ["#text": "Grüße"])
    }

    @Test func legacyEncodedDocumentsAreDetectedAndXMLFollowsItsDeclaration() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let french = "Le café de la gare ouvre à sept heures. Les élèves prennent un thé près de la fenêtre, "
            + "et le garçon apporte des crêpes. Où est la clé du vélo ? Personne ne l'a trouvée depuis l'été dernier.\n"
        // windows-1252: every character above is one byte, the accented ones in 0xC0...0xFF.
        let cp1252 = french.unicodeScalars.map { UInt8($0.value) }
        try f.write("a.txt", bytes: cp1252)
        // Bytes that read as no text in any supported encoding with confidence.
        try f.write("b.txt", bytes: [0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x00, 0xFF, 0xFE, 0x81, 0x8D])
        try f.write("c.xml", bytes: Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><i>Caf".utf8) + [0xE9] + Array("</i></r>".utf8))
        try f.write("d.xml", bytes: Array("<r><i>Caf".utf8) + [0xE9] + Array("</i></r>".utf8))
        let run = try await f.read(["paths": .s("*"), "xml": .map(["record_element": .s("i")])])
        let a = try #require(run.records.first { $0.string("path") == "a.txt" })
        #expect(a.string("body") == String(french.dropLast()))
        #expect(["windows-1252", "iso-8859-1", "iso-8859-15"].contains(a.string("source_charset") ?? ""), "\(a.value)")
        // Undecodable text is quarantined with a reason, never turned into U+FFFD.
        #expect(Set(run.failures.map(\.code)).isSubset(of: [.undecodableText, .nulByte]))
        #expect(run.failures.count == 1, "b.txt")
        // XML declares its encoding (libxml2 decodes a declared ISO-8859-1 document); the
        // undeclared Latin-1 one is detected (LegacyEncodingTests has the details).
        #expect(run.records.compactMap { $0.value["#text"] } == ["Café", "Café"])
        for r in run.records { #expect(!(JSONWriter.string(r.value)).contains("\u{FFFD}")) }
    }

    @Test func theInputsRecordLimitOverridesTheRunsLimit() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{\"a\":\"\(String(repeating: "x", count: 200))\"}\n{\"a\":1}\n")
        try f.write("b.md", "# \(String(repeating: "x", count: 200))\n")
        let run = try await f.read(["paths": .list(["a.jsonl", "b.md"]), "max_record_bytes": .s("100")])
        #expect(run.failures.map(\.code) == [.tooLarge, .tooLarge])
        #expect(run.records.map { $0.value["a"] } == [1])
    }
}
