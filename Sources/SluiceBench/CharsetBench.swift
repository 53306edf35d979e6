import Foundation
import SluiceCharset

/// `sluice-bench charset --held-out FILE.tsv [--samples FILE.tsv] [--misses N]`: charset
/// detection on a labelled set (each line encoded into every charset its language is written
/// in, whole and sentence by sentence): per label charset the share decoded to the right text,
/// the exact label, refusals and wrong decodes at confidence ≥ 0.9, at the file input's
/// `minConfidence` (0.5); then the speed on valid UTF-8 (32 MB) and on legacy documents.
enum CharsetBench {
    /// `--only NAME` keeps the samples of one label charset or language; `--misses N` prints
    /// the first N samples read wrong.
    static func run(_ args: [String]) throws {
        var paths: [String] = []
        var misses = 0
        var only: String?
        var i = 0
        while i < args.count {
            let next = i + 1 < args.count ? args[i + 1] : nil
            switch args[i] {
            case "--held-out", "--samples": if let next { paths.append(next) }; i += 1
            case "--misses": misses = Int(next ?? "") ?? 0; i += 1
            case "--only": only = next; i += 1
            default: throw RepairBench.Failure(description: "unknown argument \(args[i])")
            }
            i += 1
        }
        guard !paths.isEmpty else { throw RepairBench.Failure(description: "give --held-out FILE.tsv") }
        var tsv = ""
        for p in paths {
            guard let t = try? String(contentsOfFile: p, encoding: .utf8) else { throw RepairBench.Failure(description: "\(p) not found") }
            tsv += t + "\n"
        }
        let samples = CharsetEvaluation.build(fromTSV: tsv).filter { only == nil || $0.charset.name == only || $0.language == only }
        var shown = 0
        let tallies = CharsetEvaluation.evaluate(samples, minConfidence: 0.5) { s, d in
            guard shown < misses else { return }
            shown += 1
            let got = d.map { "\($0.charset.name) \($0.confidence) [\($0.candidates.map { "\($0.charset.name) \($0.score)" }.joined(separator: ", "))]" } ?? "refused"
            let read = d.map { " as \($0.text.prefix(60))" } ?? ""
            print("miss: \(s.language) \(s.charset.name) \(s.unit) -> \(got): \(s.text.prefix(60))\(read)")
        }
        var byCharset: [String: CharsetEvaluation.Tally] = [:]
        for (key, t) in tallies { byCharset[String(key.split(separator: " ")[0]), default: .init()].add(t) }
        var total = CharsetEvaluation.Tally()
        for (c, t) in byCharset.sorted(by: { $0.key < $1.key }) {
            total.add(t)
            print("charset_\(c): \(pct(t.equivalent, t.total)) % right text, \(pct(t.exact, t.total)) % exact label, "
                  + "\(t.refused) refused, \(t.wrongConfident) wrong at ≥0.9 (\(t.total) samples)")
        }
        print("charset_overall: \(pct(total.equivalent, total.total)) % right text, \(pct(total.exact, total.total)) % exact label, "
              + "\(pct(total.refused, total.total)) % refused, \(pct(total.wrongConfident, total.total)) % wrong at ≥0.9 "
              + "(\(total.wrongConfident) of \(total.total) samples)")
        var legacy = CharsetEvaluation.Tally()
        for (c, t) in byCharset where !c.hasPrefix("utf") { legacy.add(t) }
        print("charset_legacy: \(pct(legacy.equivalent, legacy.total)) % right text, \(pct(legacy.exact, legacy.total)) % exact label, "
              + "\(pct(legacy.refused, legacy.total)) % refused, \(pct(legacy.wrongConfident, legacy.total)) % wrong at ≥0.9 "
              + "(\(legacy.wrongConfident) of \(legacy.total) samples)")
        speed(samples)
    }

    static func speed(_ samples: [CharsetEvaluation.Sample]) {
        // Valid UTF-8: the texts repeated to 32 MB.
        var utf8: [UInt8] = []
        let texts = samples.filter { $0.unit == "paragraph" && $0.charset == .utf8 }.map { Array(($0.text + "\n").utf8) }
        while utf8.count < 32 << 20, !texts.isEmpty { for t in texts { utf8 += t } }
        let u = RepairBench.best(of: 3) { _ = CharsetDetector.decode(utf8) }
        print("detect_utf8: \(RepairBench.fmt(Double(utf8.count) / 1e6 / u)) MB/s (\(utf8.count) bytes, decode incl. the String)")
        // Legacy documents: per language and legacy charset, its paragraphs joined (a few KB).
        var docs: [String: [UInt8]] = [:]
        for s in samples where s.unit == "paragraph" && !s.charset.name.hasPrefix("utf") {
            docs["\(s.language) \(s.charset.name)", default: []] += s.bytes + [0x0A]
        }
        let bytes = docs.values.reduce(0) { $0 + $1.count }
        let l = RepairBench.best(of: 3) { for d in docs.values { _ = CharsetDetector.decode(d) } }
        print("detect_legacy: \(RepairBench.fmt(Double(bytes) / 1e6 / l)) MB/s (\(docs.count) documents, \(bytes) bytes)")
    }

    static func pct(_ a: Int, _ b: Int) -> String { RepairBench.fmt(100 * Double(a) / Double(max(b, 1))) }
}
