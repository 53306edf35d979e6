import Foundation
import SluiceCore
import SluiceCharset
import SluiceJSON
import SluiceText

/// `sluice-bench repair [--shared DIR] [--samples FILE] [--held-out FILE]... [--negatives FILE] [--write-data DIR] [--mb N]
/// [--only PREFIX]`
///
/// Times are CPU seconds of this (single-threaded) process, best of 3, so that a loaded shared
/// machine does not count other people's work; bench/repair/peer.py measures the Python peers the
/// same way (`time.process_time`). `--only` runs just the throughput cases whose name starts with
/// PREFIX (for profiling).
/// Measures `EncodingRepair` and the `repair_encoding` stage on clean text (the shared corpora)
/// and on mojibake-heavy text made from it, and charset detection on the labelled set. With
/// `--write-data DIR` it also writes the exact inputs (clean.txt, mojibake.txt, eval/) so that
/// bench/repair/peers.py measures ftfy and charset-normalizer on the same bytes.
enum RepairBench {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(_ args: [String]) throws {
        var shared = "../shared"
        var samplesPath = "bench/repair/charset-samples.tsv"
        var writeDir: String?
        var heldOutPaths: [String] = []
        var negativesPath: String?
        var targetMB = 8.0
        var only: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            let next = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "--shared": shared = next ?? shared; i += 1
            case "--samples": samplesPath = next ?? samplesPath; i += 1
            case "--write-data": writeDir = next; i += 1
            case "--held-out": if let next { heldOutPaths.append(next) }; i += 1
            case "--negatives": negativesPath = next; i += 1
            case "--mb": targetMB = next.flatMap(Double.init) ?? targetMB; i += 1
            case "--only": only = next; i += 1
            default: throw Failure(description: "unknown argument \(a)")
            }
            i += 1
        }
        let corpusDir = URL(fileURLWithPath: shared).appendingPathComponent("corpora/text")
        let names = ["room_with_a_view.txt", "romeo_and_juliet.txt", "commonmark_spec.md", "github_flavored.md"]
        var corpus = ""
        for n in names {
            guard let t = try? String(contentsOf: corpusDir.appendingPathComponent(n), encoding: .utf8) else {
                throw Failure(description: "corpus \(n) not found under \(corpusDir.path); pass --shared")
            }
            corpus += t + "\n"
        }
        guard let samplesTSV = try? String(contentsOfFile: samplesPath, encoding: .utf8) else {
            throw Failure(description: "samples \(samplesPath) not found; run from the package root or pass --samples")
        }
        let corpusLines = corpus.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let sampleLines = samplesTSV.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .compactMap { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) }

        let clean = repeatLines(corpusLines, toMB: targetMB)
        let ascii = repeatLines(corpusLines.filter { $0.utf8.allSatisfy { $0 < 0x80 } }, toMB: targetMB)
        let mojibake = repeatLines(makeMojibake(corpusLines.filter { $0.unicodeScalars.contains { $0.value >= 0x80 } } + sampleLines),
                                   toMB: targetMB / 2)
        print("inputs: clean \(mb(clean)) MB (\(clean.count) lines), clean ASCII \(mb(ascii)) MB, mojibake \(mb(mojibake)) MB (\(mojibake.count) lines)")

        if let writeDir {
            let heldOut = heldOutPaths.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            try writeData(dir: writeDir, clean: clean, mojibake: mojibake, samplesTSV: samplesTSV, corpus: corpus, heldOut: heldOut)
        }

        let wanted = { (name: String) in only.map { name.hasPrefix($0) } ?? true }
        if wanted("repair_clean_ascii") { report("repair_clean_ascii", lines: ascii) { EncodingRepair.repair($0) } }
        if wanted("repair_clean_corpus") { report("repair_clean_corpus", lines: clean) { EncodingRepair.repair($0) } }
        if wanted("repair_mojibake") { report("repair_mojibake", lines: mojibake) { EncodingRepair.repair($0) } }
        let stage = RepairEncodingStage(onUndecodable: .keep)
        let prov = Provenance(input: "bench", uri: "mem", locator: Locator(), sha256: "")
        // Per line (a record of ~35-130 bytes: per-record overhead dominates) and per document
        // (lines joined into ~2 KB records, closer to what a pipeline carries).
        let cases: [(String, [String])] = [
            ("stage_clean_ascii_lines", ascii), ("stage_clean_corpus_lines", clean), ("stage_mojibake_lines", mojibake),
            ("stage_clean_ascii_docs", documents(ascii)), ("stage_clean_corpus_docs", documents(clean)),
            ("stage_mojibake_docs", documents(mojibake)),
        ]
        for (name, lines) in cases where wanted(name) {
            let records = lines.enumerated().map { Record(id: String($0.offset), value: ["text": .string($0.element)], provenance: prov) }
            let bytes = lines.reduce(0) { $0 + $1.utf8.count }
            let secs = best(of: 3) {
                for r in records { _ = try? stage.process(r) }
            }
            print("\(name): \(fmt(Double(bytes) / 1e6 / secs)) MB/s (\(records.count) records of \(bytes / max(records.count, 1)) bytes on average)")
        }
        if only != nil { return }
        var fixedLines = 0
        for l in mojibake where EncodingRepair.repair(l).fixes.contains(where: { $0.kind == .mojibake }) { fixedLines += 1 }
        print("mojibake_lines_fixed: \(fixedLines)/\(mojibake.count) lines")
        if let negativesPath {
            guard let text = try? String(contentsOfFile: negativesPath, encoding: .utf8) else {
                throw Failure(description: "negatives \(negativesPath) not found")
            }
            let lines = text.split(separator: "\n").map(String.init)
            let changed = lines.filter { !MojibakeRepair.fix($0).steps.isEmpty }.count
            print("mojibake_false_positives: \(changed)/\(lines.count) lines of correct text changed")
        }

        // Charset detection on the labelled set (and on the held-out set when given).
        var samples = CharsetEvaluation.build(fromTSV: samplesTSV)
        samples += CharsetEvaluation.build(fromCorpus: corpus, limit: 40)
        reportDetection("detect", samples)
        for (n, path) in heldOutPaths.enumerated() {
            guard let tsv = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(description: "held-out samples \(path) not found")
            }
            reportDetection("detect_heldout\(n + 1)", CharsetEvaluation.build(fromTSV: tsv))
        }
    }

    static func reportDetection(_ prefix: String, _ samples: [CharsetEvaluation.Sample]) {
        let evalBytes = samples.reduce(0) { $0 + $1.bytes.count }
        let secs = best(of: 3) { for s in samples { _ = CharsetDetector.decode(s.bytes) } }
        print("\(prefix): \(fmt(Double(evalBytes) / 1e6 / secs)) MB/s (\(samples.count) samples, \(evalBytes) bytes)")
        let tallies = CharsetEvaluation.evaluate(samples)
        var byCharset: [String: CharsetEvaluation.Tally] = [:]
        for (key, t) in tallies {
            let c = String(key.split(separator: " ")[0])
            var agg = byCharset[c] ?? CharsetEvaluation.Tally()
            agg.total += t.total; agg.exact += t.exact; agg.equivalent += t.equivalent
            byCharset[c] = agg
        }
        var total = CharsetEvaluation.Tally()
        for (c, t) in byCharset.sorted(by: { $0.key < $1.key }) {
            total.total += t.total; total.exact += t.exact; total.equivalent += t.equivalent
            print("\(prefix)_accuracy_\(c): \(fmt(100 * Double(t.equivalent) / Double(t.total))) % same text, \(fmt(100 * Double(t.exact) / Double(t.total))) % exact label (\(t.total) samples)")
        }
        print("\(prefix)_accuracy_overall: \(fmt(100 * Double(total.equivalent) / Double(total.total))) % same text, \(fmt(100 * Double(total.exact) / Double(total.total))) % exact label (\(total.total) samples)")
    }

    static func report(_ name: String, lines: [String], _ body: (String) -> EncodingRepairResult) {
        let bytes = lines.reduce(0) { $0 + $1.utf8.count }
        var sink = 0
        let secs = best(of: 3) { for l in lines { sink &+= body(l).fixes.count } }
        print("\(name): \(fmt(Double(bytes) / 1e6 / secs)) MB/s")
        if sink == -1 { print("") }
    }

    /// Lines joined into records of about 2 KB (the first line that reaches 2,000 bytes ends one).
    static func documents(_ lines: [String]) -> [String] {
        var out: [String] = []
        var current: [String] = []
        var bytes = 0
        for l in lines {
            current.append(l)
            bytes += l.utf8.count + 1
            if bytes >= 2000 {
                out.append(current.joined(separator: "\n"))
                current = []
                bytes = 0
            }
        }
        if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        return out
    }

    /// The least CPU time of `n` runs of `body`.
    static func best(of n: Int, _ body: () -> Void) -> Double {
        var bestSecs = Double.infinity
        for _ in 0..<n {
            let start = cpuSeconds()
            body()
            bestSecs = min(bestSecs, cpuSeconds() - start)
        }
        return max(bestSecs, 1e-9)
    }

    /// CPU time used by this process so far (user and system).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func repeatLines(_ lines: [String], toMB target: Double) -> [String] {
        guard !lines.isEmpty else { return [] }
        var out: [String] = []
        var bytes = 0
        while Double(bytes) < target * 1e6 {
            for l in lines { out.append(l); bytes += l.utf8.count }
        }
        return out
    }

    /// Mojibake of four kinds, in turn: UTF-8 read as windows-1252, twice; as Latin-1; and a line
    /// where only the second half is broken.
    static func makeMojibake(_ lines: [String]) -> [String] {
        let w1252 = SingleByteText.windows1252
        let latin1 = SingleByteText.latin1
        return lines.enumerated().map { i, l in
            switch i % 4 {
            case 0: return w1252(l)
            case 1: return w1252(w1252(l))
            case 2: return latin1(l)
            default:
                let mid = l.index(l.startIndex, offsetBy: l.count / 2)
                return String(l[..<mid]) + w1252(String(l[mid...]))
            }
        }
    }

    static func writeData(dir: String, clean: [String], mojibake: [String], samplesTSV: String, corpus: String,
                          heldOut: [String]) throws {
        let root = URL(fileURLWithPath: dir)
        let eval = root.appendingPathComponent("eval")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try (clean.joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("clean.txt"), atomically: true, encoding: .utf8)
        try (mojibake.joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("mojibake.txt"), atomically: true, encoding: .utf8)
        var samples = CharsetEvaluation.build(fromTSV: samplesTSV)
        samples += CharsetEvaluation.build(fromCorpus: corpus, limit: 40)
        try writeEval(samples, to: eval)
        var note = ""
        for (n, tsv) in heldOut.enumerated() {
            let h = CharsetEvaluation.build(fromTSV: tsv)
            try writeEval(h, to: root.appendingPathComponent("eval-heldout\(n + 1)"))
            note += ", eval-heldout\(n + 1)/ with \(h.count) samples"
        }
        print("wrote: \(dir) (clean.txt, mojibake.txt, eval/ with \(samples.count) samples\(note))")
    }

    static func writeEval(_ samples: [CharsetEvaluation.Sample], to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var labels = "file\tcharset\tunit\tlanguage\n"
        for (k, s) in samples.enumerated() {
            let name = String(format: "%05d", k)
            try Data(s.bytes).write(to: dir.appendingPathComponent(name + ".bin"))
            try Data(s.text.utf8).write(to: dir.appendingPathComponent(name + ".txt"))
            labels += "\(name)\t\(s.charset.name)\t\(s.unit)\t\(s.language)\n"
        }
        try labels.write(to: dir.appendingPathComponent("labels.tsv"), atomically: true, encoding: .utf8)
    }

    static func mb(_ lines: [String]) -> String { fmt(Double(lines.reduce(0) { $0 + $1.utf8.count + 1 }) / 1e6) }
    static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
}
