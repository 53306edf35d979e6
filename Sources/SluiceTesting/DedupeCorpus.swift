import Foundation
public import SluiceCore
public import SluiceJSON

/// A labelled corpus for deduplication accuracy: unique documents, exact copies (with
/// whitespace, line-break and Unicode-normalisation differences), near-duplicates at a spread of
/// similarities, and several versions of some documents in shuffled order. English-like,
/// Chinese and Thai text, so shingling without spaces is exercised.
public struct DedupeCorpus: Sendable {
    public enum Label: Sendable, Hashable {
        case original
        /// An exact copy (after normalisation) of the record with this id.
        case exactCopy(of: String)
        /// A near-duplicate derived from the record with this id.
        case nearCopy(of: String)
        /// A version of document `document`; the newest is `newest`.
        case version(document: String, newest: Bool)
    }

    /// Records in arrival order: `id`, `lang`, `body`, and for versions `doc_id` and `updated_at`.
    public private(set) var records: [JSONValue] = []
    public private(set) var labels: [String: Label] = [:]
    /// The body of each record, by id.
    public private(set) var bodies: [String: String] = [:]

    /// `documents` originals; about a tenth get an exact copy, a quarter one to three near
    /// copies, and `versioned` more documents come in two to four versions.
    public init(documents: Int, versioned: Int, seed: UInt64, wordsPerDocument: Int = 330) {
        var rng = SplitMix64(seed: seed)
        var items: [(JSONValue, String, Label)] = []
        var n = 0
        func nextID() -> String { n += 1; return "r\(n)" }
        for _ in 0..<documents {
            let lang = ["en", "en", "en", "zh", "th"][Int(rng.next() % 5)]
            let tokens = DedupeCorpus.tokens(lang: lang, count: lang == "en" ? wordsPerDocument : wordsPerDocument * 2, rng: &rng)
            let id = nextID()
            let body = DedupeCorpus.join(tokens, lang: lang)
            items.append((["id": .string(id), "lang": .string(lang), "body": .string(body)], body, .original))
            if rng.next() % 10 == 0 {
                let copy = DedupeCorpus.disguise(body, rng: &rng)
                items.append((["id": .string(nextID()), "lang": .string(lang), "body": .string(copy)], copy, .exactCopy(of: id)))
            }
            if rng.next() % 4 == 0 {
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    var t = tokens
                    // Replacing k tokens breaks up to k * shingle-size shingles: similarities spread from 1 down to about 0.4.
                    let k = 1 + Int(rng.next() % UInt64(max(1, t.count / 12)))
                    for _ in 0..<k {
                        let at = Int(rng.next() % UInt64(t.count))
                        t[at] = DedupeCorpus.tokens(lang: lang, count: 1, rng: &rng)[0]
                    }
                    let b = DedupeCorpus.join(t, lang: lang)
                    items.append((["id": .string(nextID()), "lang": .string(lang), "body": .string(b)], b, .nearCopy(of: id)))
                }
            }
        }
        for v in 0..<versioned {
            let versions = 2 + Int(rng.next() % 3)
            for k in 0..<versions {
                let b = DedupeCorpus.join(DedupeCorpus.tokens(lang: "en", count: 120, rng: &rng), lang: "en")
                let ts = "2026-0\(1 + k)-1\(v % 10)T0\(v % 10):00:00Z"
                items.append((["id": .string(nextID()), "doc_id": .string("doc-\(v)"), "updated_at": .string(ts),
                               "lang": "en", "body": .string(b)], b, .version(document: "doc-\(v)", newest: k == versions - 1)))
            }
        }
        // Shuffle, so copies and versions come before and after what they copy.
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        for (value, body, label) in items {
            let id = value["id"]?.stringValue ?? ""
            records.append(value)
            labels[id] = label
            bodies[id] = body
        }
    }

    static let syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "sho", "bel", "tor", "ain", "qu", "zé", "ñu", "ström", "ar"]
    static let han = Array("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴")
    static let thai = Array("กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋็์")

    static func tokens(lang: String, count: Int, rng: inout SplitMix64) -> [String] {
        (0..<count).map { _ in
            switch lang {
            case "zh": return String(han[Int(rng.next() % UInt64(han.count))])
            case "th": return String(thai[Int(rng.next() % UInt64(thai.count))])
            default:
                // Skewed word lengths and a vocabulary of about 8,000 words.
                let parts = 1 + Int(rng.next() % 3)
                return (0..<parts).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined()
                    + (rng.next() % 3 == 0 ? String(rng.next() % 20) : "")
            }
        }
    }

    static func join(_ tokens: [String], lang: String) -> String {
        lang == "en" ? tokens.joined(separator: " ") : tokens.joined()
    }

    /// The same text after normalisation: doubled spaces, line breaks, decomposed accents.
    static func disguise(_ text: String, rng: inout SplitMix64) -> String {
        var s = text.replacingOccurrences(of: "é", with: "e\u{301}")
        if rng.next() % 2 == 0 { s = s.replacingOccurrences(of: " ", with: "  ") }
        return "  " + s + "\n\n"
    }

    /// Records for `values`, id from the `id` field (else `doc#<index>`), with provenance.
    public static func makeRecords(_ values: [JSONValue], input: String = "test") -> [Record] {
        values.enumerated().map { i, v in
            Record(id: v["id"]?.stringValue ?? "doc#\(i)", value: v,
                   provenance: Provenance(input: input, uri: "memory:\(input)", locator: Locator(index: i),
                                          sha256: ContentHash.sha256Hex(JSONWriter.bytes(v))))
        }
    }

    /// The exact 5-token shingle set Jaccard similarity of two bodies (tokens as `Shingler` cuts them).
    public static func jaccard(_ a: Set<[String]>, _ b: Set<[String]>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }
}
