import SluiceDedupe
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
