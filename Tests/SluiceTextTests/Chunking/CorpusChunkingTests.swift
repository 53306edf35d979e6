import Foundation
import SluiceTesting
import Testing
@testable import SluiceText

/// The invariants on the real texts of ../shared/corpora/text, in every strategy and unit.
@Suite(.enabled(if: SharedFixtures.shouldRun))
struct CorpusChunkingTests {
    /// romeo_and_juliet.txt is left to the tokenizer conformance test: it adds nothing here that
    /// the other novel does not.
    static let files = ["room_with_a_view.txt", "commonmark_spec.md", "github_flavored.md"]

    @Test(arguments: files)
    func invariantsHoldOnRealText(file: String) throws {
        let text = try ChunkTestData.corpus(file)
        let tokenizer = try ChunkTestData.miniLM()
        // Every unit on the markdown files; the long novels in chars and 256 tokens.
        let cases: [(ChunkSizeUnit, Int, Int)] = file.hasSuffix(".md")
            ? [(.chars, 512, 0), (.chars, 2048, 100), (.bytes, 300, 30), (.words, 80, 10), (.tokens, 256, 0), (.tokens, 64, 16)]
            : [(.chars, 512, 0), (.chars, 2048, 100), (.tokens, 256, 32)]
        for strategy in ChunkStrategy.allCases {
            for (unit, maxSize, overlap) in cases {
                for trim in [true, false] where trim || unit == .chars {
                    let options = ChunkerOptions(strategy: strategy, unit: unit, maxSize: maxSize, minSize: maxSize / 8, overlap: overlap, trim: trim)
                    let chunker = try Chunker(options: options, tokenizer: unit == .tokens ? tokenizer : nil)
                    let chunks = chunker.chunks(of: text)
                    let problems = ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: tokenizer)
                    #expect(problems.isEmpty, "\(file) \(strategy) \(unit) \(maxSize) trim \(trim): \(problems.prefix(5))")
                    #expect(chunks.count > 1)
                }
            }
        }
    }

    @Test func markdownCorpusKeepsFencedExamplesWhole() throws {
        let text = try ChunkTestData.corpus("commonmark_spec.md")
        let options = ChunkerOptions(strategy: .markdown, unit: .chars, maxSize: 1000)
        let chunks = try Chunker(options: options).chunks(of: text)
        // The spec's examples are fenced with 32 backticks; each that fits must be in one chunk.
        let fence = String(repeating: "`", count: 32)
        let parts = text.components(separatedBy: fence)
        var offset = 0
        var checked = 0
        for (k, part) in parts.enumerated() {
            let length = part.unicodeScalars.count
            if k % 2 == 1 {  // inside an example: from its opening fence to the end of its closing fence
                let start = offset - 32, end = offset + length + 32
                if end - start <= 1000 && !part.contains("\n\n\n") {
                    #expect(chunks.contains { $0.start <= start && end <= $0.end }, "example at \(start) is cut")
                    checked += 1
                }
            }
            offset += length + 32
        }
        #expect(checked > 500)
        #expect(chunks.contains { $0.headingPath == ["Blocks and inlines", "Precedence"] })
    }

    @Test func sameInputSameChunks() throws {
        let text = try ChunkTestData.corpus("github_flavored.md")
        let options = ChunkerOptions(strategy: .markdown, unit: .tokens, maxSize: 128, overlap: 16)
        let a = try Chunker(options: options, tokenizer: try ChunkTestData.miniLM()).chunks(of: text)
        let b = try Chunker(options: options, tokenizer: try HFTokenizer(contentsOf: try SharedFixtures.directory("corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json"))).chunks(of: text)
        #expect(a == b)
    }
}
