import Foundation
import SluiceCore
import SluiceTesting
@testable import SluiceText

enum ChunkTestData {
    static let words = ["the", "a", "Mr.", "U.S.", "chunk", "retrieval", "naïve", "café", "Straße", "don’t",
                        "3.14", "e.g.", "Hello", "World", "x", "supercalifragilistic", "日本語", "中文", "🙂",
                        "👩‍👩‍👧", "🇺🇸", "e\u{301}", "Σίσυφος", "(aside)", "“quoted”", "etc.", "end", "ok"]
    static let separators = [" ", " ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", "  ", "\t", "\r\n", "\u{00A0}", "; ", " — "]

    /// A random text of roughly `length` words, with sentences, lines, paragraphs and markup.
    static func text(_ rng: inout SplitMix64, length: Int) -> String {
        var s = ""
        for k in 0..<length {
            s += words.randomElement(using: &rng) ?? "x"
            if k + 1 < length { s += separators.randomElement(using: &rng) ?? " " }
        }
        return s
    }

    static let markdownBlocks = [
        "# Title\n\n", "## Section\n\n", "### Sub section ###\n\n", "Setext\n======\n\n", "Other\n-----\n\n",
        "Some paragraph text that goes on. It has sentences! And more of them?\n\n",
        "```swift\nlet x = 1\n\nlet y = 2\n```\n\n", "~~~\ncode # not a heading\n~~~\n\n",
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n| three | four |\n\n",
        "- item one\n- item two\n  continued\n- item three\n\n", "1. first\n2. second\n\n   indented para\n\n",
        "> quote line\n> more\n\n", "---\n\n", "Text with `code` and [link](http://x.y).\n",
    ]

    static func markdown(_ rng: inout SplitMix64, blocks: Int) -> String {
        var s = rng.next() % 3 == 0 ? "---\ntitle: T\ntags: [a, b]\n---\n\n" : ""
        for _ in 0..<blocks {
            if rng.next() % 4 == 0 { s += text(&rng, length: 5 + Int(rng.next() % 40)) + "\n\n" }
            else { s += markdownBlocks.randomElement(using: &rng) ?? "" }
        }
        return s
    }

    static func corpus(_ name: String) throws -> String {
        let url = try SharedFixtures.directory("corpora/text/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Loaded once for all tests (parsing the 466 KB file is slow in debug builds).
    static func miniLM() throws -> HFTokenizer { try loadedMiniLM.get() }

    /// A tokenizer saved in Fixtures/ by bench/chunk/make_token_fixture.py.
    static func fixtureTokenizer(_ name: String) throws -> HFTokenizer {
        try HFTokenizer(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name).json"))
    }

    private static let loadedMiniLM = Result<HFTokenizer, any Error> {
        try HFTokenizer(contentsOf: try SharedFixtures.directory("corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json"))
    }
}

/// Independent checks of a chunking result against the `Chunker` guarantees; returns problems.
enum ChunkInvariants {
    static func problems(_ chunks: [TextChunk], source: String, options: ChunkerOptions, tokenizer: HFTokenizer?) -> [String] {
        var out: [String] = []
        let scalars = Array(source.unicodeScalars)
        let utf8 = Array(source.utf8)
        // Character (grapheme) boundaries of the source, as scalar offsets.
        var graphemeStarts = Set<Int>()
        var offset = 0
        for ch in source { graphemeStarts.insert(offset); offset += ch.unicodeScalars.count }
        graphemeStarts.insert(offset)

        var covered = 0  // scalars of the source rebuilt so far
        for (k, c) in chunks.enumerated() {
            if c.index != k { out.append("chunk \(k) has index \(c.index)") }
            guard c.start >= 0, c.end <= scalars.count, c.start <= c.end else { out.append("chunk \(k) offsets out of range"); continue }
            let span = String(String.UnicodeScalarView(scalars[c.start..<c.end]))
            if span != c.text { out.append("chunk \(k): source[start..<end] differs from text") }
            if String(decoding: utf8[c.byteStart..<c.byteEnd], as: UTF8.self) != c.text { out.append("chunk \(k): byte span differs") }
            let size = measure(c.text, options.unit, tokenizer)
            if size != c.size { out.append("chunk \(k): size \(c.size) but counted \(size)") }
            if size > options.maxSize { out.append("chunk \(k): size \(size) > max \(options.maxSize)") }
            if c.text.isEmpty { out.append("chunk \(k) is empty") }
            if options.unit == .chars || options.unit == .words {
                if !graphemeStarts.contains(c.start) || !graphemeStarts.contains(c.end) { out.append("chunk \(k) cuts a grapheme cluster") }
            }
            // Rebuild: the part of this chunk after what earlier chunks covered; what lies
            // between chunks must be whitespace when trimming, nothing otherwise.
            if c.start > covered {
                let gap = scalars[covered..<c.start]
                if !options.trim || !gap.allSatisfy({ $0.properties.isWhitespace }) { out.append("gap before chunk \(k) is not whitespace-only") }
            }
            if c.end <= covered && k > 0 { out.append("chunk \(k) adds nothing new") }
            if options.overlap == 0 && c.start < covered { out.append("chunk \(k) overlaps without overlap option") }
            covered = max(covered, c.end)
        }
        if covered < scalars.count {
            let tail = scalars[covered...]
            if !options.trim || !tail.allSatisfy({ $0.properties.isWhitespace }) { out.append("the chunks do not reach the end") }
        }
        return out
    }

    static func measure(_ text: String, _ unit: ChunkSizeUnit, _ tokenizer: HFTokenizer?) -> Int {
        switch unit {
        case .chars: return text.count
        case .bytes: return text.utf8.count
        case .words: return text.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }).count
        case .tokens: return tokenizer?.count(text) ?? -1
        }
    }
}
