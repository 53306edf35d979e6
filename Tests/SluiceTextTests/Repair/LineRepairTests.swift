import SluiceCharset
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

@Suite("LineRepairer streaming")
struct LineRepairerTests {
    static func outputs(_ lines: [LineRepair.Line]) -> [String?] {
        lines.map { $0.output.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Feeds the input in the given cut sizes, cycling.
    static func streamed(_ input: [UInt8], cuts: [Int]) -> [String?] {
        let r = LineRepairer()
        var lines: [LineRepair.Line] = []
        var i = 0, k = 0
        while i < input.count {
            let n = min(cuts[k % cuts.count], input.count - i)
            lines += r.feed(Array(input[i..<(i + n)]))
            i += n
            k += 1
        }
        lines += r.finish()
        return outputs(lines)
    }

    @Test("whole, byte-wise and in odd cuts give the same lines (input larger than the detection block)")
    func cuts() throws {
        var text = ""
        var n = 0
        while text.utf8.count < 3 * CharsetDetector.sampleBytes / 2 {
            text += "Строка \(n): съешь же ещё этих мягких французских булок, да выпей чаю.\n"
            n += 1
        }
        let bytes = try #require(IconvDecoder.convert(Array(text.utf8), from: "UTF-8", to: "CP1251"))
        let whole = LineRepairerTests.outputs(LineRepair.run(bytes).lines)
        #expect(whole.count == n)
        #expect(whole.first == "Строка 0: съешь же ещё этих мягких французских булок, да выпей чаю.")
        #expect(Self.streamed(bytes, cuts: [7, 1, 4096, 13]) == whole)
        #expect(Self.streamed(bytes, cuts: [65_536]) == whole)
    }

    @Test("a legacy line after a long ASCII start is detected again, not quarantined")
    func lateLegacy() throws {
        var bytes = Array(String(repeating: "plain ascii line\n", count: 5_000).utf8)
        bytes += try #require(IconvDecoder.convert(Array("Grüße aus Köln, schöne Straße\n".utf8), from: "UTF-8", to: "CP1252"))
        let r = LineRepair.run(bytes)
        #expect(LineRepairerTests.outputs(r.lines).last == "Grüße aus Köln, schöne Straße")
        #expect(r.quarantined == 0)
    }

    @Test("UTF-16 input is split on decoded newlines")
    func utf16() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + (try #require(IconvDecoder.convert(Array("один\nдва\n".utf8), from: "UTF-8", to: "UTF-16LE")))
        #expect(Self.streamed(bytes, cuts: [3]) == ["один", "два"])
    }
}

@Suite("LineRepairer limits")
struct LineRepairerLimitTests {
    @Test("an over-long line is refused without being held, and the next lines go on")
    func longLine() {
        var o = LineRepair.Options()
        o.maxLineBytes = 1_000
        let r = LineRepairer(options: o)
        var lines = r.feed(Array("first\n".utf8))
        for _ in 0..<10 { lines += r.feed([UInt8](repeating: 0x61, count: 700)) }
        lines += r.feed(Array("tail of the long line\nlast\n".utf8))
        lines += r.finish()
        #expect(lines.map(\.number) == [1, 2, 3])
        #expect(lines[1].output == nil)
        #expect(lines[1].problem?.contains("longer than 1000 bytes") == true)
        #expect(lines.map { $0.output.map { String(decoding: $0, as: UTF8.self) } } == ["first", nil, "last"])
    }

    @Test("UTF-8 input whose first 64 KiB end inside a character is still UTF-8")
    func detectionBlockCutInsideACharacter() {
        // 20 bytes a line: byte 65,535 is the first byte of `и`, so the detection block ends
        // inside a character.
        let line = "Привет мир"
        #expect(line.utf8.count + 1 == 20)
        let text = String(repeating: line + "\n", count: 4000)
        let r = LineRepair.run(Array(text.utf8))
        #expect(r.decoded?.charset == .utf8, "read as \(r.decoded?.charset.name ?? "nothing")")
        #expect(r.lines.count == 4000)
        #expect(r.lines.allSatisfy { $0.output.map { String(decoding: $0, as: UTF8.self) } == line && $0.fixes.isEmpty })
    }
}
