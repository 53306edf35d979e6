import Foundation
import SluiceTesting
@testable import SluiceCharset
import Testing

@Suite("CharsetDetector")
struct CharsetDetectorTests {
    static func encode(_ s: String, _ charset: String) throws -> [UInt8] {
        try #require(IconvDecoder.convert(Array(s.utf8), from: "UTF-8", to: charset))
    }

    static var samplesURL: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("bench/repair/charset-samples.tsv")
    }

    @Test("byte order marks decide, and are stripped")
    func boms() throws {
        let cases: [([UInt8], TextCharset)] = [
            ([0xEF, 0xBB, 0xBF] + Array("héllo".utf8), .utf8),
            ([0xFF, 0xFE] + (try Self.encode("héllo", "UTF-16LE")), .utf16LE),
            ([0xFE, 0xFF] + (try Self.encode("héllo", "UTF-16BE")), .utf16BE),
            ([0xFF, 0xFE, 0, 0] + (try Self.encode("héllo", "UTF-32LE")), .utf32LE),
            ([0, 0, 0xFE, 0xFF] + (try Self.encode("héllo", "UTF-32BE")), .utf32BE),
        ]
        for (bytes, charset) in cases {
            let d = try CharsetDetector.decode(bytes).get()
            #expect(d.charset == charset)
            #expect(d.text == "héllo")
            #expect(d.hadBOM)
            #expect(d.confidence == 1)
        }
    }

    @Test("ASCII and UTF-8 are recognised with high confidence")
    func utf8() throws {
        #expect(try CharsetDetector.decode(Array("plain".utf8)).get().charset == .utf8)
        let d = try CharsetDetector.decode(Array("Größe, Maß und Übermut".utf8)).get()
        #expect(d.charset == .utf8)
        #expect(d.confidence >= 0.95)
    }

    @Test("UTF-16 without BOM")
    func utf16NoBOM() throws {
        let d = try CharsetDetector.decode(try Self.encode("Hello, wörld! This is UTF-16.", "UTF-16LE")).get()
        #expect(d.charset == .utf16LE)
        #expect(d.text == "Hello, wörld! This is UTF-16.")
    }

    @Test("legacy charsets are detected from short real sentences")
    func legacy() throws {
        let cases: [(String, String, TextCharset)] = [
            ("Привет, как дела? Сегодня хорошая погода.", "CP1251", .windows1251),
            ("Привет, как дела? Сегодня хорошая погода.", "KOI8-R", .koi8R),
            ("Zażółć gęślą jaźń, powiedział wczoraj minister.", "CP1250", .windows1250),
            ("今日はとても良い天気ですね。散歩に行きましょう。", "SHIFT_JIS", .shiftJIS),
            ("今日はとても良い天気ですね。散歩に行きましょう。", "EUC-JP", .eucJP),
            ("今天天气很好，我们一起去公园散步吧。", "GB18030", .gb18030),
            ("今天天氣很好，我們一起去公園散步吧。", "BIG5", .big5),
            ("오늘은 날씨가 정말 좋네요. 같이 산책하러 갈까요?", "EUC-KR", .eucKR),
        ]
        for (text, iconvName, expected) in cases {
            let d = try CharsetDetector.decode(try Self.encode(text, iconvName)).get()
            #expect(d.charset == expected, "\(iconvName)")
            #expect(d.text == text, "\(iconvName)")
        }
        let fr = try CharsetDetector.decode(try Self.encode("Le garçon a mangé une crème brûlée à côté.", "CP1252")).get()
        #expect(fr.text == "Le garçon a mangé une crème brûlée à côté.")
    }

    @Test("a declared charset is honoured when the bytes agree, overridden when they do not")
    func declared() throws {
        let latin = try Self.encode("Café crème", "ISO-8859-1")
        // WHATWG: the label iso-8859-1 names windows-1252 (the same text where Latin-1 has no C1 controls).
        let d = try CharsetDetector.decode(latin, declared: "text/plain; charset=ISO-8859-1").get()
        #expect(d.charset == .windows1252 && d.text == "Café crème")
        #expect(d.declarationHonoured)

        // UTF-8 served as Latin-1: the common mislabel.
        let u = try CharsetDetector.decode(Array("Café crème brûlée".utf8), declared: "latin1").get()
        #expect(u.charset == .utf8)
        #expect(!u.declarationHonoured)
        #expect(!u.notes.isEmpty)

        // Declared UTF-8 but the bytes are windows-1251.
        let ru = try CharsetDetector.decode(try Self.encode("Привет, как дела? Сегодня хорошая погода.", "CP1251"), declared: "utf-8").get()
        #expect(ru.charset == .windows1251)
        #expect(!ru.declarationHonoured)

        let unknown = try CharsetDetector.decode(Array("abc".utf8), declared: "x-klingon").get()
        #expect(unknown.notes.contains { $0.contains("x-klingon") })
    }

    @Test("in-document declarations: XML and HTML meta")
    func sniffing() throws {
        var xml = Array("<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>".utf8)
        xml += try Self.encode("Привет", "CP1251") + Array("</a>".utf8)
        let d = try CharsetDetector.decode(xml).get()
        #expect(d.charset == .windows1251)
        #expect(d.declarationHonoured)
        #expect(CharsetDeclaration.sniff(Array("<html><head><META http-equiv=\"Content-Type\" content=\"text/html; charset=euc-jp\">".utf8)) == "euc-jp")
        #expect(CharsetDeclaration.sniff(Array("<meta charset='ISO-8859-2'>".utf8)) == "iso-8859-2")
    }

    @Test("undecodable bytes are an error with an offset, and bad input never crashes")
    func undecodable() {
        // 0x81 is undefined in every single-byte candidate except those that treat it as C1;
        // a lone lead byte at the end is invalid in every multi-byte one.
        let r = CharsetDetector.decode([0x41, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF], minConfidence: 0.5)
        if case .success(let d) = r { #expect(d.confidence >= 0.5) }
        for bytes in [[UInt8](), [0xFF], [0xFE], [0x00], [0xC3], Array(repeating: 0xFF, count: 10_000)] {
            _ = CharsetDetector.decode(bytes)
            _ = CharsetDetector.decode(bytes, declared: "utf-16")
            _ = CharsetDetector.decode(bytes, declared: "shift_jis")
        }
        if case .failure(let e) = CharsetDetector.decode([0xEF, 0xBB, 0xBF, 0x41, 0xFF]) {
            #expect(e.offset == 4)
        } else {
            Issue.record("a UTF-8 BOM followed by invalid UTF-8 must fail")
        }
    }

    @Test("labelled evaluation set: accuracy per charset")
    func evaluation() throws {
        let tsv = try String(contentsOf: Self.samplesURL, encoding: .utf8)
        var samples = CharsetEvaluation.build(fromTSV: tsv)
        if SharedFixtures.isAvailable {
            let corpus = try String(contentsOf: try SharedFixtures.directory("corpora/text/room_with_a_view.txt"), encoding: .utf8)
            samples += CharsetEvaluation.build(fromCorpus: corpus, limit: 40)
        }
        #expect(samples.count > 300)
        let tallies = CharsetEvaluation.evaluate(samples) { s, d in
            print("  miss: \(s.language) \(s.charset.name) \(s.unit) -> \(d.map { "\($0.charset.name) \($0.confidence)" } ?? "undecodable"): \(s.text.prefix(50))")
        }
        var exact = 0, equiv = 0, total = 0
        var lines: [String] = []
        for (key, t) in tallies.sorted(by: { $0.key < $1.key }) {
            lines.append("\(key): exact \(t.exact)/\(t.total), same text \(t.equivalent)/\(t.total)")
            exact += t.exact; equiv += t.equivalent; total += t.total
        }
        print("charset detection (labelled set, \(total) samples):\n  " + lines.joined(separator: "\n  "))
        print("  overall: exact \(exact)/\(total), same text \(equiv)/\(total)")
        #expect(Double(equiv) >= 0.9 * Double(total))
    }
}

