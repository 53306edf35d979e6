import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting
import Testing

@Suite struct LSHAndMinHashTests {
    @Test func bandsAreDatasketchsAtEqualWeights() {
        let expected: [(Double, Int, Int)] = [(0.5, 25, 5), (0.7, 14, 9), (0.8, 9, 13), (0.9, 5, 25)]
        for (t, b, r) in expected {
            #expect(LSHBands.optimal(threshold: t, permutations: 128) == LSHBands(bands: b, rows: r), "threshold \(t)")
        }
    }

    @Test func recallWeightedBandsFindMorePairsAtTheThreshold() {
        let even = LSHBands.optimal(threshold: 0.8, permutations: 128)
        let recall = LSHBands.optimal(threshold: 0.8, permutations: 128, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9)
        #expect(recall.bands * recall.rows <= 128)
        #expect(recall.candidateProbability(0.8) > 0.85)
        #expect(even.candidateProbability(0.8) < recall.candidateProbability(0.8))
    }

    @Test func estimateTracksTrueJaccard() {
        var rng = SplitMix64(seed: 7)
        let hasher = MinHasher(permutations: 256)
        var worst = 0.0
        for _ in 0..<40 {
            let a = (0..<400).map { _ in rng.next() }
            let keep = Int(rng.next() % 400)
            let b = Array(a.prefix(keep)) + (0..<(400 - keep)).map { _ in rng.next() }
            let truth = Double(keep) / Double(800 - keep)
            guard let sa = hasher.signature(a), let sb = hasher.signature(b) else { Issue.record("no signature"); return }
            worst = max(worst, abs(MinHasher.estimatedJaccard(sa, sb) - truth))
        }
        // 40 pairs at 256 permutations: the standard error is at most 0.031; five of them is far out.
        #expect(worst < 0.15)
    }

    @Test func signaturesAreDeterministicAndEmptyTextHasNone() {
        let s = Shingler(size: 5)
        let h1 = MinHasher(permutations: 128), h2 = MinHasher(permutations: 128)
        let x = s.shingleHashes("the quick brown fox jumps over the lazy dog again and again")
        #expect(h1.signature(x) == h2.signature(x))
        #expect(h1.signature(s.shingleHashes("  ... !!! ")) == nil)
        #expect(s.shingleHashes("two words").count == 1)
    }
}

@Suite struct TextTests {
    @Test func normalisationIsNFCWhitespaceAndOptionalCase() {
        let n = TextNormalizer(caseFold: false)
        #expect(n.normalize("  Cafe\u{301}\n\n  au\tlait ") == "Café au lait")
        #expect(n.normalize("a\u{00A0}\u{2003}b") == "a b")
        #expect(TextNormalizer(caseFold: true).normalize("ÉCOLE  Straße") == "école straße")
        #expect(n.normalize("") == "")
    }

    @Test func tokensAreWordsOrCharactersByScript() {
        #expect(Shingler.tokens("Hello, wörld! 42x") == ["hello", "wörld", "42x"])
        #expect(Shingler.tokens("東京都は晴れ") == ["東", "京", "都", "は", "晴", "れ"])
        #expect(Shingler.tokens("ภาษาไทย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"])
        #expect(Shingler.tokens("Sluice 处理 data") == ["sluice", "处", "理", "data"])
        // Devanagari is written with spaces: its marks stay inside words.
        #expect(Shingler.tokens("नमस्ते दुनिया").count == 2)
    }

    @Test func contentKeysIgnoreKeyOrderAndInvisibleDifferences() throws {
        let k = ContentKeyer(fields: [], normalizer: TextNormalizer())
        #expect(k.key(for: ["a": "x  y", "b": 1]) == k.key(for: ["b": 1, "a": "x y\n"]))
        #expect(k.key(for: ["a": "1"]) != k.key(for: ["a": 1]))
        let f = ContentKeyer(fields: [try JSONPointer(parsing: "/t")], normalizer: TextNormalizer())
        #expect(f.key(for: ["t": ""]) != f.key(for: [:]))
        #expect(f.key(for: ["t": "A", "other": 1]) == f.key(for: ["t": "A", "other": 2]))
    }

    @Test func versionTimestampsCompareAsInstants() throws {
        let s = try makeDedupe(["versions": ["id": "/doc", "order_by": "/at"]])
        let store = MemoryStateStore()
        let out = try StageDriver.run(s, [
            ["id": "x1", "doc": "a", "at": "2024-05-01T10:00:00+02:00"],   // 08:00Z
            ["id": "x2", "doc": "a", "at": "2024-05-01T09:00:00Z"],        // newer
            ["id": "x3", "doc": "a", "at": "2024-05-01"],                  // midnight: older
        ], store: store)
        #expect(out.passed.count == 2)
        #expect(out.dropped.values.map(\.code) == ["superseded_by"])
    }
}
