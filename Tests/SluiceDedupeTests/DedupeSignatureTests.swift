import Foundation
import SluiceCore
import SluiceDedupe
import SluiceTesting
import Testing

/// Signatures are stored in the state DB and compared across runs and versions, so the way they
/// are computed must never change silently: this pins them for a mix of scripts and spellings.
@Suite struct DedupeSignatureTests {
    static let texts = [
        "The Quick, brown FOX\tjumps over the lazy dog; again and AGAIN -- 42 times (at least) in 2026!\nNew line here.",
        "Straße ÉCOLE naïve café Cafe\u{301} déjà vu über alles, Ça va? Größe und Maße.",
        "今天北京的天气很好我们一起去公园散步 and then English words follow ภาษาไทยไม่มีช่องว่าง カタカナとひらがな",
        "a",
        String(repeating: "lorem ipsum dolor sit amet consectetur ", count: 40),
    ]

    @Test func signaturesAndShingleHashesAreStable() {
        // The value the first release computed (MinHash 128 permutations over normalised 5-word
        // shingles, and raw 3-word shingle hashes), folded with FNV-1a.
        var fold: UInt64 = 0xCBF2_9CE4_8422_2325
        let n = TextNormalizer(), s = Shingler(size: 5), h = MinHasher(permutations: 128)
        for t in Self.texts {
            for x in h.signature(s.shingleHashes(n.normalize(t))) ?? [] { fold = (fold ^ UInt64(x)) &* 0x100_0000_01B3 }
            for x in Shingler(size: 3).shingleHashes(t) { fold = (fold ^ x) &* 0x100_0000_01B3 }
        }
        #expect(fold == 8_094_713_745_489_961_138)
    }

    @Test func asciiAndGeneralPathsAgree() {
        // The ASCII fast paths must give what the general path gives for the same words.
        let s = Shingler(size: 2)
        #expect(s.shingleHashes("Hello, World  42x") == s.shingleHashes("hello world 42x"))
        let mixed = s.shingleHashes("hello world 42x é")
        #expect(Array(mixed.prefix(2)) == s.shingleHashes("hello world 42x"))
        let n = TextNormalizer(caseFold: true)
        #expect(n.normalize(" \tA  b\r\nC ") == "a b c")
        #expect(n.normalize(" \tA  b\r\nC é") == "a b c é")
        #expect(TextNormalizer().normalize("clean text") == "clean text")
        #expect(TextNormalizer().normalize("  ") == "")
        #expect(TextNormalizer().normalize("Keep Case\u{0B}x") == "Keep Case x")
    }

    @Test func oddPermutationCountsUseEveryPermutation() {
        let x = Shingler(size: 3).shingleHashes(String(repeating: "alpha beta gamma delta ", count: 5) + "omega")
        for p in [16, 17, 18, 19, 130] {
            let sig = MinHasher(permutations: p).signature(x)
            #expect(sig?.count == p)
            #expect(Set(sig ?? []).count > p / 2)
        }
    }
}

@Suite struct DedupeTextPropertyTests {
    @Test func whitespaceIsUnicodesWhiteSpace() {
        // TextNormalizer's own list against the property, scalar by scalar: "a<ws>b" collapses
        // to "a b" exactly when the scalar is White_Space.
        let n = TextNormalizer()
        var mismatches: [UInt32] = []
        for v in UInt32(0x80)...0x3100 {
            guard let u = Unicode.Scalar(v), u.properties.generalCategory != .nonspacingMark,
                  u.properties.generalCategory != .enclosingMark, u.properties.generalCategory != .spacingMark else { continue }
            let collapsed = n.normalize("a\(Character(u))b") == "a b"
            if collapsed != u.properties.isWhitespace { mismatches.append(v) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.map { String($0, radix: 16) })")
    }
}

@Suite struct DedupeLowercaseTests {
    @Test func shinglesLowercaseAsStringLowercasedDoes() {
        // Tokenising lowercases scalar by scalar from a table; that must equal lowercasing the
        // whole string first (final sigma, dotted capital I, ß, Cherokee, Deseret, title case).
        let s = Shingler(size: 2)
        for text in ["ΟΔΟΣ ΚΑΙ ΣΟΦΟΣ Σ", "İSTANBUL İzmir DİYARBAKIR", "STRASSE Straße ẞ", "ᏣᎳᎩ ꮳꮃꭹ Ꮳ",
                     "𐐀𐐁𐐂 𐐨𐐩 word", "ǅemal ǄEMAL ǆ", "ÀÉÎÕÜ àéîõü Ǻ", "Ωmega ΩΜΕΓΑ Ω", "今天 ĀBC"] {
            #expect(s.shingleHashes(text) == s.shingleHashes(text.lowercased()), "\(text)")
            #expect(Shingler(size: 1).shingleHashes(text).count == Shingler.tokens(text).count, "\(text)")
        }
    }
}

@Suite struct DedupeNFCShortcutTests {
    static let ranges: [ClosedRange<UInt32>] = [0...0x2FF, 0x0400...0x0482, 0x048A...0x052F, 0x1E00...0x1EFF, 0x2010...0x2027,
                                                0x3001...0x3003, 0x300C...0x300F, 0x3041...0x3096, 0x30A1...0x30FA,
                                                0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E]

    @Test func theScalarsSkippedAreNFCStartersThatNeverCompose() {
        // What may be skipped: combining class 0, NFC of itself, and not the second scalar of
        // any canonical decomposition (so it cannot compose with what precedes it).
        var seconds = Set<UInt32>()
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let d = Array(String(u).decomposedStringWithCanonicalMapping.unicodeScalars)
            for x in d.dropFirst() { seconds.insert(x.value) }
        }
        var bad: [String] = []
        for r in Self.ranges {
            for v in r {
                guard let u = Unicode.Scalar(v) else { continue }
                let alone = String(u)
                if u.properties.canonicalCombiningClass != .notReordered || alone.precomposedStringWithCanonicalMapping != alone
                    || seconds.contains(v) { bad.append(String(v, radix: 16)) }
            }
        }
        #expect(bad.isEmpty, "\(bad.prefix(20))")
    }

    @Test func normalisedTextIsNFCEitherWay() {
        var rng = SplitMix64(seed: 3)
        let pool: [UInt32] = [0x41, 0x65, 0xE9, 0x301, 0x20, 0x439, 0x1EA1, 0x304B, 0x3099, 0x4E2D, 0xAC00, 0x11A8, 0xFF21, 0x2014, 0x3002]
        let n = TextNormalizer()
        for _ in 0..<300 {
            let text = String(String.UnicodeScalarView((0..<12).compactMap { _ in Unicode.Scalar(pool[Int(rng.next() % UInt64(pool.count))]) }))
            let out = n.normalize(text)
            #expect(out == out.precomposedStringWithCanonicalMapping, "\(Array(text.unicodeScalars.map(\.value)))")
            #expect(Array(out.unicodeScalars) == Array(n.normalize(text.precomposedStringWithCanonicalMapping).unicodeScalars))
        }
    }
}
