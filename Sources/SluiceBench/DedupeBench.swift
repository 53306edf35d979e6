import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceStore
import SluiceTesting

/// `sluice-bench dedupe minhash FILE` — MinHash signatures per second over the documents of FILE
/// (one JSON string per line, as bench/dedupe/peer.py writes it), 128 permutations, word
/// 5-shingles: normalisation, shingling and hashing included, one thread.
/// `sluice-bench dedupe stage N [WORDS] [INDEXED]` — the dedupe stage (exact + near-duplicates +
/// versions) over N generated documents of WORDS words (default 400, about 2 KB) with its index in
/// a SQLite state DB, committed in batches of 1000 as the runner does: documents per second and
/// peak memory. With INDEXED, that many documents of the same stream are indexed first (through
/// the stage, by the same batched path) and the run measured is a new run over the next N, as a
/// later pipeline run would be: its `begin` (reading the index) is timed on its own and included.
/// `sluice-bench dedupe accuracy [DOCS]` — the labelled corpus scores.
enum DedupeBench {
    static func run(_ args: [String]) throws {
        switch args.first {
        case "minhash": try minhash(path: args.count > 1 ? args[1] : "bench/data/dedupe/docs.jsonl")
        case "stage": try stage(count: args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000,
                                words: args.count > 2 ? Int(args[2]) ?? 400 : 400,
                                indexed: args.count > 3 ? Int(args[3]) ?? 0 : 0)
        case "accuracy": try accuracy(documents: args.count > 1 ? Int(args[1]) ?? 4000 : 4000)
        default: throw SluiceError(.usage, "sluice-bench dedupe minhash FILE | stage N [WORDS] [INDEXED] | accuracy [DOCS]")
        }
    }

