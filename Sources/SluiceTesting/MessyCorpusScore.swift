public import Foundation
import SluiceCore
import SluiceJSON

/// Scores a run over the messy corpus against its `truth.jsonl`: each source record's fate as the
/// outputs (JSON Lines, tombstones applied), the quarantine file and the audit trail (its
/// `dropped` events, as `sluice audit export --format jsonl` writes them) show it.
public struct MessyCorpusScore: Sendable {
    public struct Tally: Sendable {
        public var expected = 0, actual = 0, correct = 0
        /// Of the records the run put in this class, the share the truth put there too (with the same related record).
        public var precision: Double { actual == 0 ? 1 : Double(correct) / Double(actual) }
        public var recall: Double { expected == 0 ? 1 : Double(correct) / Double(expected) }
    }
    public struct Exact: Sendable {
        public var checked = 0, exact = 0
        public var ratio: Double { checked == 0 ? 1 : Double(exact) / Double(checked) }
    }

    public var records = 0
    public var correct = 0
    public var fateAccuracy: Double { records == 0 ? 1 : Double(correct) / Double(records) }
    /// Source records that no output, quarantine entry or drop accounts for.
    public var unaccounted = 0
    /// Source records with two fates (e.g. written and dropped).
    public var conflicting = 0
    /// Output documents, quarantine entries and drops that match no source record.
    public var unexpected = 0
    /// Classes: `written`, `quarantined:<code>`, `exact_duplicate`, `near_duplicate:<lang>`, `superseded`.
    public var classes: [String: Tally] = [:]
    /// Title and body exact on written records, by format and by corruption kind (`plain`: none).
    public var textByFormat: [String: Exact] = [:]
    public var textByKind: [String: Exact] = [:]
    /// The first mistakes, for reading: `id format kinds: expected -> actual`.
    public var mistakes: [String] = []
    public var textMistakes: [String] = []

    /// Scores the run whose outputs are `records` (JSON Lines with `_sluice` metadata), `quarantine`
    /// and `audit` (JSON Lines of audit rows; nil when audit was off).
    public static func score(truth: URL, records: URL, quarantine: URL, audit: URL?) throws -> MessyCorpusScore {
        let run = try RunView(records: records, quarantine: quarantine, audit: audit)
        var s = MessyCorpusScore()
        var claimedQuarantine = Set<Int>(), claimedDrops = Set<String>(), claimedDocs = Set<String>()
        for t in try lines(truth) {
            guard let id = t["id"]?.stringValue, let fate = t["fate"]?.stringValue else { continue }
            s.records += 1
            let lang = t["lang"]?.stringValue ?? "", format = t["format"]?.stringValue ?? ""
            let kinds = t["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let expected = Outcome(fate: fate, reason: t["reason"]?.stringValue, related: t["related"]?.stringValue)
            var found: [Outcome] = []
            if let q = run.quarantineMatch(id: id, file: t["file"]?.stringValue ?? "", line: t["line"]?.numberValue?.intValue,
                                           index: t["index"]?.numberValue?.intValue) {
                claimedQuarantine.insert(q)
                found.append(Outcome(fate: "quarantined", reason: run.quarantine[q].code, related: nil))
            }
            if let d = run.drops[id] {
                claimedDrops.insert(id)
                found.append(Outcome(fate: "dropped", reason: d.reason,
                                     related: d.reason == "superseded_by" ? run.newest(d.related) : d.related))
            }
            if let by = run.superseded[id] {
                found.append(Outcome(fate: "dropped", reason: "superseded_by", related: run.newest(by)))
            } else if run.documents[id] != nil {
                claimedDocs.insert(id)
                found.append(Outcome(fate: "written", reason: nil, related: nil))
            }
            if found.isEmpty { s.unaccounted += 1 }
            if found.count > 1 { s.conflicting += 1 }
            let actual = found.first
            let right = found.count == 1 && actual == expected
            if right { s.correct += 1 } else if s.mistakes.count < 40 {
                s.mistakes.append("\(id) \(format) \(kinds.joined(separator: ",")): \(expected) -> \(found.isEmpty ? "nothing" : found.map(\.description).joined(separator: " + "))")
            }
            let expectedClass = expected.className(lang: lang)
            s.classes[expectedClass, default: Tally()].expected += 1
            if right { s.classes[expectedClass, default: Tally()].correct += 1 }
            if let actual { s.classes[actual.className(lang: lang), default: Tally()].actual += 1 }
            if fate == "written", right, let chunks = run.documents[id] {
                let ok = textMatches(title: t["title"]?.stringValue ?? "", body: t["body"]?.stringValue ?? "", chunks: chunks)
                s.textByFormat[format, default: Exact()].checked += 1
                if ok { s.textByFormat[format, default: Exact()].exact += 1 }
                for k in (kinds.isEmpty ? ["plain"] : kinds) {
                    s.textByKind[k, default: Exact()].checked += 1
                    if ok { s.textByKind[k, default: Exact()].exact += 1 }
                }
                if !ok && s.textMistakes.count < 20 { s.textMistakes.append("\(id) \(format) \(kinds.joined(separator: ","))") }
            }
        }
        s.unexpected = (run.quarantine.count - claimedQuarantine.count) + (run.drops.count - claimedDrops.count)
            + run.documents.keys.filter { !claimedDocs.contains($0) && run.superseded[$0] == nil }.count
        return s
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var fate: String, reason: String?, related: String?
        var description: String { [fate, reason, related].compactMap { $0 }.joined(separator: " ") }
        func className(lang: String) -> String {
            switch (fate, reason) {
            case ("quarantined", let r?): "quarantined:\(r)"
            case ("dropped", "duplicate_of"?): "exact_duplicate"
            case ("dropped", "near_duplicate_of"?): "near_duplicate:\(lang)"
            case ("dropped", "superseded_by"?): "superseded"
            case ("dropped", let r?): "dropped:\(r)"
            default: fate
            }
        }
    }

    /// The written document's title, and its body as its chunks show it: each chunk's text is the
    /// clean body between its offsets (Unicode scalars), and together they cover every character
    /// that is not whitespace. A record written without chunking must carry the body itself.
    static func textMatches(title: String, body: String, chunks: [JSONObject]) -> Bool {
        guard !chunks.isEmpty, chunks.allSatisfy({ $0["title"]?.stringValue == title }) else { return false }
        let expected = Array(body.unicodeScalars)
        if chunks.count == 1, chunks[0]["start"] == nil { return chunks[0]["body"]?.stringValue == body }
        var covered = [Bool](repeating: false, count: expected.count)
        for c in chunks {
            guard let start = c["start"]?.numberValue?.intValue, let end = c["end"]?.numberValue?.intValue,
                  let text = c["text"]?.stringValue, 0 <= start, start <= end, end <= expected.count else { return false }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: expected[start..<end])
            guard String(view) == text else { return false }
            for i in start..<end { covered[i] = true }
        }
        return zip(expected, covered).allSatisfy { $1 || $0.properties.isWhitespace }
    }

