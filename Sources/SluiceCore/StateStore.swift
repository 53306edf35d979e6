public import Foundation
public import SluiceJSON

/// The durable state of one pipeline: checkpoints, the run ledger and the audit trail.
///
/// SQLite (SluiceStore) implements it; a shared database could replace it. Contract:
/// `commit(_:)` is one transaction: checkpoints, ledger counts and audit events of a batch are
/// all stored or none is. The runner calls it only after every output accepted the batch.
public protocol StateStore: StageStateReader {
    /// The checkpoints committed so far, by key (`input:<name>`, `output:<name>`, `quarantine`).
    func checkpoints() throws -> [String: JSONValue]
    /// Runs that started and never finished (a crash or `kill -9`), newest first.
    func unfinishedRuns() throws -> [RunRecord]
    func beginRun(_ run: RunRecord) throws
    func commit(_ batch: BatchCommit) throws
    func finishRun(id: String, finishedAt: Date, status: String, exitStatus: Int32, summary: JSONValue) throws
    /// The most recent finished runs, newest first.
    func recentRuns(limit: Int) throws -> [RunRecord]
}

/// One run as the state DB records it.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var pipeline: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var ledger: RunLedger
    public var actor: String

    public init(id: String, pipeline: String, startedAt: Date, finishedAt: Date? = nil, status: String = "running",
                ledger: RunLedger = RunLedger(), actor: String) {
        self.id = id
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.ledger = ledger
        self.actor = actor
    }
}

/// What one batch changes in the state, committed atomically.
public struct BatchCommit: Sendable {
    public var runID: String
    public var checkpoints: [String: JSONValue]
    public var ledger: RunLedger
    public var events: [AuditEvent]
    /// Stateful stages' changes for the records this batch wrote.
    public var stateWrites: [StateWrite]

    public init(runID: String, checkpoints: [String: JSONValue], ledger: RunLedger, events: [AuditEvent], stateWrites: [StateWrite] = []) {
        self.runID = runID
        self.checkpoints = checkpoints
        self.ledger = ledger
        self.events = events
        self.stateWrites = stateWrites
    }
}
