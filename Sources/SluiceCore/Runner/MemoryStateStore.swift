public import Foundation
public import SluiceJSON

/// A state store that lives in memory: for `--dry-run`, `sluice test` and unit tests.
public final class MemoryStateStore: StateStore {
    public private(set) var stored: [String: JSONValue] = [:]
    public private(set) var runs: [RunRecord] = []
    public private(set) var events: [AuditEvent] = []
    public private(set) var stageState: [String: [String: [UInt8]]] = [:]

    public init() {}

    public func checkpoints() throws -> [String: JSONValue] { stored }
    public func unfinishedRuns() throws -> [RunRecord] { runs.filter { $0.finishedAt == nil }.reversed() }
    public func recentRuns(limit: Int) throws -> [RunRecord] { Array(runs.reversed().prefix(limit)) }

    public func value(namespace: String, key: String) throws -> [UInt8]? { stageState[namespace]?[key] }

    public func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] {
        (stageState[namespace] ?? [:]).filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func beginRun(_ run: RunRecord) throws {
        for i in runs.indices where runs[i].finishedAt == nil {
            runs[i].finishedAt = run.startedAt
            runs[i].status = "interrupted"
        }
        runs.append(run)
    }

    public func commit(_ batch: BatchCommit) throws {
        for (k, v) in batch.checkpoints { stored[k] = v }
        events += batch.events
        for w in batch.stateWrites { stageState[w.namespace, default: [:]][w.key] = w.value }
        if let i = runs.lastIndex(where: { $0.id == batch.runID }) { runs[i].ledger += batch.ledger }
    }

    public func finishRun(id: String, finishedAt: Date, status: String, exitStatus: Int32, summary: JSONValue) throws {
        if let i = runs.lastIndex(where: { $0.id == id }) {
            runs[i].finishedAt = finishedAt
            runs[i].status = status
        }
    }
}
