public import Foundation
public import SluiceJSON

/// The state a dry run works on: reads see the pipeline's committed state (opened read-only, when
/// there is one) with the dry run's own batches on top; nothing reaches the real state. So a dry
/// run previews what the next `run` would do: files read before are skipped, records already in
/// the dedupe index are duplicates, an interrupted run is resumed.
public final class DryRunStateStore: StateStore {
    private let base: (any StateStore)?
    private var checkpointOverlay: [String: JSONValue] = [:]
    /// Stage state written by the dry run; a nil value hides (deletes) the committed one.
    private var stageOverlay: [String: [String: [UInt8]?]] = [:]
    private var runs: [RunRecord] = []

    /// `base` is the committed state, opened read-only; nil when the pipeline never ran.
    public init(base: (any StateStore)?) {
        self.base = base
    }

    public func checkpoints() throws -> [String: JSONValue] {
        (try base?.checkpoints() ?? [:]).merging(checkpointOverlay) { $1 }
    }

    public func unfinishedRuns() throws -> [RunRecord] { try base?.unfinishedRuns() ?? [] }

    public func recentRuns(limit: Int) throws -> [RunRecord] {
        Array((runs.reversed() + (try base?.recentRuns(limit: limit) ?? [])).prefix(limit))
    }

    public func beginRun(_ run: RunRecord) throws { runs.append(run) }

    public func commit(_ batch: BatchCommit) throws {
        for (k, v) in batch.checkpoints { checkpointOverlay[k] = v }
        for w in batch.stateWrites { stageOverlay[w.namespace, default: [:]][w.key] = .some(w.value) }
        if let i = runs.lastIndex(where: { $0.id == batch.runID }) { runs[i].ledger += batch.ledger }
    }

    public func finishRun(id: String, finishedAt: Date, status: String, exitStatus: Int32, summary: JSONValue) throws {
        if let i = runs.lastIndex(where: { $0.id == id }) {
            runs[i].finishedAt = finishedAt
            runs[i].status = status
        }
    }

    public func value(namespace: String, key: String) throws -> [UInt8]? {
        if let written = stageOverlay[namespace]?[key] { return written }
        return try base?.value(namespace: namespace, key: key)
    }

    public func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] {
        var merged: [String: [UInt8]] = [:]
        for (k, v) in try base?.values(namespace: namespace, prefix: prefix) ?? [] { merged[k] = v }
        for (k, v) in stageOverlay[namespace] ?? [:] where k.hasPrefix(prefix) { merged[k] = v }
        return merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func values(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        let overlay = stageOverlay[namespace] ?? [:]
        var out = try base?.values(namespace: namespace, keys: keys.filter { overlay[$0] == nil }) ?? [:]
        for k in keys { if let written = overlay[k] { out[k] = written } }
        return out
    }
}
