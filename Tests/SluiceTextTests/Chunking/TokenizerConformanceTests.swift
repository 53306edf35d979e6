import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing
@testable import SluiceText

/// Token counts against the reference `tokenizers` package (Python), recorded in Fixtures/ by
/// bench/chunk/make_token_fixture.py: the MiniLM WordPiece tokenizer from ../shared, and two
/// small BPE tokenizers (byte-level; whitespace with [UNK]) trained and saved by that script.
@Suite(.enabled(if: SharedFixtures.shouldRun))
struct TokenizerConformanceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String = "minilm_token_counts") throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".json"))))
    }

    static func tokenizer(_ name: String) throws -> HFTokenizer {
        name == "minilm" ? try ChunkTestData.miniLM() : try ChunkTestData.fixtureTokenizer(name)
    }

    @Test(arguments: ["minilm", "bpe_bytelevel", "bpe_whitespace"])
    func everyCorpusParagraphHasTheReferenceCountAndIds(_ name: String) throws {
        let tokenizer = try Self.tokenizer(name)
        let files = try #require(try Self.fixture(name == "minilm" ? "minilm_token_counts" : name + "_counts")["files"]?.arrayValue)
        #expect(files.count == 4)
        for file in files {
            let corpus = try #require(file["file"]?.stringValue)
            let expected = try #require(file["paragraph_counts"]?.arrayValue).compactMap { $0.numberValue?.intValue }
            let text = try ChunkTestData.corpus(corpus)
            let paragraphs = text.components(separatedBy: "\n\n")
            try #require(paragraphs.count == expected.count, "\(corpus): paragraph split differs")
            var digestInput = ""
            var mismatches: [String] = []
            for (k, para) in paragraphs.enumerated() {
                let ids = tokenizer.encode(para)
                if ids.count != expected[k] { mismatches.append("paragraph \(k): \(ids.count) != \(expected[k])") }
                if k < 50 && tokenizer.count(para) != ids.count { mismatches.append("paragraph \(k): count differs from encode") }
                digestInput += ids.map(String.init).joined(separator: ",") + ";"
            }
            #expect(mismatches.isEmpty, "\(name) \(corpus): \(mismatches.prefix(5))")
            #expect(ContentHash.sha256Hex(digestInput) == file["paragraph_ids_sha256"]?.stringValue, "\(name) \(corpus): token ids differ")
            if name == "minilm" || file["file"]?.stringValue == "github_flavored.md" {
                #expect(tokenizer.count(text) == file["whole_count"]?.numberValue?.intValue, "\(name): whole-file count")
            }
        }
    }

    @Test(arguments: ["minilm", "bpe_bytelevel", "bpe_whitespace"])
    func trickyStringsHaveTheReferenceIds(_ name: String) throws {
        let tokenizer = try Self.tokenizer(name)
        let strings = try #require(try Self.fixture(name == "minilm" ? "minilm_token_counts" : name + "_counts")["strings"]?.arrayValue)
        for item in strings {
            let text = try #require(item["text"]?.stringValue)
            let ids = try #require(item["ids"]?.arrayValue).compactMap { $0.numberValue?.intValue }
            #expect(tokenizer.encode(text) == ids, "\(name): \(text.prefix(80).debugDescription)")
        }
    }

    @Test func bpeFixturesAreTheKindsTheyClaim() throws {
        #expect(try Self.tokenizer("bpe_bytelevel").modelType == "BPE")
        #expect(try Self.tokenizer("bpe_bytelevel").countsAreLocal == false)
        #expect(try Self.tokenizer("bpe_whitespace").countsAreLocal == true)
        #expect(try Self.tokenizer("minilm").modelType == "WordPiece")
    }

    /// The chunker counts spans from one pass over the text; each chunk counted on its own must agree.
    @Test func spanCountsEqualDirectCounts() throws {
        let tokenizer = try ChunkTestData.miniLM()
        let text = try ChunkTestData.corpus("github_flavored.md")
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { mp in
            let p = UnsafeBufferPointer(mp)
            let measure = TokenMeasure(p, tokenizer: tokenizer)
            var rng = SplitMix64(seed: 7)
            var checked = 0
            while checked < 300 {
                var a = Int(rng.next() % UInt64(p.count)), b = Int(rng.next() % UInt64(p.count + 1))
                if a > b { swap(&a, &b) }
                while a > 0 && UTF8Facts.isContinuation(p[a]) { a -= 1 }
                while b < p.count && UTF8Facts.isContinuation(p[b]) { b += 1 }
                let direct = tokenizer.count(String(decoding: UnsafeBufferPointer(rebasing: p[a..<b]), as: UTF8.self))
                #expect(measure.size(a, b) == direct, "span \(a)..<\(b)")
                checked += 1
            }
        }
    }
}
