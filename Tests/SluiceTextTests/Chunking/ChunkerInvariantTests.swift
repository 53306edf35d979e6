import Foundation
import SluiceCore
import SluiceTesting
import Testing
@testable import SluiceText

@Suite struct ChunkerInvariantTests {
    static let strategies = ChunkStrategy.allCases
    static let simpleUnits: [ChunkSizeUnit] = [.chars, .bytes, .words]

    @Test(arguments: strategies)
    func randomTextsKeepEveryInvariant(strategy: ChunkStrategy) throws {
        var rng = SplitMix64(seed: 0x5EED_0000 + UInt64(ChunkStrategy.allCases.firstIndex(of: strategy) ?? 0))
        for round in 0..<150 {
            let text = strategy == .markdown && round % 2 == 0
                ? ChunkTestData.markdown(&rng, blocks: 1 + Int(rng.next() % 12))
                : ChunkTestData.text(&rng, length: Int(rng.next() % 300))
            let unit = Self.simpleUnits[Int(rng.next() % 3)]
            let least = ChunkerOptions.minimumMaxSize(for: unit)
            let maxSize = least + Int(rng.next() % (unit == .words ? 30 : 200))
            let overlap = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(maxSize)) : 0
            let minSize = rng.next() % 4 == 0 ? Int(rng.next() % UInt64(maxSize + 1)) : 0
            let options = ChunkerOptions(strategy: strategy, unit: unit, maxSize: maxSize, minSize: minSize,
                                         overlap: overlap, trim: rng.next() % 2 == 0)
            let chunker = try Chunker(options: options)
            let chunks = chunker.chunks(of: text)
            let problems = ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: nil)
            #expect(problems.isEmpty, "round \(round) \(options): \(problems.prefix(5))")
            #expect(chunker.chunks(of: text) == chunks, "not deterministic in round \(round)")
            if !problems.isEmpty { return }
        }
    }

    /// Token sizes: WordPiece (counted from one pass) and both BPE fixtures (byte-level counts
    /// depend on context, so every cut is counted on its own).
    @Test(arguments: ["bpe_bytelevel", "bpe_whitespace", "bpe_metaspace", "wordlevel_whitespace"])
    func randomTextsInTokens(_ name: String) throws {
        let tokenizer = try ChunkTestData.fixtureTokenizer(name)
        var rng = SplitMix64(seed: UInt64(name.utf8.count))
        for round in 0..<40 {
            let strategy = ChunkStrategy.allCases[round % 3]
            let text = strategy == .markdown ? ChunkTestData.markdown(&rng, blocks: 1 + Int(rng.next() % 10))
                                             : ChunkTestData.text(&rng, length: Int(rng.next() % 200))
            let maxSize = ChunkerOptions.minimumMaxSize(for: .tokens) + Int(rng.next() % 60)
            let options = ChunkerOptions(strategy: strategy, unit: .tokens, maxSize: maxSize,
                                         overlap: rng.next() % 2 == 0 ? Int(rng.next() % UInt64(maxSize)) : 0, trim: rng.next() % 3 != 0)
            let chunks = try Chunker(options: options, tokenizer: tokenizer).chunks(of: text)
            let problems = ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: tokenizer)
            #expect(problems.isEmpty, "\(name) round \(round) \(options): \(problems.prefix(5))")
            if !problems.isEmpty { return }
        }
    }

    @Test(.enabled(if: SharedFixtures.shouldRun))
    func randomTextsInWordPieceTokens() throws {
        let tokenizer = try ChunkTestData.miniLM()
        var rng = SplitMix64(seed: 13)
        for round in 0..<40 {
            let strategy = ChunkStrategy.allCases[round % 3]
            let text = strategy == .markdown ? ChunkTestData.markdown(&rng, blocks: 1 + Int(rng.next() % 10))
                                             : ChunkTestData.text(&rng, length: Int(rng.next() % 200))
            let maxSize = ChunkerOptions.minimumMaxSize(for: .tokens) + Int(rng.next() % 60)
            let options = ChunkerOptions(strategy: strategy, unit: .tokens, maxSize: maxSize, minSize: Int(rng.next() % 4),
                                         overlap: rng.next() % 2 == 0 ? Int(rng.next() % UInt64(maxSize)) : 0, trim: rng.next() % 3 != 0)
            let chunks = try Chunker(options: options, tokenizer: tokenizer).chunks(of: text)
            let problems = ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: tokenizer)
            #expect(problems.isEmpty, "round \(round) \(options): \(problems.prefix(5))")
            if !problems.isEmpty { return }
        }
    }

    /// Hostile shapes finish, in bounded time, and keep the invariants.
    @Test func pathologicalTexts() throws {
        let texts = [
            String(repeating: "x", count: 4_000),
            String(repeating: " ", count: 4_000) + "end",
            String(repeating: "\n", count: 200),
            "a" + String(repeating: "\u{301}", count: 600) + " b",
            String(repeating: "👩‍👩‍👧", count: 400),
            String(repeating: "🇺", count: 601),
            String(repeating: ". ", count: 200) + "a",
            String(repeating: "x. 1", count: 600),
            String(repeating: "```\n", count: 200),
            String(repeating: "| a |\n|---|\n", count: 200),
            String(repeating: "- ", count: 200),
            String(repeating: "#", count: 2_000),
            "\r\n\r\n\r" + String(repeating: "\r", count: 600),
        ]
        let bpe = try ChunkTestData.fixtureTokenizer("bpe_bytelevel")
        for (k, text) in texts.enumerated() {
            for strategy in ChunkStrategy.allCases {
                for (unit, maxSize) in [(ChunkSizeUnit.chars, 100), (.bytes, 7), (.words, 3), (.tokens, 50)] {
                    let options = ChunkerOptions(strategy: strategy, unit: unit, maxSize: maxSize, overlap: maxSize / 3)
                    let chunks = try Chunker(options: options, tokenizer: bpe).chunks(of: text)
                    let problems = ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: bpe)
                    #expect(problems.isEmpty, "text \(k) \(strategy) \(unit): \(problems.prefix(3))")
                }
            }
        }
    }

    @Test func hugeLimitsDoNotOverflow() throws {
        for unit in [ChunkSizeUnit.chars, .bytes, .words] {
            let chunks = try Chunker(options: ChunkerOptions(unit: unit, maxSize: Int.max, minSize: Int.max - 1, overlap: Int.max - 1))
                .chunks(of: "some text\n\nmore")
            #expect(chunks.map(\.text) == ["some text\n\nmore"])
        }
    }

    @Test func emptyAndWhitespaceTexts() throws {
        let trimming = try Chunker(options: ChunkerOptions(maxSize: 10))
        #expect(trimming.chunks(of: "").isEmpty)
        #expect(trimming.chunks(of: " \n\n\t ").isEmpty)
        let keeping = try Chunker(options: ChunkerOptions(maxSize: 10, trim: false))
        #expect(keeping.chunks(of: " \n ").map(\.text) == [" \n "])
    }

    @Test func largestUnitThatFitsWins() throws {
        let text = "First paragraph.\n\nSecond one, a little longer. It has two sentences.\n\nThird and last."
        // The second paragraph does not fit: the first goes alone, the second is cut at its
        // sentence boundary, and the rest fits whole.
        let chunker = try Chunker(options: ChunkerOptions(maxSize: 40))
        #expect(chunker.chunks(of: text).map(\.text) == [
            "First paragraph.", "Second one, a little longer.", "It has two sentences.\n\nThird and last.",
        ])
        // Two paragraphs fit: the cut is at the paragraph break, not at a later sentence.
        let wide = try Chunker(options: ChunkerOptions(maxSize: 80))
        #expect(wide.chunks(of: text).map(\.text) == [
            "First paragraph.\n\nSecond one, a little longer. It has two sentences.", "Third and last.",
        ])
    }

    @Test func longWordFallsBackToGraphemeClusters() throws {
        let text = "a👩‍👩‍👧b👩‍👩‍👧c"
        let chunks = try Chunker(options: ChunkerOptions(maxSize: 2)).chunks(of: text)
        #expect(chunks.map(\.text) == ["a👩‍👩‍👧", "b👩‍👩‍👧", "c"])
        // A cluster larger than the byte limit is cut between scalars, never over the limit.
        let bytes = try Chunker(options: ChunkerOptions(unit: .bytes, maxSize: 5)).chunks(of: "👩‍👩‍👧")
        #expect(bytes.allSatisfy { $0.text.utf8.count <= 5 })
        #expect(bytes.map(\.text).joined() == "👩‍👩‍👧")
    }

    @Test func overlapRepeatsWholeWords() throws {
        let text = "one two three four five six seven eight nine ten"
        let chunks = try Chunker(options: ChunkerOptions(unit: .words, maxSize: 4, overlap: 1)).chunks(of: text)
        #expect(chunks.map(\.text) == ["one two three four", "four five six seven", "seven eight nine ten"])
    }

    @Test func minSizeMergesTinyTails() throws {
        let text = "alpha beta gamma delta.\n\nx"
        let plain = try Chunker(options: ChunkerOptions(maxSize: 25)).chunks(of: text)
        #expect(plain.map(\.text) == ["alpha beta gamma delta.", "x"])
        let merged = try Chunker(options: ChunkerOptions(maxSize: 26, minSize: 3)).chunks(of: text)
        #expect(merged.map(\.text) == ["alpha beta gamma delta.\n\nx"])
    }

    @Test func optionProblemsAreReported() {
        #expect(throws: ChunkerOptionsError.self) { try Chunker(options: ChunkerOptions(unit: .bytes, maxSize: 3)) }
        #expect(throws: ChunkerOptionsError.self) { try Chunker(options: ChunkerOptions(maxSize: 10, overlap: 10)) }
        #expect(throws: ChunkerOptionsError.self) { try Chunker(options: ChunkerOptions(maxSize: 10, minSize: 11)) }
        #expect(throws: ChunkerOptionsError.self) { try Chunker(options: ChunkerOptions(unit: .tokens, maxSize: 10)) }
        #expect(ChunkerOptions(maxSize: 0, minSize: -1, overlap: -1).problems(hasTokenizer: false).count == 3)
    }
}
