import Foundation
import SluiceCore
import SluiceJSON
import SluiceMap
import SluiceTesting

/// `sluice-bench map [--records N] [--rounds N] [--write-data DIR]`: the `map` stage with a
/// 12-assignment mapping (conversions, split, a nested object, a regex capture, a timestamp
/// parse) over N seeded records of about 1 KB (default 200,000). Prints the whole stage's rate on
/// 2 threads (wall clock) and on one (thread CPU time), and the language's own cost per
/// assignment. With `--write-data DIR`, writes `records.jsonl`, `mapping.txt` and the stage's
/// output for the first 1000 records (`expected.jsonl`), so that bench/map/python_peer.py runs
/// the same mapping over the same records and checks that it gives the same results.
enum MapBench {
    static let mapping = #"""
        .count = to_int(.count) ?? 0
        .price = to_float(.price) ?? 0
        .active = to_bool(.active) ?? false
        .version = to_int(.version) ?? 1
        .tags = split(.tags, "|")
        .author = {"name": trim(.author_name), "email": lower(.author_email)}
        .published = parse_timestamp(.published) ?? null
        .doc_id = capture(.url, r'/(?<kind>[a-z]+)-(?<id>[a-z0-9]+)\.txt$').id ?? null
        .title = trim(.title)
        .lang = lower(.lang)
        .source = "feed:" + %input
        .words = length(split(.summary, " "))
        """#
    static let assignments = 12

    static func run(_ args: [String]) throws {
        var count = 200_000, rounds = 3
        var dataDir: String?
        var it = args.makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--records": count = Int(it.next() ?? "") ?? count
            case "--rounds": rounds = Int(it.next() ?? "") ?? rounds
            case "--write-data": dataDir = it.next()
            default: throw SluiceError(.usage, "unknown argument \(arg); usage: sluice-bench map [--records N] [--rounds N] [--write-data DIR]")
            }
        }
        var generator = MapBenchRecords(seed: 7)
        let records = (0..<count).map { generator.record($0) }
        let bytes = records.reduce(0) { $0 + JSONWriter.string($1.value).utf8.count }
        let node = ConfigNode(.mapping([.init(key: "mapping", keyLocation: nil, value: ConfigNode(.scalar(mapping, quoted: false)))]))
        let dir = FileManager.default.temporaryDirectory
        let stage = try MapStage(options: ComponentOptions(node: node, fields: MapStage.descriptor.fields),
                                 context: BuildContext(pipeline: "bench", instanceName: "map", baseDirectory: dir))
        var mapped: [JSONValue] = []
        for r in records.prefix(1000) {
            guard case .pass(let out, _) = try stage.process(r) else { throw SluiceError(.dataError, "the mapping failed on record \(r.id)") }
            mapped.append(out.value)
        }
        if let dataDir { try write(records, mapped, to: URL(fileURLWithPath: dataDir)) }
        print("map_records: \(count) records, \(bytes / max(count, 1)) bytes per record, \(assignments) assignments")

        // The whole stage (metadata, mapping, new record, transformed note) on 2 threads.
        let halves = [Array(records[..<(count / 2)]), Array(records[(count / 2)...])]
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = monotonicSeconds()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                for r in halves[i] { _ = try? stage.process(r) }
            }
            best = min(best, monotonicSeconds() - start)
        }
        print("map_stage_2_threads_records_per_sec: \(Int(Double(count) / best)) records/s (wall clock)")
        let oneThread = bestCPU(rounds) { for r in records { _ = try? stage.process(r) } }
        print("map_stage_1_thread_records_per_sec: \(Int(Double(count) / oneThread)) records/s (thread CPU time)")

        // The language alone: the program over the values, less an empty program's cost (the
        // run's fixed work: evaluator set-up, result), per assignment.
        let values = records.map(\.value)
        let metadata = MapMetadata(input: "feed", uri: "memory:feed")
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        func programCost(_ source: String) throws -> Double {
            let program = try MapProgram(source: source)
            return bestCPU(rounds) { for v in values { _ = try? program.run(v, metadata: metadata, now: now) } } / Double(count)
        }
        let empty = try programCost("")
        let full = try programCost(mapping)
        let copies = try programCost((1...assignments).map { ".copy\($0) = .title" }.joined(separator: "\n"))
        print(String(format: "map_program_ns_per_record: %.0f ns (empty program: %.0f ns)", full * 1e9, empty * 1e9))
        print(String(format: "map_cost_per_assignment_ns: %.0f ns (this mapping's average, functions included)",
                     (full - empty) / Double(assignments) * 1e9))
        print(String(format: "map_overhead_per_assignment_ns: %.0f ns (`.copyN = .title`: read a path, set a field)",
                     (copies - empty) / Double(assignments) * 1e9))
    }

    static func write(_ records: [Record], _ mapped: [JSONValue], to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(mapping.utf8).write(to: dir.appendingPathComponent("mapping.txt"))
        try Data(records.map { JSONWriter.string($0.value) + "\n" }.joined().utf8).write(to: dir.appendingPathComponent("records.jsonl"))
        try Data(mapped.map { JSONWriter.string($0) + "\n" }.joined().utf8).write(to: dir.appendingPathComponent("expected.jsonl"))
    }

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The least thread CPU time `body` took in `rounds` runs (the machine is shared).
    static func bestCPU(_ rounds: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<max(rounds, 1) { best = min(best, SchemaBench.measure(body)) }
        return best
    }
}

/// Seeded records of about 1 KB as a CSV or feed export gives them: numbers, booleans and dates
/// as strings in mixed formats, `|`-separated tags, author name and email apart.
struct MapBenchRecords {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let words = ["data", "pipeline", "schema", "record", "stream", "batch", "index", "quality", "ingest", "café",
                        "retrieval", "chunk", "audit", "ledger", "version", "source", "export", "feed", "note", "field"]
    static let dates = ["2024-03-05T14:07:00+01:00", "Tue, 05 Mar 2024 14:07:00 +0000", "2024-03-05", "2023-11-14T22:13:20Z",
                        "Mon, 4 Mar 2024 08:00:00 -0500", "2022-02-28"]
    static let booleans = ["yes", "no", "true", "false", "1", "0", "On", "off"]

    mutating func words(_ n: Int) -> String { (0..<n).map { _ in Self.words[rng.below(Self.words.count)] }.joined(separator: " ") }

    mutating func record(_ i: Int) -> Record {
        let id = String(format: "art-%06d", i)
        let kind = ["art", "note", "memo"][rng.below(3)]
        let value: JSONValue = .object(JSONObject([
            ("id", .string(id)),
            ("url", .string("https://example.org/\(words(1))/\(kind)-x\(rng.below(100_000)).txt")),
            ("title", .string("  " + words(6) + " ")),
            ("lang", .string(["EN", "De", "fr", "nl"][rng.below(4)])),
            ("count", .string(rng.below(10) == 0 ? "n/a" : " \(rng.below(10_000))")),
            ("price", .string("\(rng.below(1000)).\(rng.below(90) + 10)")),
            ("active", .string(Self.booleans[rng.below(Self.booleans.count)])),
            ("version", .string(String(rng.below(9) + 1))),
            ("tags", .string(words(rng.below(4) + 1).replacingOccurrences(of: " ", with: "|"))),
            ("author_name", .string(" Author \(words(1).capitalized) ")),
            ("author_email", .string("Author.\(rng.below(100_000))@Example.org")),
            ("published", .string(Self.dates[rng.below(Self.dates.count)])),
            ("summary", .string(words(28))),
            ("body", .string(words(80))),
        ]))
        return Record(id: id, value: value, provenance: Provenance(input: "feed", uri: "memory:feed", locator: Locator(index: i), sha256: ""))
    }
}
