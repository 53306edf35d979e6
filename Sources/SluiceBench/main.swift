import Foundation

// `sluice-bench NAME [ARGS...]`: the release-build benchmarks. Each one prints its figures as
// lines of `name: value unit`; the scripts in bench/ run them side by side with the Python peers.
let benchmarks: [(name: String, summary: String, run: ([String]) throws -> Void)] = [
    ("json", "JSON parse and write throughput", JSONBench.run),
    ("schema", "JSON Schema validation throughput", SchemaBench.run),
    ("repair", "encoding repair throughput", RepairBench.run),
    ("charset", "charset detection accuracy and speed on a labelled set", CharsetBench.run),
    ("chunk", "chunking throughput", ChunkBench.run),
    ("dedupe", "MinHash signatures, dedupe-stage throughput and memory, accuracy", DedupeBench.run),
    ("formats", "file input read throughput and peak memory for one file", FormatsBench.run),
    ("map", "the map stage with a 12-assignment mapping, and the language's cost per assignment", MapBench.run),
    ("corpus", "the messy corpus with ground truth: generate it, score a run", CorpusBench.run),
]

let args = Array(CommandLine.arguments.dropFirst())
guard let name = args.first, let bench = benchmarks.first(where: { $0.name == name }) else {
    print("usage: sluice-bench NAME [ARGS...]\n")
    for b in benchmarks { print("  \(b.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(b.summary)") }
    exit(64)
}
do {
    try bench.run(Array(args.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("sluice-bench \(name): \(error)\n".utf8))
    exit(1)
}
