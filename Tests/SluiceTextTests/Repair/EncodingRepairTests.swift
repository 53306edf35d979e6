import SluiceCharset
@testable import SluiceText
import Testing

@Suite("EncodingRepair")
struct EncodingRepairTests {
    @Test("clean ASCII passes untouched with no fixes")
    func cleanASCII() {
        for s in ["", "hello world", "tab\tand\nnewline", String(repeating: "abcdefgh ", count: 100)] {
            let r = EncodingRepair.repair(s)
            #expect(r.text == s)
            #expect(r.fixes.isEmpty)
            #expect(r.confidence == 1)
        }
    }

    @Test("two layers of windows-1252 mojibake are undone and explained")
    func twoLayers() throws {
        let once = try #require(SingleByteCodecs.named("windows-1252")?.decode(Array("Café “quoted” – naïve".utf8)))
        let twice = try #require(SingleByteCodecs.named("windows-1252")?.decode(Array(once.utf8)))
        let r = EncodingRepair.repair(twice)
        #expect(r.text == "Café “quoted” – naïve")
        #expect(r.fixes.map(\.description) == ["mojibake: utf-8 read as windows-1252, 2 layers"])
        #expect(r.confidence == 1)
    }

    @Test("mojibake mixed with correct text is fixed only where it is")
    func partial() {
        let r = EncodingRepair.repair("Le café est fermé — CafÃ© ouvert")
        #expect(r.text == "Le café est fermé — Café ouvert")
        #expect(r.fixes.first?.kind == .mojibake)
    }

    @Test("other charsets: windows-1251, MacRoman, latin-1")
    func otherCharsets() throws {
        for name in ["windows-1251", "macroman", "latin-1", "windows-1250"] {
            let codec = try #require(SingleByteCodecs.named(name))
            for original in ["Привет, мир — это тест", "Dzień dobry, żółć", "naïve café résumé"] {
                guard let broken = codec.decode(Array(original.utf8)), broken != original else { continue }
                let r = EncodingRepair.repair(broken)
                #expect(r.text == original, "\(name): \(broken)")
            }
        }
    }

    @Test("correct text in many scripts is never changed")
    func noFalsePositives() {
        let samples = [
            "Charlotte Brontë…”", "ВІКІ is Ukrainian", "Ελληνικά κείμενα", "日本語のテキスト", "한국어 텍스트",
            "Straße, Größe, Maß", "C’est déjà l’été", "¿Qué tal? ¡Bien!", "50 °C ± 2", "© 2024 ACME™",
            "Žluťoučký kůň úpěl ďábelské ódy", "Árvíztűrő tükörfúrógép", "İstanbul’da güzel bir gün",
        ]
        for s in samples {
            let r = EncodingRepair.repair(s)
            #expect(r.text == s)
            #expect(!r.fixes.contains { $0.kind == .mojibake }, "\(s)")
        }
    }

    @Test("normalisations are each reported and each switchable")
    func normalisations() {
        let input = "a\r\nb\rc\u{2028}d\u{1}\u{7F}e\u{200B}f\u{FEFF}g &amp; &eacute; &#233; &#xE9; Cafe\u{301} “q”"
        let r = EncodingRepair.repair(input)
        #expect(r.text == "a\nb\nc\nde\u{0}fg & é é é Café “q”".replacingOccurrences(of: "\u{0}", with: ""))
        let d = Set(r.fixes.map(\.description))
        #expect(d.isSuperset(of: ["line_endings: 3", "control_chars: 2", "zero_width: 2", "html_entities: 4", "nfc"]))

        var off = EncodingRepairOptions()
        off.normalization.unicodeForm = .none
        off.normalization.removeControlChars = false
        off.normalization.normalizeLineEndings = false
        off.normalization.removeZeroWidth = false
        off.normalization.decodeHTMLEntities = false
        #expect(EncodingRepair.repair(input, options: off).text == input)

        var quotes = EncodingRepairOptions()
        quotes.normalization.straightenQuotes = true
        #expect(EncodingRepair.repair("“q” ‘s’", options: quotes).text == "\"q\" 's'")
        #expect(EncodingRepair.repair("“q”").text == "“q”", "quotes stay curly by default")
    }

    @Test("entities: markup is left alone, unknown and invalid references stay")
    func entities() {
        #expect(EncodingRepair.repair("<p>&amp;</p>").text == "<p>&amp;</p>")
        #expect(EncodingRepair.repair("a &bogus; b &#0; &#xD800; &#99999999; &amp").text == "a &bogus; b &#0; &#xD800; &#99999999; &amp")
        #expect(EncodingRepair.repair("AT&T &lt;3").text == "AT&T <3")
    }

    @Test("NFKC folds compatibility characters")
    func nfkc() {
        var o = EncodingRepairOptions()
        o.normalization.unicodeForm = .nfkc
        #expect(EncodingRepair.repair("ﬁne ²", options: o).text == "fine 2")
    }

    @Test("residual replacement characters are flagged")
    func replacementCharacters() {
        let r = EncodingRepair.repair("â€œ like this â€\u{FFFD}")
        #expect(r.text == "“ like this \u{FFFD}")
        #expect(r.hasReplacementCharacters)
    }

    @Test("pathological inputs end: long runs, deep layering")
    func pathological() throws {
        var s = "é"
        let codec = try #require(SingleByteCodecs.named("windows-1252"))
        for _ in 0..<12 { s = codec.decode(Array(s.utf8)) ?? s }
        let r = EncodingRepair.repair(s)
        #expect(r.fixes.count >= 1)
        let long = String(repeating: "Ã©", count: 5_000)
        #expect(EncodingRepair.repair(long).text == String(repeating: "é", count: 5_000))
    }
}

@Suite("EncodingRepair robustness")
struct EncodingRepairRobustnessTests {
    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
    }

    static let pool: [Unicode.Scalar] = Array("aeÃÂâ€™œ“”Ð¿Ñ€Ã©Ã¨ Ø±Ù„Ø©Ã\u{80}\u{9D}\u{FFFD}\u{1A}\u{0}&;#x41amp\r\n\t√©◊ë∫ВЂГўЕ‚ÉéṄ\u{301}\u{FEFF}\u{200B}日本한".unicodeScalars)

    @Test("random strings of mojibake-prone characters never crash, and a repaired text is stable")
    func randomStrings() {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<2_000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 40) { s.append(rng.pick(Self.pool)) }
            let text = String(s)
            let r = EncodingRepair.repair(text)
            #expect((0...1).contains(r.confidence))
            let again = EncodingRepair.repair(r.text)
            // A second pass may still find something (text that was bad and is still bad), but
            // it must never undo the first: no flip-flopping between two states.
            if again.text != r.text { #expect(EncodingRepair.repair(again.text).text != r.text) }
        }
    }

    @Test("random bytes never crash the detector or the line repair")
    func randomBytes() {
        var rng = Rng(state: 0xDEAD_BEEF_CAFE_F00D)
        for _ in 0..<300 {
            let n = Int(rng.next() % 300)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = CharsetDetector.decode(bytes)
            _ = CharsetDetector.decode(bytes, declared: "windows-1252")
            _ = LineRepair.run(bytes)
        }
    }
}
