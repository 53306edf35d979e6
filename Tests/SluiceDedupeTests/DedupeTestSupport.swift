import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting

/// Options as a user writes them, from a JSON literal.
func configNode(_ v: JSONValue, path: String = "") -> ConfigNode {
    switch v {
    case .null: return ConfigNode(.null, path: path)
    case .bool(let b): return ConfigNode(.scalar(b ? "true" : "false", quoted: false), path: path)
    case .number(let n): return ConfigNode(.scalar(n.description, quoted: false), path: path)
    case .string(let s): return ConfigNode(.scalar(s, quoted: true), path: path)
    case .array(let a): return ConfigNode(.sequence(a.enumerated().map { configNode($0.element, path: path + "/\($0.offset)") }), path: path)
    case .object(let o):
        return ConfigNode(.mapping(o.map { ConfigNode.Entry(key: $0.key, keyLocation: nil, value: configNode($0.value, path: path + "/" + $0.key)) }), path: path)
    }
}

func makeDedupe(_ options: JSONValue, name: String = "dedupe") throws -> DedupeStage {
    try DedupeStage(options: ComponentOptions(node: configNode(options), fields: DedupeStage.descriptor.fields),
                    context: BuildContext(pipeline: "t", instanceName: name, baseDirectory: URL(fileURLWithPath: "/tmp")))
}

func runContext() -> RunContext {
    RunContext(runID: "test", pipeline: "t", startedAt: Date(timeIntervalSince1970: 0), time: SystemTimeSource(),
               baseDirectory: URL(fileURLWithPath: "/tmp"), stateDirectory: URL(fileURLWithPath: "/tmp"),
               limits: Limits(), dryRun: false)
}

/// Drives a stage the way the runner does (batches; only passed records accepted; state
/// committed after each batch) and records every outcome.
struct StageDriver {
    struct Outcome {
        var passed: [String] = []
        var dropped: [String: DropReason] = [:]
        var quarantined: [String] = []
        /// new id → ids it superseded
        var superseded: [String: [String]] = [:]
    }

    static func run(_ stage: DedupeStage, _ values: [JSONValue], store: MemoryStateStore, batchSize: Int = 50,
                    accept: (String) -> Bool = { _ in true }) throws -> Outcome {
        try stage.begin(run: runContext(), state: store)
        var out = Outcome()
        let records = DedupeCorpus.makeRecords(values)
        var start = 0
        while start < records.count {
            let batch = records[start..<min(records.count, start + batchSize)]
            start += batchSize
            var accepted = Set<String>()
            for r in batch {
                switch try stage.process(r) {
                case .pass(let rec, let notes):
                    out.passed.append(rec.id)
                    if accept(rec.id) { accepted.insert(rec.id) }
                    for n in notes where n.kind == Supersession.kind {
                        out.superseded[rec.id, default: []] += Supersession.ids(in: n.details)
                    }
                case .drop(let rec, let reason): out.dropped[rec.id] = reason
                case .quarantine(let f): out.quarantined.append(f.recordID ?? "")
                case .emit, .derive: break
                }
            }
            try store.commit(BatchCommit(runID: "test", checkpoints: [:], ledger: RunLedger(), events: [],
                                         stateWrites: stage.stateWrites(accepted: accepted)))
        }
        return out
    }
}
