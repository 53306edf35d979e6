import Foundation
import SluiceJSON
import SluiceTesting

/// `sluice-bench corpus generate --seed N --docs N --out DIR`: writes the messy corpus
/// (`DIR/files/...`, `DIR/truth.jsonl`).
/// `sluice-bench corpus score --truth FILE --out-dir DIR [--json FILE]`: scores a run of
/// `pipelines/messy-reference.yaml` whose outputs are in DIR (`records.jsonl`, `quarantine.jsonl`,
/// and `audit.jsonl` from `sluice audit export --format jsonl`).
enum CorpusBench {
    struct Usage: Error, CustomStringConvertible {
        var description: String {
            "usage: sluice-bench corpus generate --seed N --docs N --out DIR\n       sluice-bench corpus score --truth FILE --out-dir DIR [--json FILE]"
        }
    }

    static func run(_ args: [String]) throws {
        func value(_ name: String) -> String? {
            guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
            return args[i + 1]
        }
        switch args.first {
        case "generate":
            guard let out = value("--out"), let docs = value("--docs").flatMap(Int.init), docs > 0 else { throw Usage() }
            let seed = value("--seed").flatMap(UInt64.init) ?? 1
            let corpus = MessyCorpus(seed: seed, documents: docs)
            let w = try corpus.write(to: URL(fileURLWithPath: out))
            print("corpus/records: \(w.records)")
            print("corpus/files: \(w.files)")
            print("corpus/bytes: \(w.bytes)")
        case "score":
            guard let truth = value("--truth"), let dir = value("--out-dir") else { throw Usage() }
            let d = URL(fileURLWithPath: dir)
            let audit = d.appendingPathComponent("audit.jsonl")
            let score = try MessyCorpusScore.score(truth: URL(fileURLWithPath: truth), records: d.appendingPathComponent("records.jsonl"),
                                                   quarantine: d.appendingPathComponent("quarantine.jsonl"),
                                                   audit: FileManager.default.fileExists(atPath: audit.path) ? audit : nil)
            print(score.report)
            if let json = value("--json") {
                try Data(JSONWriter.bytes(score.json, options: .init(prettyPrinted: true))).write(to: URL(fileURLWithPath: json))
            }
        default:
            throw Usage()
        }
    }
}
