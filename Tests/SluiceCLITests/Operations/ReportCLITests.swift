import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SluiceJSON
import SluiceTesting
import Testing

/// `sluice report` and `run --report` through the real binary.
@Suite struct ReportCLITests {
    /// Collects `data-metric` → text and checks the document is well-formed XML.
    final class Metrics: NSObject, XMLParserDelegate {
        var values: [String: String] = [:]
        var tags: [String: Int] = [:]
        var externalRefs: [String] = []
        private var open: [(String?, String)] = []
        func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            tags[name, default: 0] += 1
            for k in ["src", "href"] { if let v = attributes[k] { externalRefs.append(v) } }
            open.append((attributes["data-metric"], ""))
        }
        func parser(_ p: XMLParser, foundCharacters s: String) {
            for i in open.indices { open[i].1 += s }
        }
        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let (metric, text) = open.popLast() else { return }
            if let metric { values[metric] = text }
        }
        static func read(_ html: String) throws -> Metrics {
            let m = Metrics()
            let p = XMLParser(data: Data(html.utf8))
            p.delegate = m
            #expect(p.parse(), "not well-formed: \(String(describing: p.parserError)) at line \(p.lineNumber)")
            return m
        }
    }

    static let pipeline = TemporaryProject.pipeline(
        name: "rep", stages: ["name: need\ntype: require_fields\nfields: [/title]"],
        outputs: ["name: out\ntype: jsonl\npath: out/docs.jsonl"], quarantine: "out/quarantine.jsonl")

    @Test func reportNumbersEqualTheSummaryAndTheFileIsSelfContained() throws {
        let dir = try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": """
            {"id": "a1", "title": "First <b>&amp;</b>"}
            {"id": "a2", "body": "SECRET-CONTENT <script>"}
            {"id": "a3", "title": "Third"

            """])
        defer { dir.remove() }
        let first = try dir.sluice(["run", "pipeline.yaml", "--report", "r1.html"])
        #expect(first.status == 0, "\(first.stderr)")
        try dir.write("data/b.jsonl", "{\"id\": \"b1\", \"title\": \"B\"}\n{\"id\": \"b2\"}\n")
        let second = try dir.sluice(["run", "pipeline.yaml", "--report", "r2.html", "--summary", "s2.json"])
        #expect(second.status == 0, "\(second.stderr)")

        let html = try dir.text("r2.html")
        let m = try Metrics.read(html)
        let s = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("s2.json"))))
        for k in ["received", "written", "quarantined", "dropped", "deferred"] {
            #expect(m.values["ledger.\(k)"] == s["ledger"]?[k]?.numberValue?.text, "\(k)")
        }
        #expect(m.values["ledger.received"] == "2")
        #expect(m.values["status"] == s["status"]?.stringValue)
        #expect(m.values["run_id"] == s["run_id"]?.stringValue)
        #expect(m.values["exit_status"] == "0")
        #expect(m.values["balanced"] == "balanced")
        #expect(m.values["new_records"] == s["new_records"]?.numberValue?.text)
        #expect(m.values["quarantine_reasons.missing_field"] == s["quarantine_reasons"]?["missing_field"]?.numberValue?.text)
        #expect(m.values["inputs.docs.received"] == s["inputs"]?["docs"]?["received"]?.numberValue?.text)
        #expect(m.values["stages.need.seen"] == s["stages"]?["need"]?["seen"]?.numberValue?.text)
        #expect(m.values["stages.need.quarantined"] == "1")
        #expect(m.values["outputs.out.written"] == s["outputs"]?["out"]?["written"]?.numberValue?.text)
        // Charts are inline (HTML bars, an SVG trend); nothing is fetched; the trend covers both runs.
        #expect((m.tags["svg"] ?? 0) >= 1)
        #expect(html.contains("class=\"ledgerbar\"") && html.contains("class=\"chart\""))
        // The trend table runs in the chart's order: oldest first, this run last.
        let rows = html.components(separatedBy: "<caption>oldest first").last ?? ""
        #expect((rows.range(of: first1RunID(dir))?.lowerBound).map { $0 < (rows.range(of: m.values["run_id"] ?? "?")?.lowerBound ?? $0) } == true)
        #expect(m.externalRefs.isEmpty, "\(m.externalRefs)")
        #expect(!html.contains("<script"))
        #expect(html.contains("Last 2 runs"))
        #expect(html.contains("required field /title is missing"), "examples carry the message")
        // Content only when asked for.
        let first1 = try dir.text("r1.html")
        #expect(!first1.contains("SECRET-CONTENT"))
        let shown = try dir.sluice(["report", "pipeline.yaml", "--run", first1.runID, "--show-content"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("SECRET-CONTENT &lt;script&gt;"), "escaped content")
        let shownMetrics = try Metrics.read(shown.stdout)
        #expect(shownMetrics.values["ledger.received"] == "3")

        // `sluice report` of the newest run equals what `run --report` wrote (but for nothing).
        let again = try dir.sluice(["report", "pipeline.yaml", "--out", "again.html"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Metrics.read(dir.text("again.html")).values == m.values)

        let missing = try dir.sluice(["report", "pipeline.yaml", "--run", "nope"])
        #expect(missing.status == 66)
    }
}

extension ReportCLITests {
    /// Drops show the record they duplicate, repairs and chunks per document have their charts.
    @Test func dropsRepairsAndChunksAreShown() throws {
        let pipeline = TemporaryProject.pipeline(
            name: "rich", stages: ["type: repair_encoding", "type: dedupe\nkey: [/body]", "type: chunk\nfield: /body\nmax_size: 40"],
            outputs: ["type: jsonl\npath: out/chunks.jsonl"])
        let dir = try TemporaryProject(pipeline: pipeline, files: ["data/a.jsonl": """
            {"id": "a1", "body": "CafÃ© on the quay. The terrace is back and the regulars are too, every morning."}
            {"id": "a2", "body": "Café on the quay. The terrace is back and the regulars are too, every morning."}

            """])
        defer { dir.remove() }
        let run = try dir.sluice(["run", "pipeline.yaml", "--report", "r.html"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try dir.text("r.html")
        _ = try Metrics.read(html)
        #expect(html.contains("<code>a2</code> → <code>a1</code>"), "the drop names the record it duplicates")
        #expect(html.contains("Repairs applied") && html.contains("mojibake"))
        #expect(html.contains("Chunks per document"), "one chunked row per document feeds the histogram")
        // Each bucket shows its count, not only a bar.
        #expect(html.contains(" docs</span>"))
    }
}

/// The run id of the report `r1.html` in `dir`.
private func first1RunID(_ dir: TemporaryProject) -> String { (try? dir.text("r1.html"))?.runID ?? "?" }

extension String {
    /// The run id shown in a report.
    var runID: String {
        guard let r = range(of: "data-metric=\"run_id\">") else { return "" }
        return String(self[r.upperBound...].prefix { $0 != "<" })
    }
}
