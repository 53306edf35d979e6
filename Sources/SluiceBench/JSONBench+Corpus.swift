import Foundation
import SluiceCore
import SluiceJSON

/// Seeded generator of article-like JSON documents: nested objects and arrays, prose with
/// non-ASCII text and escapes, integers, decimals, exponents and a few 20-digit identifiers.
struct JSONBenchCorpus {
    private var rng: SplitMix64
    private var words: [String]

    /// About `target` bytes of JSONL. `asciiOnly` draws words from the ASCII part of the
    /// vocabulary only (English-like text); otherwise a third of the words are non-ASCII.
    static func generate(bytes target: Int, seed: UInt64, asciiOnly: Bool = false) -> [UInt8] {
        let words = asciiOnly ? vocabulary.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : vocabulary
        var corpus = JSONBenchCorpus(rng: SplitMix64(seed: seed), words: words)
        var out: [UInt8] = []
        out.reserveCapacity(target + 4096)
        var index = 0
        while out.count < target {
            JSONWriter.write(corpus.article(index), into: &out)
            out.append(0x0A)
            index += 1
        }
        return out
    }

    private static let vocabulary = [
        "data", "pipeline", "record", "quality", "schema", "ingest", "stream", "batch", "the", "of", "and",
        "résumé", "naïve", "café", "Zürich", "straße", "données", "東京", "データ", "검증", "مرحبا", "привет",
        "emoji😀", "🚀", "crème", "brûlée", "validation", "chunk", "retrieval", "vector", "index", "audit",
    ]

    private mutating func sentence(_ count: Int) -> String {
        var parts: [String] = []
        for _ in 0..<count { parts.append(words[rng.below(words.count)]) }
        return parts.joined(separator: " ")
    }

    private mutating func paragraph() -> String {
        var text = ""
        for _ in 0..<(3 + rng.below(4)) { text += sentence(6 + rng.below(10)).capitalized + ". " }
        if rng.below(3) == 0 { text += "He said \"ok\"\tand left.\n" }
        return text
    }

    private mutating func number() -> JSONValue {
        switch rng.below(5) {
        case 0: return .number(JSONNumber(rng.below(1_000_000)))
        case 1: return .number(JSONNumber(uncheckedText: "\(rng.below(1000)).\(rng.below(100_000))"))
        case 2: return .number(JSONNumber(uncheckedText: "\(1 + rng.below(9)).\(rng.below(1000))e-\(rng.below(20))"))
        case 3: return .number(JSONNumber(uncheckedText: "1\(rng.below(1_000_000_000))\(rng.below(1_000_000_000))"))
        default: return .number(JSONNumber(-rng.below(5000)))
        }
    }

    mutating func article(_ index: Int) -> JSONValue {
        var sections: [JSONValue] = []
        for s in 0..<(1 + rng.below(3)) {
            sections.append([
                "heading": .string("\(s + 1). " + sentence(3)),
                "paragraphs": .array((0..<(1 + rng.below(2))).map { _ in .string(paragraph()) }),
                "level": .number(JSONNumber(1 + rng.below(3))),
            ])
        }
        let tags: [JSONValue] = (0..<(2 + rng.below(5))).map { _ in .string(words[rng.below(words.count)]) }
        return [
            "id": .string("doc-\(index)"),
            "title": .string(sentence(4 + rng.below(6))),
            "author": [
                "name": .string(sentence(2)),
                "email": .string("author\(rng.below(10_000))@example.org"),
                "affiliations": .array((0..<rng.below(3)).map { _ in .string(sentence(3)) }),
            ],
            "published": .string("2026-\(10 + rng.below(3))-\(10 + rng.below(18))T12:00:00Z"),
            "draft": .bool(rng.below(4) == 0),
            "editor": rng.below(2) == 0 ? .null : .string(sentence(2)),
            "tags": .array(tags),
            "stats": ["views": number(), "score": number(), "ratio": number(), "shares": number()],
            "summary": .string(paragraph()),
            "sections": .array(sections),
            "references": .array((0..<rng.below(4)).map { _ in
                ["url": .string("https://example.org/\(rng.below(100_000))"), "year": .number(JSONNumber(1990 + rng.below(36)))]
            }),
        ]
    }
}

extension SplitMix64 {
    /// A value in `0 ..< n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