@Suite("CharsetDetector records")
struct CharsetDetectorRecordTests {
    @Test("an undecodable input becomes an undecodable_text quarantine with its bytes and offset")
    func failure() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0x41, 0xFF]
        guard case .failure(let e) = CharsetDetector.decode(bytes) else { Issue.record("expected failure"); return }
        let f = e.recordFailure(recordID: "doc-1", original: bytes)
        #expect(f.code == .undecodableText)
        #expect(f.original?.bytes == bytes)
        #expect(f.details?["offset"] == 4)
    }

    @Test("a decode describes itself for the audit")
    func details() throws {
        let d = try CharsetDetector.decode(Array("Café".utf8), declared: "latin1").get()
        #expect(d.json["charset"] == "utf-8")
        #expect(d.json["declaration_honoured"] == false)
        #expect(d.json["notes"]?.arrayValue?.isEmpty == false)
    }
}

@Suite("CharsetDetector UTF-16 labels")
struct CharsetDetectorUTF16LabelTests {
    @Test("a bare utf-16 label without BOM: the byte order comes from the bytes")
    func bareLabel() throws {
        let be = try #require(IconvDecoder.convert(Array("Grüße, мир!".utf8), from: "UTF-8", to: "UTF-16BE"))
        let d = try CharsetDetector.decode(be, declared: "UTF-16").get()
        #expect(d.charset == .utf16BE)
        #expect(d.text == "Grüße, мир!")
    }

    @Test("valid UTF-8 with a stray control character is UTF-8, not UTF-16 (found through the CLI)")
    func strayControlIsNotUTF16() throws {
        for text in ["ok\nCafÃƒÂ© twice\nzero\u{200B}width and bell\u{07}\ne\u{301}\n", "colour \u{1B}[0m reset\n"] {
            let bytes = Array(text.utf8)
            #expect(bytes.count % 2 == 0, "odd lengths are never UTF-16")
            guard case .success(let d) = CharsetDetector.decode(bytes, minConfidence: 0.75) else { Issue.record("\(text.debugDescription)"); continue }
            #expect(d.charset == .utf8, "\(text.debugDescription) read as \(d.charset.name)")
            #expect(d.text == text)
            #expect(CharsetDetector.detect(bytes)?.charset == .utf8)
        }
        // Real UTF-16 without a byte order mark is still recognised.
        let wide = Array("Grüße aus Köln, und noch ein Satz.\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(CharsetDetector.detect(wide)?.charset == .utf16LE)
    }

    @Test("a weak wide reading does not win below min_confidence: the bytes are refused instead")
    func weakWideReadingIsRefused() {
        let junk: [UInt8] = Array("fine\nlost \u{FFFD} here\n".utf8) + [0x81, 0x01, 0x8D, 0x02, 0xFF, 0x03, 0x9D] + Array("\nlast\n".utf8)
        if case .success(let d) = CharsetDetector.decode(junk, minConfidence: 0.75) {
            #expect(!d.charset.isWide, "read as \(d.charset.name) with confidence \(d.confidence)")
            #expect(d.confidence >= 0.75)
        }
    }
}
