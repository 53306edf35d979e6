import Foundation
import SluiceCharset
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

/// A file's charset decision, through the real file input: one bad byte does not switch it, the
/// charsets of the WHATWG Encoding Standard are read (declared or detected), and legacy text
/// with a stray control character is decoded (the control is `repair_encoding`'s business).
@Suite struct CharsetDecisionTests {
    private func encode(_ text: String, _ charset: String) throws -> [UInt8] {
        try #require(IconvDecoder.convert(Array(text.utf8), from: "UTF-8", to: charset), "iconv cannot encode the sample as \(charset)")
    }

    private static let germanRows = (0..<40).map { "Jürgen Müller \($0),Straße \($0),Größe \($0) — schön\n" }

    @Test func aUTF8CSVWithOneStrayFFStaysUTF8AndOnlyThatRowIsQuarantined() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var bytes = Array("name,street,note\n".utf8)
        for (i, row) in Self.germanRows.enumerated() {
            bytes += Array(row.utf8)
            if i == 20 { bytes += Array("Bad,Row".utf8) + [0xFF] + Array(",here\n".utf8) }
        }
        try f.write("de.csv", bytes: bytes)
        let run = try await f.read(["paths": .s("de.csv")])
        #expect(run.records.count == Self.germanRows.count)
        #expect(run.records.first?.value == ["name": "Jürgen Müller 0", "street": "Straße 0", "note": "Größe 0 — schön"])
        #expect(run.failures.map(\.code) == [.undecodableText])
        #expect(run.notices.isEmpty, "no legacy charset was chosen: \(run.notices.map(\.message))")
    }

    @Test func aUTF8TextFileWithOneStrayFFIsRefusedNotMisread() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let text = Self.germanRows.joined()
        var bytes = Array(text.utf8)
        bytes.insert(0xFF, at: 100)
        try f.write("de.txt", bytes: bytes)
        let run = try await f.read(["paths": .s("de.txt")])
        #expect(run.records.isEmpty)
        let failure = try #require(run.failures.first)
        #expect(failure.code == .undecodableText)
        #expect(failure.message.contains("utf-8"), "\(failure.message)")
    }

    @Test func aShiftJISCSVWithOneBadPairStaysShiftJIS() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let rows = (0..<30).map { "東京タワー\($0),日本の電波塔、高さ三百三十三メートル\n" }
        var bytes = try encode("名前,説明\n", "SHIFT_JIS")
        for (i, row) in rows.enumerated() {
            bytes += try encode(row, "SHIFT_JIS")
            // 0x81 0x20: a lead byte followed by a byte no Shift_JIS character has.
            if i == 10 { bytes += try encode("壊れた", "SHIFT_JIS") + [0x81, 0x20] + Array("x,y\n".utf8) }
        }
        try f.write("jp.csv", bytes: bytes)
        let run = try await f.read(["paths": .s("jp.csv")])
        #expect(run.records.count == rows.count)
        #expect(run.records.first?.value == ["名前": "東京タワー0", "説明": "日本の電波塔、高さ三百三十三メートル"])
        #expect(run.failures.map(\.code) == [.undecodableText])
        let decided = run.items.compactMap { if case .event(let e) = $0 { return e.reason } else { return nil } }
        #expect(decided == ["shift_jis"])
    }

    @Test func legacyTextWithAStrayControlCharacterDecodes() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let text = "Москва — столица России, крупнейший город страны.\u{07} Санкт-Петербург — северная столица на Неве.\n"
        try f.write("ru.txt", bytes: try encode(text, "CP1251"))
        let run = try await f.read(["paths": .s("ru.txt")])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        let r = try #require(run.records.first)
        #expect(r.string("source_charset") == "windows-1251")
        #expect(r.string("body")?.contains("\u{07} Санкт-Петербург") == true)
    }

    @Test func utf16WithoutBOMIsDecodedNotRefusedForNUL() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let text = "Plain English text, written as UTF-16 without a byte order mark.\nA second line of it.\n"
        try f.write("le.txt", bytes: try encode(text, "UTF-16LE"))
        try f.write("be.txt", bytes: try encode(text, "UTF-16BE"))
        let run = try await f.read(["paths": .s("*.txt")])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        #expect(Set(run.records.compactMap { $0.string("source_charset") }) == ["utf-16le", "utf-16be"])
        #expect(run.records.allSatisfy { $0.string("body")?.hasPrefix("Plain English text") == true })
    }

    @Test func whatwgCharsetsDeclaredOrDetected() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let greek = "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου."
        let hebrew = "ירושלים היא עיר הבירה של ישראל והעיר הגדולה ביותר במדינה, עם היסטוריה ארוכה מאוד."
        let japanese = "東京は日本の首都であり、世界でも有数の大都市です。"
        try f.write("el.html", bytes: Array("<html><head><meta charset=\"windows-1253\"></head><body><p>".utf8)
                    + (try encode(greek, "CP1253")) + Array("</p></body></html>".utf8))
        try f.write("he.txt", bytes: try encode(hebrew + "\n", "CP1255"))
        try f.write("ja.txt", bytes: try encode(japanese + "\n", "ISO-2022-JP"))
        let run = try await f.read(["paths": .s("*")])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.message))")
        let byPath = Dictionary(uniqueKeysWithValues: run.records.map { ($0.string("path") ?? "", $0) })
        #expect(byPath["el.html"]?.string("source_charset") == "windows-1253")
        #expect(byPath["el.html"]?.string("body")?.contains(greek) == true)
        #expect(byPath["he.txt"]?.string("source_charset") == "windows-1255")
        #expect(byPath["he.txt"]?.string("body") == hebrew)
        #expect(byPath["ja.txt"]?.string("source_charset") == "iso-2022-jp")
        #expect(byPath["ja.txt"]?.string("body") == japanese)
    }
}