    static func minhash(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let docs = try text.split(separator: "\n").map { try JSONParser.parse(String($0)).stringValue ?? "" }
        let shingler = Shingler(size: 5), hasher = MinHasher(permutations: 128), norm = TextNormalizer()
        var sink: UInt32 = 0
        let bytes = docs.reduce(0) { $0 + $1.utf8.count }
        // Three passes, timed in CPU seconds of this process (the machine is shared); the best is reported.
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = cpuSeconds()
            for d in docs { sink &+= hasher.signature(shingler.shingleHashes(norm.normalize(d)))?[0] ?? 0 }
            best = min(best, cpuSeconds() - t0)
        }
        print("minhash_docs: \(docs.count) docs")
        print("minhash_avg_doc_bytes: \(bytes / max(1, docs.count)) bytes")
        print(String(format: "sluice_minhash: %.0f docs per CPU-second", Double(docs.count) / best))
        if sink == 42 { print("") }
    }

    static func stage(count: Int, words wordCount: Int, indexed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dedupe-bench-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StateDatabase(path: dir.appendingPathComponent("state.db").path)
        var stream = BenchDocuments(words: wordCount)
        if indexed > 0 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = cpuSeconds()
            let fill = try dedupeRun(db: db, dir: dir, run: "fill", count: indexed, stream: &stream, progress: false)
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            print("stage_indexed: \(indexed) docs (\(fill.dropped) dropped) in \(String(format: "%.1f", s)) s, \(String(format: "%.0f", Double(indexed) / (cpuSeconds() - c0))) docs per CPU-second")
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let c0 = cpuSeconds()
        let run = try dedupeRun(db: db, dir: dir, run: "bench", count: count, stream: &stream, progress: indexed == 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("state.db").path)[.size] as? Int) ?? 0
        print("stage_docs: \(count) docs (\(stream.bytes / max(1, stream.produced)) bytes each) with \(indexed) already indexed")
        print("stage_dropped: \(run.dropped) docs")
        print(String(format: "stage_begin: %.2f s (reading the index)", run.beginSeconds))
        print(String(format: "stage_throughput: %.0f docs/s (begin included)", Double(count) / seconds))
        print(String(format: "stage_throughput_cpu: %.0f docs per CPU-second", Double(count) / (cpuSeconds() - c0)))
        print(String(format: "stage_peak_rss: %.0f MB", peakRSSMegabytes()))
        print(String(format: "stage_state_db: %.0f MB", Double(size) / 1e6))
    }

    /// One run of a new dedupe stage over the next `count` documents of `stream`, committed in
    /// batches of 1000.
    static func dedupeRun(db: StateDatabase, dir: URL, run: String, count: Int, stream: inout BenchDocuments,
                          progress: Bool) throws -> (dropped: Int, beginSeconds: Double) {
        let node = ConfigNode(.mapping([
            .init(key: "key", keyLocation: nil, value: ConfigNode(.scalar("/body", quoted: false))),
            .init(key: "near_duplicates", keyLocation: nil, value: ConfigNode(.mapping([]))),
            .init(key: "versions", keyLocation: nil, value: ConfigNode(.mapping([
                .init(key: "id", keyLocation: nil, value: ConfigNode(.scalar("/doc", quoted: false))),
                .init(key: "order_by", keyLocation: nil, value: ConfigNode(.scalar("/rev", quoted: false))),
            ]))),
        ]))
        let stage = try DedupeStage(options: ComponentOptions(node: node, fields: DedupeStage.descriptor.fields),
                                    context: BuildContext(pipeline: "bench", instanceName: "dedupe", baseDirectory: dir))
        let ctx = RunContext(runID: run, pipeline: "bench", startedAt: Date(), baseDirectory: dir, stateDirectory: dir)
        try db.beginRun(RunRecord(id: run, pipeline: "bench", startedAt: Date(), actor: "bench"))
        let b0 = DispatchTime.now().uptimeNanoseconds
        try stage.begin(run: ctx, state: db)
        let beginSeconds = Double(DispatchTime.now().uptimeNanoseconds - b0) / 1e9
        var dropped = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        let c0 = cpuSeconds()
        var i = 0
        while i < count {
            var accepted = Set<String>()
            for _ in 0..<min(1000, count - i) {
                switch try stage.process(stream.next()) {
                case .pass(let r, _): accepted.insert(r.id)
                case .drop: dropped += 1
                default: break
                }
                i += 1
            }
            try db.commit(BatchCommit(runID: run, checkpoints: [:], ledger: RunLedger(), events: [],
                                      stateWrites: stage.stateWrites(accepted: accepted)))
            if progress, i % 100_000 == 0 {
                let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                FileHandle.standardError.write(Data(String(format: "  %d docs, %.0f docs/s, %.0f docs per CPU-second, peak rss %.0f MB\n",
                                                            i, Double(i) / s, Double(i) / (cpuSeconds() - c0), peakRSSMegabytes()).utf8))
            }
        }
        try db.finishRun(id: run, finishedAt: Date(), status: "succeeded", exitStatus: 0, summary: .object(JSONObject()))
        return (dropped, beginSeconds)
    }

    static func accuracy(documents: Int) throws {
        for threshold in [0.8, 0.7, 0.9] {
            let corpus = DedupeCorpus(documents: documents, versioned: documents / 10, seed: 2026)
            let node = ConfigNode(.mapping([
                .init(key: "key", keyLocation: nil, value: ConfigNode(.scalar("/body", quoted: false))),
                .init(key: "near_duplicates", keyLocation: nil, value: ConfigNode(.mapping([
                    .init(key: "threshold", keyLocation: nil, value: ConfigNode(.scalar("\(threshold)", quoted: false))),
                ]))),
                .init(key: "versions", keyLocation: nil, value: ConfigNode(.mapping([
                    .init(key: "id", keyLocation: nil, value: ConfigNode(.scalar("/doc_id", quoted: false))),
                    .init(key: "order_by", keyLocation: nil, value: ConfigNode(.scalar("/updated_at", quoted: false))),
                ]))),
            ]))
            let stage = try DedupeStage(options: ComponentOptions(node: node, fields: DedupeStage.descriptor.fields),
                                        context: BuildContext(pipeline: "bench", instanceName: "dedupe", baseDirectory: URL(fileURLWithPath: "/tmp")))
            let store = MemoryStateStore()
            try stage.begin(run: RunContext(runID: "a", pipeline: "bench", startedAt: Date(), baseDirectory: URL(fileURLWithPath: "/tmp"),
                                            stateDirectory: URL(fileURLWithPath: "/tmp")), state: store)
            var drops: [String: (code: String, related: String?)] = [:]
            var passed: [String] = []
            var superseded = Set<String>()
            let records = DedupeCorpus.makeRecords(corpus.records)
            for start in stride(from: 0, to: records.count, by: 500) {
                var accepted = Set<String>()
                for r in records[start..<min(records.count, start + 500)] {
                    switch try stage.process(r) {
                    case .pass(let rec, let notes):
                        passed.append(rec.id)
                        accepted.insert(rec.id)
                        for n in notes { superseded.formUnion(Supersession.ids(in: n.details)) }
                    case .drop(let rec, let reason): drops[rec.id] = (reason.code, reason.relatedID)
                    default: break
                    }
                }
                try store.commit(BatchCommit(runID: "a", checkpoints: [:], ledger: RunLedger(), events: [],
                                             stateWrites: stage.stateWrites(accepted: accepted)))
            }
            let norm = TextNormalizer()
            let a = DedupeAccuracy(corpus: corpus, threshold: threshold, drops: drops, passed: passed, superseded: superseded,
                                   normalize: { norm.normalize($0) }, shingles: { body in
                                       let t = Shingler.tokens(norm.normalize(body))
                                       guard t.count >= 5 else { return [t] }
                                       return Set((0...(t.count - 5)).map { Array(t[$0..<($0 + 5)]) })
                                   })
            print("# threshold \(threshold), \(corpus.records.count) records")
            print(a.description)
        }
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// The stage benchmark's documents: `words` words (400: about 2 KB); one in ten a near copy of
/// the previous document, one in twenty an exact copy, one in twenty a new version of an earlier one.
struct BenchDocuments {
    let words: Int
    var rng = SplitMix64(seed: 99)
    let vocabulary = (0..<20_000).map { i in "w\(String(i, radix: 36))" }
    var previous: [String] = []
    var produced = 0
    var bytes = 0

    init(words: Int) { self.words = words }

    mutating func next() -> Record {
        let i = produced
        var words: [String]
        let roll = rng.next() % 20
        if roll < 2, !previous.isEmpty {
            words = previous
            words[Int(rng.next() % UInt64(words.count))] = vocabulary[Int(rng.next() % 20_000)]
        } else if roll == 2, !previous.isEmpty {
            words = previous
        } else {
            words = (0..<self.words).map { _ in vocabulary[Int(rng.next() % 20_000)] }
        }
        previous = words
        let body = words.joined(separator: " ")
        bytes += body.utf8.count
        produced += 1
        let doc = roll == 3 ? "doc\(rng.next() % UInt64(max(1, i)))" : "doc\(i)"
        let value: JSONValue = .object(JSONObject([("id", .string("r\(i)")), ("doc", .string(doc)),
                                                   ("rev", .number(JSONNumber(i))), ("body", .string(body))]))
        return Record(id: "r\(i)", value: value, provenance: Provenance(input: "bench", uri: "bench", locator: Locator(index: i), sha256: ""))
    }
}