    static func lines(_ url: URL) throws -> [JSONObject] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data = try Data(contentsOf: url)
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONParser.parse(Array($0)).objectValue }
    }
}

/// What a run wrote, in the shape the scorer asks it.
struct RunView {
    struct Quarantined { var code: String, recordID: String?, uri: String, line: Int?, index: Int? }
    /// Written documents (by record id, or by parent for chunks) with their output records.
    var documents: [String: [JSONObject]] = [:]
    /// Tombstones: old id → the id that replaced it.
    var superseded: [String: String] = [:]
    var quarantine: [Quarantined] = []
    var drops: [String: (reason: String, related: String?)] = [:]
    private var quarantineByID: [String: Int] = [:]
    private var quarantineByFile: [String: [Int]] = [:]

    init(records: URL, quarantine q: URL, audit: URL?) throws {
        for line in try MessyCorpusScore.lines(records) {
            guard let meta = line["_sluice"]?.objectValue else { continue }
            if let old = meta["superseded"]?.stringValue, let by = meta["by"]?.stringValue {
                superseded[old] = by
                documents[old] = nil
                continue
            }
            guard let id = meta["parent"]?.stringValue ?? meta["id"]?.stringValue else { continue }
            documents[id, default: []].append(line)
        }
        for e in try MessyCorpusScore.lines(q) {
            let loc = e["locator"]?.objectValue
            quarantine.append(Quarantined(code: e["code"]?.stringValue ?? "", recordID: e["record_id"]?.stringValue,
                                          uri: e["uri"]?.stringValue ?? "", line: loc?["line"]?.numberValue?.intValue,
                                          index: loc?["index"]?.numberValue?.intValue))
            if let id = e["record_id"]?.stringValue { quarantineByID[id] = quarantine.count - 1 }
            quarantineByFile[RunView.fileKey(quarantine[quarantine.count - 1].uri), default: []].append(quarantine.count - 1)
        }
        if let audit {
            for e in try MessyCorpusScore.lines(audit) where e["event"]?.stringValue == AuditEventKind.dropped.wireName {
                guard let id = e["record_id"]?.stringValue, let reason = e["reason"]?.stringValue else { continue }
                var details = e["details"]
                if let text = details?.stringValue { details = try? JSONParser.parse(text) }
                drops[id] = (reason, details?["related_id"]?.stringValue)
            }
        }
    }

    /// The quarantine entry of a source record: by its id, else by its file and line (JSON Lines) or index.
    func quarantineMatch(id: String, file: String, line: Int?, index: Int?) -> Int? {
        if let i = quarantineByID[id] { return i }
        return quarantineByFile[RunView.fileKey(file)]?.first { i in
            let e = quarantine[i]
            if let line, let l = e.line { return l == line }
            if let i = e.index { return i == index }
            return e.line == nil    // a whole-file record (text, markdown, html): one per file
        }
    }

    /// A file's last two path components (`jsonl/f00001.jsonl`): the same whether the run wrote the
    /// path relative to its base folder or absolute.
    static func fileKey(_ path: String) -> String { path.split(separator: "/").suffix(2).joined(separator: "/") }

    /// Follows supersession to the newest version.
    func newest(_ id: String?) -> String? {
        guard var id else { return nil }
        var seen = Set<String>()
        while let next = superseded[id], seen.insert(id).inserted { id = next }
        return id
    }
}
