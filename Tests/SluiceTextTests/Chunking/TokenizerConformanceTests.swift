import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing
@testable import SluiceText

/// Token counts against the reference `tokenizers` package (Python), recorded in Fixtures/ by
/// bench/chunk/make_token_fixture.py: the MiniLM WordPiece tokenizer from ../shared, and two
/// small BPE tokenizers (byte-level; whitespace with [UNK]; SentencePiece-style Metaspace with
/// byte fallback) and a WordLevel one, trained and saved by that script.
@Suite(.enabled(if: SharedFixtures.shouldRun))
struct TokenizerConformanceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String = "minilm_token_counts") throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".json"))))
    }

    static func tokenizer(_ name: String) throws -> HFTokenizer {
        name == "minilm" ? try ChunkTestData.miniLM() : try ChunkTestData.fixtureTokenizer(name)
    }

    @Test(arguments: ["minilm", "bpe_bytelevel", "bpe_whitespace", "bpe_metaspace", "wordlevel_whitespace"])
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

    @Test(arguments: ["minilm", "bpe_bytelevel", "bpe_whitespace", "bpe_metaspace", "wordlevel_whitespace"])
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
        #expect(try Self.tokenizer("bpe_metaspace").countsAreLocal == false)
        #expect(try Self.tokenizer("minilm").modelType == "WordPiece")
        #expect(try Self.tokenizer("wordlevel_whitespace").modelType == "WordLevel")
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

/// A tokenizer.json that cannot be used is refused with a reason, never a crash.
@Suite struct TokenizerLoadingTests {
    static func load(_ json: String) throws -> HFTokenizer { try HFTokenizer(json: try JSONParser.parse(json)) }

    @Test(arguments: [
        ("[]", "JSON object"),
        ("{}", "no 'model'"),
        (#"{"model": {"type": "Unigram", "vocab": []}}"#, "not supported"),
        (#"{"model": {"type": "WordPiece", "vocab": {"a": 0}}}"#, "unknown token"),
        (#"{"model": {"type": "WordPiece", "unk_token": "a", "vocab": {"a": -1}}}"#, "no valid id"),
        (#"{"model": {"type": "WordPiece", "unk_token": "a", "vocab": {"a": 99999999999}}}"#, "no valid id"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#, "missing from the vocabulary"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}}"#, "not in the vocabulary"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["ab"]}}"#, "not two tokens"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}}"#, "dropout"),
        (#"{"normalizer": {"type": "Precompiled"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#, "normalizer 'Precompiled'"),
        (#"{"pre_tokenizer": {"type": "Split"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#, "pre-tokenizer 'Split'"),
        (#"{"added_tokens": [{"content": "x", "id": -5}], "model": {"type": "BPE", "vocab": {}, "merges": []}}"#, "no valid id"),
    ])
    func refused(_ json: String, _ reason: String) {
        do {
            _ = try Self.load(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    @Test func minimalTokenizersWork() throws {
        let wp = try Self.load(###"{"normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "WhitespaceSplit"}, "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "hel": 1, "##lo": 2, "world": 3}}}"###)
        #expect(wp.encode("Hello WORLD x") == [1, 2, 3, 0])
        let bpe = try Self.load(#"{"pre_tokenizer": {"type": "Whitespace"}, "model": {"type": "BPE", "unk_token": "?", "vocab": {"?": 0, "a": 1, "b": 2, "ab": 3, "abb": 4}, "merges": [["a", "b"], ["ab", "b"]]}}"#)
        #expect(bpe.encode("abb ab, ba") == [4, 3, 0, 2, 1])
        #expect(throws: (any Error).self) { try HFTokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json")) }
    }
}
