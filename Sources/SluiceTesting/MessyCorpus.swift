import Foundation
import SluiceCore
import SluiceJSON

/// The end-to-end messy corpus with ground truth (bench/corpus/README.md): a seeded generator of
/// records in all seven formats (and gzip) with exact and near duplicates, superseded versions,
/// schema violations, malformed lines, hostile nesting, mojibake, entities, controls, CRLF and lone
/// CR line endings and files in legacy charsets, and `truth.jsonl`: each source record's expected
/// fate and, when it is written, its expected clean title and body.
///
/// Every record carries its id, `article_id` (what versions are versions of) and `updated_at` in
/// fields each format can hold (JSON members, CSV columns, XML children, text header lines,
/// markdown front matter, HTML `<meta>`), so `pipelines/messy-reference.yaml` needs no mapping.
/// Reading order is known: inputs in `Format.allCases` order, files in name order, so every copy
/// is read after its original and the truth can name the survivor.
public struct MessyCorpus: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case jsonl, json, csv, xml, text, markdown, html
        var ext: String { switch self { case .text: "txt"; case .markdown: "md"; default: rawValue } }
        /// Records per file.
        var perFile: Int { switch self { case .jsonl: 40; case .json: 15; case .csv: 20; case .xml: 15; default: 1 } }
        var rank: Int { Format.allCases.firstIndex(of: self)! }
    }

    /// What should become of a source record.
    public enum Fate: Sendable, Equatable {
        case written
        /// Quarantined with this reason code (`schema_violation`, `malformed`, `too_deep`).
        case quarantined(String)
        /// Dropped as `duplicate_of`, `near_duplicate_of` or `superseded_by` the record `related`.
        case dropped(String, related: String)
    }

    /// One source record as generated.
    struct Source {
        var id: String
        var article: String
        var updatedAt: String
        var lang: String
        var title: String
        var paragraphs: [[String]]
        var format: Format
        var kinds: [String] = []
        var fate: Fate = .written
        /// The body as the file holds it (corrupted), and the clean body the pipeline should write.
        var sourceBody = ""
        var cleanBody = ""
        /// Legacy charset of a one-record file (iconv name).
        var charset: String?
        /// A field written wrong on purpose (schema violations).
        var override: (field: String, value: String)?
        /// `malformed` or `too_deep`: how the line or row is broken.
        var hostile: String?
        // Where it ends up.
        var file = ""
        var index = 0
        var line: Int?
    }

    public let seed: UInt64
    public let documents: Int

    /// `documents` base documents; copies, versions and broken records come on top (about 1.3
    /// source records per document). Nothing is generated before `write(to:)`, which streams.
    public init(seed: UInt64, documents: Int) {
        self.seed = seed
        self.documents = documents
    }

    /// The source records, one base document (and what derives from it) at a time, so a corpus of
    /// any size is generated in bounded memory.
    struct Generator {
        let documents: Int
        var rng: SplitMix64
        var n = 0
        var i = 0

        init(seed: UInt64, documents: Int) {
            self.documents = documents
            rng = SplitMix64(seed: seed)
        }

        /// The next base document's records (the base first, then its copies or versions and any
        /// broken records), with their clean bodies; nil after the last document.
        mutating func next() -> [Source]? {
            guard i < documents else { return nil }
            defer { i += 1 }
            return MessyCorpus.document(i, rng: &rng, n: &n)
        }
    }

    /// Base document `i` and what derives from it; `n` counts the record ids given out.
    static func document(_ i: Int, rng: inout SplitMix64, n: inout Int) -> [Source] {
        var made: [Source] = []
        func nextID() -> String { n += 1; return "r" + String(n).leftPad(7) }
        let formatWeights: [(Format, Int)] = [(.jsonl, 30), (.json, 10), (.csv, 14), (.xml, 10), (.text, 12), (.markdown, 12), (.html, 12)]
        func format(atLeast rank: Int) -> Format {
            let allowed = formatWeights.filter { $0.0.rank >= rank }
            var r = Int(rng.next() % UInt64(allowed.reduce(0) { $0 + $1.1 }))
            for (f, w) in allowed { if r < w { return f }; r -= w }
            return allowed.last!.0
        }
        func date(day: Int, hour: Int) -> String {
            MessyCorpus.timestamp(day: day, hour: hour)
        }
        func newSource(article: String, lang: String, format: Format, day: Int) -> Source {
            let p = MessyCorpus.paragraphs(lang: lang, rng: &rng)
            return Source(id: nextID(), article: article, updatedAt: date(day: day, hour: MessyCorpus.between(0, 23, &rng)),
                          lang: lang, title: MessyCorpus.title(lang: lang, rng: &rng), paragraphs: p, format: format)
        }
        let lang = MessyCorpus.chance(0.3, &rng) ? "en" : MessyCorpus.pick(Array(MessyCorpus.languages.dropFirst()), &rng)
        let day = MessyCorpus.between(40, 330, &rng)
        var base = newSource(article: "a\(i)", lang: lang, format: format(atLeast: 0), day: day)
        let roll = Double(rng.next() >> 11) / Double(UInt64(1) << 53)
        var derived: [Source] = []
        if roll < 0.05 {                                  // an exact copy, spaced differently
            var copy = base
            copy.id = nextID(); copy.article = "a\(i)c"; copy.format = format(atLeast: base.format.rank)
            if !MessyCorpus.spaceless(lang) { copy.paragraphs[0][0] += " " }
            copy.kinds = ["exact_copy"]
            copy.fate = .dropped("duplicate_of", related: base.id)
            derived.append(copy)
        } else if roll < 0.13 {                           // one or two near copies
            for k in 0..<MessyCorpus.between(1, 2, &rng) {
                var copy = base
                copy.id = nextID(); copy.article = "a\(i)n\(k)"; copy.format = format(atLeast: base.format.rank)
                copy.paragraphs = MessyCorpus.nearCopy(base.paragraphs, lang: lang, minJaccard: 0.9, rng: &rng)
                copy.kinds = ["near_copy"]
                copy.fate = .dropped("near_duplicate_of", related: base.id)
                derived.append(copy)
            }
        } else if roll < 0.16, let close = MessyCorpus.variant(base.paragraphs, lang: lang, jaccard: 0.82...0.89, rng: &rng) {
            var copy = base                               // a near copy close to the threshold
            copy.id = nextID(); copy.article = "a\(i)k"; copy.format = format(atLeast: base.format.rank)
            copy.paragraphs = close
            copy.kinds = ["near_copy_close"]
            copy.fate = .dropped("near_duplicate_of", related: base.id)
            derived.append(copy)
        } else if roll < 0.19, let far = MessyCorpus.variant(base.paragraphs, lang: lang, jaccard: 0.4...0.6, rng: &rng) {
            var copy = base                               // related but no duplicate: both are written
            copy.id = nextID(); copy.article = "a\(i)f"; copy.format = format(atLeast: base.format.rank)
            copy.paragraphs = far
            copy.kinds = ["far_copy"]
            derived.append(copy)
        } else if roll < 0.25 {                           // one or two older versions, in any format
            for k in 0..<MessyCorpus.between(1, 2, &rng) {
                var old = newSource(article: base.article, lang: lang, format: format(atLeast: 0), day: day - 1 - k * 10 - MessyCorpus.between(0, 9, &rng))
                old.title = base.title
                old.kinds = ["old_version"]
                old.fate = .dropped("superseded_by", related: base.id)
                derived.append(old)
            }
        } else {
            MessyCorpus.corruptSoftly(&base, rng: &rng)
        }
        made.append(base)
        made += derived
        if MessyCorpus.chance(0.03, &rng) {               // a schema violation
            var bad = newSource(article: "a\(i)s", lang: lang, format: format(atLeast: 0), day: day)
            bad.override = MessyCorpus.chance(0.5, &rng) ? ("lang", "xx") : ("updated_at", "sometime last week")
            bad.kinds = ["schema_" + bad.override!.field]
            bad.fate = .quarantined("schema_violation")
            made.append(bad)
        }
        if MessyCorpus.chance(0.02, &rng) {               // a malformed JSON line or CSV row
            var bad = newSource(article: "a\(i)m", lang: lang, format: MessyCorpus.chance(0.6, &rng) ? .jsonl : .csv, day: day)
            bad.hostile = "malformed"
            bad.kinds = ["malformed"]
            bad.fate = .quarantined("malformed")
            made.append(bad)
        }
        if MessyCorpus.chance(0.005, &rng) {              // nesting deeper than the limit
            var bad = newSource(article: "a\(i)d", lang: lang, format: .jsonl, day: day)
            bad.hostile = "too_deep"
            bad.kinds = ["too_deep"]
            bad.fate = .quarantined("too_deep")
            made.append(bad)
        }
        for k in made.indices {
            made[k].cleanBody = MessyCorpus.join(made[k].paragraphs, lang: made[k].lang)
            if made[k].sourceBody.isEmpty { made[k].sourceBody = made[k].cleanBody }
        }
        return made
    }

    /// Soft corruptions the pipeline must undo: the record is written with its clean text.
    static func corruptSoftly(_ s: inout Source, rng: inout SplitMix64) {
        let clean = join(s.paragraphs, lang: s.lang)
        let r = Double(rng.next() >> 11) / Double(UInt64(1) << 53)
        let inJSONOrText: Set<Format> = [.jsonl, .json, .csv, .text, .markdown]
        if s.lang != "en" && r < 0.08 {
            s.kinds = ["mojibake1"]; s.sourceBody = mojibake(clean)
        } else if s.lang != "en" && r < 0.11 {
            s.kinds = ["mojibake2"]; s.sourceBody = mojibake(mojibake(clean))
        } else if r < 0.17 && inJSONOrText.contains(s.format) {
            // `&` as `&amp;`, one letter as a named or numeric reference; some with a `<` that is not markup.
            var clean = s.paragraphs, source = s.paragraphs
            let at = min(2, clean[0].count)
            clean[0].insert("&", at: at); source[0].insert("&amp;", at: at)
            let j = Int(rng.next() % UInt64(source[1].count))
            let word = source[1][j]
            if let ch = word.unicodeScalars.first(where: { !$0.isASCII && $0 != "。" }) ?? word.unicodeScalars.first {
                let e = entity(for: ch, hex: chance(0.5, &rng))
                source[1][j] = String(word.unicodeScalars.prefix { $0 != ch }) + e + String(word.unicodeScalars.drop { $0 != ch }.dropFirst())
            }
            s.kinds = ["entities"]
            if chance(0.33, &rng) {
                let link = "<https://example.org/\(s.id)>"
                clean[0].append(link); source[0].append(link)
                s.kinds.append("lt_not_markup")
            }
            s.paragraphs = clean
            s.sourceBody = join(source, lang: s.lang)
        } else if r < 0.21 && inJSONOrText.contains(s.format) {
            var source = s.paragraphs
            let j = Int(rng.next() % UInt64(source[0].count))
            source[0][j] = pick(["\u{07}", "\u{1B}", "\u{01}", "\u{7F}"], &rng) + source[0][j]
            s.kinds = ["controls"]; s.sourceBody = join(source, lang: s.lang)
        } else if (s.lang == "de" || s.lang == "el") && r < 0.25 {
            s.kinds = ["nfd"]; s.sourceBody = clean.decomposedStringWithCanonicalMapping
        } else if r < 0.28 {
            var source = s.paragraphs
            let j = Int(rng.next() % UInt64(source[0].count))
            if source[0][j].count > 1 {
                source[0][j].insert("\u{200B}", at: source[0][j].index(after: source[0][j].startIndex))
            } else {
                source[0][j] = "\u{200B}" + source[0][j]
            }
            s.kinds = ["zero_width"]; s.sourceBody = join(source, lang: s.lang)
        } else if s.lang != "en" && r < 0.31 {
            var source = s.paragraphs.map { $0.joined(separator: spaceless(s.lang) ? "" : " ") }
            source[0] = mojibake(source[0])
            s.kinds = ["mojibake_partial"]; s.sourceBody = source.joined(separator: "\n\n")
        } else if s.lang != "en" && r < 0.51 && [.text, .markdown, .html].contains(s.format) {
            s.charset = pick(legacyCharsets[s.lang]!, &rng)
            // WHATWG maps the label iso-2022-kr to `replacement`: a page cannot declare it.
            if s.format == .html && s.charset == "ISO-2022-KR" { s.charset = "EUC-KR" }
            s.kinds = ["legacy:" + s.charset!.lowercased()]
        }
    }

    /// `2026-MM-DDTHH:00:00Z` for day `day` (0-based) of 2026.
    static func timestamp(day: Int, hour: Int) -> String {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var d = max(0, min(day, 364)), month = 0
        while d >= lengths[month] { d -= lengths[month]; month += 1 }
        return "2026-\(String(month + 1).leftPad(2))-\(String(d + 1).leftPad(2))T\(String(hour).leftPad(2)):00:00Z"
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
