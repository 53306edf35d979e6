import Foundation
@testable import SluiceCharset
import SluiceCore
import SluiceJSON
import Testing

@Suite("WHATWG charsets, labels and per-file robustness")
struct WHATWGCharsetTests {
    static func encode(_ s: String, _ charset: String) throws -> [UInt8] {
        try #require(IconvDecoder.convert(Array(s.utf8), from: "UTF-8", to: charset), "iconv cannot encode as \(charset)")
    }

    @Test("WHATWG labels name the standard's encodings")
    func labels() {
        let cases: [(String, TextCharset)] = [
            ("latin1", .windows1252), ("US-ASCII", .windows1252), ("tis-620", .windows874), ("iso-8859-11", .windows874),
            ("ISO-8859-9", .windows1254), ("latin5", .windows1254), ("x-mac-ukrainian", .xMacCyrillic), ("koi8-ru", .koi8U),
            ("csiso2022kr", .iso2022KR), ("gb2312", .gbk), ("GB18030", .gb18030), ("logical", .iso8859_8I), ("visual", .iso8859_8),
            ("cp866", .ibm866), ("sun_eu_greek", .iso8859_7), ("asmo-708", .iso8859_6), ("l6", .iso8859_10), ("iso885913", .iso8859_13),
            ("mac", .macintosh), ("x-user-defined", .xUserDefined), ("windows-31j", .shiftJIS), ("csiso2022jp", .iso2022JP),
            ("unicodefffe", .utf16BE), ("x-x-big5", .big5), ("ks_c_5601-1987", .eucKR), (" \"Windows-1258\" ", .windows1258),
        ]
        for (label, charset) in cases { #expect(TextCharset(label: label) == charset, "\(label)") }
        #expect(TextCharset(label: "hz-gb-2312") == nil)
        #expect(TextCharset(label: "utf-7") == nil)
        // Every charset but ISO-8859-1 (by its exact name only: WHATWG reads `latin1` as
        // windows-1252) is reachable by a label, and decodes ASCII as itself.
        for c in TextCharset.allCases {
            #expect(TextCharset.labels.values.contains(c) || c == .iso8859_1, "\(c.name) has no label")
            if !c.isWide && c != .iso2022KR { #expect(c.decode(Array("plain text 123".utf8)) == "plain text 123", "\(c.name)") }
        }
    }

    @Test("tables of our own where glibc differs from WHATWG")
    func tables() {
        // Standard Big5 characters glibc's BIG5-HKSCS rejects, HKSCS characters, plain Big5.
        #expect(TextCharset.big5.decode([0xA2, 0xCC, 0xA2, 0xCE, 0xA1, 0xC3]) == "十卅￣")
        #expect(TextCharset.big5.decode([0xA4, 0xA4, 0xA4, 0xE5]) == "中文")
        #expect(TextCharset.big5.decode([0x88, 0x62]) == "\u{00CA}\u{0304}")
        #expect(TextCharset.big5.decode([0xA4]) == nil)
        #expect(TextCharset.big5.decode([0xA4, 0x20]) == nil)
        #expect(TextCharset.koi8U.decode([0xAE, 0xBE, 0xAD]) == "ўЎґ")
        #expect(TextCharset.xMacCyrillic.decode([0xFF, 0xA2]) == "€Ґ")
        #expect(TextCharset.xUserDefined.decode([0x41, 0x80, 0xFF]) == "A\u{F780}\u{F7FF}")
        #expect(TextCharset.windows1258.decode([0x61, 0xEC]) == "á")  // a + combining acute, composed
    }

    @Test("the legacy single-byte set and ISO-2022 are detected from a sentence or two")
    func detection() throws {
        let cases: [(String, String, TextCharset)] = [
            ("Η Αθήνα είναι η πρωτεύουσα και η μεγαλύτερη πόλη της Ελλάδας, με μακρά ιστορία.", "CP1253", .windows1253),
            ("ירושלים היא עיר הבירה של ישראל והעיר הגדולה ביותר במדינה.", "CP1255", .windows1255),
            ("القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها من حيث عدد السكان.", "CP1256", .windows1256),
            ("İstanbul, Türkiye'nin en kalabalık şehri ve ekonomik başkentidir; Boğaziçi köprüsü ünlüdür.", "CP1254", .windows1254),
            ("Vilnius yra Lietuvos sostinė ir didžiausias šalies miestas, įkurtas prie Neries upės.", "CP1257", .windows1257),
            ("กรุงเทพมหานครเป็นเมืองหลวงและนครที่มีประชากรมากที่สุดของประเทศไทย", "CP874", .windows874),
            ("Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam, thành phố lớn thứ hai cả nước.", "CP1258", .windows1258),
            ("Москва - столица России и крупнейший по численности населения город страны.", "IBM866", .ibm866),
            ("Київ - столиця України, одне з найбільших і найстаріших міст Європи.", "KOI8-U", .koi8U),
            ("東京は日本の首都であり、世界でも有数の大都市です。", "ISO-2022-JP", .iso2022JP),
            ("서울은 대한민국의 수도이며 가장 큰 도시입니다.", "ISO-2022-KR", .iso2022KR),
        ]
        for (text, iconvName, expected) in cases {
            let bytes = try Self.encode(text, iconvName)
            let r = CharsetDetector.decode(bytes, minConfidence: 0.5)
            guard case .success(let d) = r else { Issue.record("\(expected.name): \(r)"); continue }
            #expect(d.text == text, "\(expected.name) read as \(d.charset.name)")
            #expect(d.charset == expected || d.text == text, "\(expected.name) read as \(d.charset.name)")
        }
    }

    @Test("a declared WHATWG charset is honoured")
    func declared() throws {
        let greek = "Καλημέρα, κόσμε"
        let html = Array("<meta charset=\"iso-8859-7\"><p>".utf8) + (try Self.encode(greek, "ISO-8859-7"))
        guard case .success(let d) = CharsetDetector.decode(html) else { Issue.record("refused"); return }
        #expect(d.charset == .iso8859_7 && d.declarationHonoured && d.text.hasSuffix(greek))
        let viaHeader = try Self.encode("Шановні колеги", "KOI8-U")
        guard case .success(let k) = CharsetDetector.decode(viaHeader, declared: "text/plain; charset=koi8-u") else { Issue.record("refused"); return }
        #expect(k.charset == .koi8U && k.text == "Шановні колеги")
    }

    @Test("one bad byte does not switch the charset of UTF-8 or Shift_JIS bytes")
    func oneBadByte() throws {
        var utf8 = Array(String(repeating: "Grüße aus Köln, schöne Straße. ", count: 20).utf8)
        utf8.insert(0xFF, at: 200)
        guard case .success(let d) = CharsetDetector.decode(prefix: utf8, isComplete: true) else { Issue.record("refused"); return }
        #expect(d.charset == .utf8 && d.invalidSequences == 1 && d.firstInvalidOffset == 200)
        guard case .failure(let u) = CharsetDetector.decode(utf8) else { Issue.record("decoded with a bad byte"); return }
        #expect(u.bestGuess == .utf8 && u.offset == 200)
        // Declared UTF-8 with one bad byte, too few multi-byte characters to tell by themselves.
        let declared = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>caf".utf8) + [0xFF] + Array("</r>".utf8)
        guard case .success(let x) = CharsetDetector.decode(prefix: declared, isComplete: true) else { Issue.record("refused"); return }
        #expect(x.charset == .utf8 && x.declarationHonoured && x.invalidSequences == 1)

        var sjis = try Self.encode(String(repeating: "日本の電波塔、高さ三百三十三メートル。", count: 4), "SHIFT_JIS")
        sjis.insert(contentsOf: [0x81, 0x20], at: 40)
        guard case .success(let j) = CharsetDetector.decode(prefix: sjis, isComplete: true) else { Issue.record("refused"); return }
        #expect(j.charset == .shiftJIS && j.invalidSequences == 1, "\(j.charset.name)")
        guard case .failure(let ju) = CharsetDetector.decode(sjis) else { Issue.record("decoded with a bad pair"); return }
        // The offset is found by bisection over strict decodes of prefixes (which may drop up to
        // three bytes of a cut character at their end): within the bad pair's few bytes.
        #expect(ju.bestGuess == .shiftJIS && (40...43).contains(ju.offset ?? -1), "\(String(describing: ju.offset))")
    }

    @Test("no clear reading: refused with the best candidates in the quarantine details")
    func refusalNamesCandidates() throws {
        // Two bytes: many charsets read them, none clearly.
        let r = CharsetDetector.decode([0x41, 0xC4, 0xE5, 0x42], minConfidence: 0.9)
        guard case .failure(let u) = r else { Issue.record("decoded: \(r)"); return }
        #expect(!u.candidates.isEmpty && u.candidates.count <= 4)
        let details = u.recordFailure().details?.objectValue
        #expect(details?["candidates"]?.arrayValue?.isEmpty == false)
        #expect(details?["best_guess"]?.stringValue == u.bestGuess?.name)
    }

    @Test("one pass settles valid UTF-8: the scan's counts")
    func scan() {
        let s = ByteScan(Array("aé€😀\u{1B}\0".utf8) + [0xFF, 0xC3])
        #expect(s.multibyte == 3 && s.invalidUTF8 == 2 && s.firstInvalidUTF8 == 12 && s.controls == 2 && s.nul == 1 && s.escapes == 1)
        #expect(ByteScan(Array(String(repeating: "abcdefgh", count: 9).utf8)).isASCII)
    }
}
