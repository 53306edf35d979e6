@testable import SluiceText
import Testing

@Suite("LineRepair (sluice text repair)")
struct LineRepairTests {
    static func outputs(_ r: LineRepair.Result) -> [String?] {
        r.lines.map { $0.output.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("each line is repaired and explained; CRLF is handled")
    func lines() {
        let input = Array("CafÃ© au lait\nplain\r\nAT&amp;T\n".utf8)
        let r = LineRepair.run(input)
        #expect(Self.outputs(r) == ["Café au lait", "plain", "AT&T"])
        #expect(r.lines.map { $0.fixes.map(\.description) } == [["mojibake: utf-8 read as latin-1"], ["line_endings: 1"], ["html_entities: 1"]])
    }

    @Test("a legacy-charset file is decoded once for all lines")
    func legacyWhole() throws {
        let text = "Привет, как дела?\nСегодня хорошая погода, правда?\n"
        let bytes = try #require(IconvDecoder.convert(Array(text.utf8), from: "UTF-8", to: "CP1251"))
        let r = LineRepair.run(bytes)
        #expect(r.decoded?.charset == .windows1251)
        #expect(Self.outputs(r) == ["Привет, как дела?", "Сегодня хорошая погода, правда?"])
    }

    @Test("jsonl: JSON strings in, JSON strings out; other lines unchanged")
    func jsonl() {
        var o = LineRepair.Options()
        o.jsonl = true
        let r = LineRepair.run(Array("\"Caf\\u00c3\\u00a9\"\n\"ok\"\n42\n".utf8), options: o)
        #expect(Self.outputs(r) == ["\"Café\"", "\"ok\"", "42"])
        #expect(r.lines[2].problem != nil)
    }

    @Test("undecodable lines: quarantine by default, keep or replace on request")
    func undecodable() {
        let input: [UInt8] = Array("good line\n".utf8) + [0x62, 0x61, 0x64, 0x20, 0xFF, 0xFE, 0xFD, 0x81, 0x0A]
        let q = LineRepair.run(input)
        #expect(q.quarantined == 1)
        #expect(Self.outputs(q) == ["good line", nil])

        var keep = LineRepair.Options()
        keep.onUndecodable = .keep
        let k = LineRepair.run(input, options: keep)
        #expect(k.lines[1].output == [0x62, 0x61, 0x64, 0x20, 0xFF, 0xFE, 0xFD, 0x81])

        var replace = LineRepair.Options()
        replace.onUndecodable = .replace
        let rp = LineRepair.run(input, options: replace)
        #expect(Self.outputs(rp)[1]?.contains("\u{FFFD}") == true)
    }

    @Test("empty input and a missing final newline")
    func edges() {
        #expect(LineRepair.run([]).lines.isEmpty)
        #expect(Self.outputs(LineRepair.run(Array("a\nb".utf8))) == ["a", "b"])
    }
}
