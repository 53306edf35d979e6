public import Foundation
public import SluiceCore
import SluiceJSON
import SluiceStore

/// Replays quarantine entries through the pipeline as it is now (after a schema or stage fix).
///
/// The replay is an ordinary run of the pipeline (same lock, state DB, outputs, quarantine,
/// ledger, audit trail) whose only input yields the chosen entries' records, rebuilt from their
/// originals with their ids and provenance. A first stage, `quarantine_replay`, sees every
/// replayed record and marks its entry in the state DB (`stage_state`, namespace
/// `quarantine:replayed`) in the same transaction that commits the record's batch: an entry is
/// marked exactly when its outcome (written, dropped or quarantined again) is committed, so a
/// crash mid-replay leaves the rest unmarked and a second replay never writes a record twice.
/// Each replayed record's audit trail gets a `replayed_from_quarantine` event naming its entry.
public enum QuarantineReplay {
    public static let namespace = "quarantine:replayed"

    /// Entry id → the replay run that took it, for the entries already replayed.
    public static func marks(stateDirectory: URL) -> [String: String] {
        let path = stateDirectory.appendingPathComponent("state.db").path
        guard FileManager.default.fileExists(atPath: path), let db = try? StateDatabase(path: path, readOnly: true),
              let rows = try? db.values(namespace: namespace, prefix: "") else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in rows { out[k] = (try? JSONParser.parse(v))?["run"]?.stringValue ?? "" }
        return out
    }

    /// The plan that replays `entries` (which must be replayable): the pipeline's stages and
    /// outputs behind the marking stage, with one input holding the rebuilt records.
    public static func plan(_ plan: PipelinePlan, entries: [QuarantineEntry]) throws -> PipelinePlan {
        var p = plan
        // One record per record id (the newest entry's original), marking every entry of that id:
        // a record quarantined twice is replayed once.
        var groups: [String: [QuarantineEntry]] = [:]
        var order: [String] = []
        for e in entries {
            let key = e.recordID ?? "quarantine:\(e.id)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(e)
        }
        let records = try order.compactMap { try groups[$0]?.max(by: { $0.line < $1.line })?.record() }
        p.inputs = [.init(name: "quarantine", type: "quarantine_replay", component: ReplayInput(records: records))]
        p.stages = [.init(name: "quarantine_replay", type: "quarantine_replay", component: ReplayMarkerStage(entries: groups))] + plan.stages
        return p
    }
}

/// Yields a fixed list of records; built only by `QuarantineReplay`, never from YAML.
struct ReplayInput: Input {
    static let descriptor = ComponentDescriptor(kind: .input, name: "quarantine_replay",
                                                summary: "Records rebuilt from quarantine entries (used by `sluice quarantine replay`).", fields: [])
    let records: [Record]

    init(records: [Record]) { self.records = records }

    init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("invalid_value", "the quarantine_replay input is made by `sluice quarantine replay`, not by pipelines", at: nil)
    }

    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource { Source(records) }

    final class Source: RecordSource {
        let records: [Record]
        var next = 0
        init(_ records: [Record]) { self.records = records }
        func next() async throws -> SourceItem? {
            guard next < records.count else { return nil }
            defer { next += 1 }
            return .record(records[next])
        }
        // Replays never resume from a checkpoint: a crash leaves the unmarked entries to replay.
        var checkpoint: Checkpoint { .null }
    }
}

/// Passes every record on, noting its entry; marks the entries of each committed batch.
struct ReplayMarkerStage: StatefulStage {
    static let descriptor = ComponentDescriptor(kind: .stage, name: "quarantine_replay",
                                                summary: "Marks replayed quarantine entries (used by `sluice quarantine replay`).", fields: [])
    let entries: [String: [QuarantineEntry]]
    private let pending = Pending()

    init(entries: [String: [QuarantineEntry]]) { self.entries = entries }

    init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("invalid_value", "the quarantine_replay stage is made by `sluice quarantine replay`, not by pipelines", at: nil)
    }

    func begin(run: RunContext, state: any StageStateReader) throws { pending.runID = run.runID }

    func process(_ record: Record) throws -> StageOutcome {
        guard let es = entries[record.id] else { return .pass(record) }
        for e in es { pending.add(e.id) }
        return .pass(record, notes: es.map { e in
            StageNote(.replayedFromQuarantine, details: [
                "entry": .string(e.id), "quarantined_in_run": .string(e.run), "code": .string(e.code),
            ])
        })
    }

    func stateWrites(accepted: Set<String>) -> [StateWrite] {
        let run = pending.runID
        return pending.take().map { id in
            StateWrite(namespace: QuarantineReplay.namespace, key: id, value: JSONWriter.bytes(["run": .string(run)]))
        }
    }

    final class Pending: @unchecked Sendable {
        private let ids = Locked<[String]>([])
        var runID = ""
        func add(_ id: String) { ids.withLock { $0.append(id) } }
        func take() -> [String] { ids.withLock { taken in defer { taken = [] }; return taken } }
    }
}
