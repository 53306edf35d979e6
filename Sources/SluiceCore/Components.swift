public import Foundation
public import Logging
public import SluiceJSON

/// What a component's constructor knows about where it is being built.
public struct BuildContext: Sendable {
    /// The pipeline's name (its file name without extension unless set with `name:`).
    public var pipeline: String
    /// The component's instance name in the pipeline (`name:` or its type).
    public var instanceName: String
    /// Relative paths in options resolve against this folder (the pipeline file's folder's
    /// parent project, see `PipelinePlan.baseDirectory`).
    public var baseDirectory: URL
    public var logger: Logger
    /// The credentials file given to the command (`--credentials`, `SLUICE_CREDENTIALS`), if any.
    /// Components that send requests look up the credential they name here.
    public var credentials: CredentialStore?

    public init(pipeline: String, instanceName: String, baseDirectory: URL, logger: Logger = Logger(label: "sluice"),
                credentials: CredentialStore? = nil) {
        self.pipeline = pipeline
        self.instanceName = instanceName
        self.baseDirectory = baseDirectory
        self.logger = logger
        self.credentials = credentials
    }

    /// Resolves a path from the options against the base folder.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path).standardizedFileURL
    }
}

/// A source of records: `file`, `http`.
///
/// An input is built once per run from its options. `open` returns a source that yields records
/// one at a time, on demand (backpressure: nothing is read ahead of what the runner asks for).
public protocol Input: Sendable {
    static var descriptor: ComponentDescriptor { get }
    init(options: ComponentOptions, context: BuildContext) throws
    /// Opens the input, resuming after `checkpoint` (what an earlier run committed), if any.
    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource
}

/// A record stream of one input for one run.
///
/// Contract: after `next()` returned an item, `checkpoint` describes a position from which a
/// later `open` resumes with the item after it. The runner commits it only with the batch that
/// holds that item, so a crash never skips a record.
public protocol RecordSource: AnyObject {
    func next() async throws -> SourceItem?
    var checkpoint: Checkpoint { get }
    /// How far this run's reading has come (files n of N, pages), for the progress display;
    /// nil when the source cannot tell (the default).
    var progress: SourceProgress? { get }
}

/// What a source yields.
public enum SourceItem: Sendable {
    case record(Record)
    /// A record that could not be read or decoded; it is quarantined.
    case failure(RecordFailure)
    /// A fact for the log and the summary (`skipped 3 unchanged files`).
    case notice(SourceNotice)
    /// Work the input could not do now (an upstream is down): counted as a deferred page
    /// (`RunLedger.deferredPages`), not as a record, and the run exits 75. The input's checkpoint
    /// must make the next run try it again.
    case deferred(DeferredWork)
    /// An event for the audit trail about the input's own work (`fetched`, `retried`,
    /// `credential_used`, `circuit_opened`, ...). The runner records it with the next batch.
    case event(AuditEvent)
}

/// A unit of work an input deferred to a later run: a page, a file, a request.
public struct DeferredWork: Sendable, Hashable {
    /// What was deferred, in words (`page 3 of https://api.example.com/v1/items`).
    public var description: String
    /// Why (`circuit_open`, `retry_after_too_long`, `upstream_unavailable`).
    public var reason: String
    public var uri: String?
    public init(description: String, reason: String, uri: String? = nil) {
        self.description = description
        self.reason = reason
        self.uri = uri
    }
}

public struct SourceNotice: Sendable, Hashable {
    public var code: String
    public var message: String
    /// How many things the notice is about (files skipped, pages fetched); summed in the summary.
    public var count: Int
    public init(code: String, message: String, count: Int = 1) {
        self.code = code
        self.message = message
        self.count = count
    }
}

/// An input's or output's resumable position, kept in the state DB as JSON.
public typealias Checkpoint = JSONValue

/// A transform over records: `require_fields`, `repair_encoding`, `dedupe`, `chunk`. A stage is
/// one of two kinds, `StatelessStage` or `StatefulStage`; the runner treats a stage of neither
/// kind like a stateful one without state (one record at a time, in order).
///
/// Contract every stage keeps:
/// - **Determinism**: the same record and options give the same outcome, whatever else is in
///   the batch (stateful stages: whatever came before in this and earlier runs, in order).
/// - Returning `.quarantine` or throwing `RecordFailure` quarantines one record and the run goes
///   on; any other error stops the run.
/// - Stages never write logs about record content or the audit trail themselves: they return
///   outcomes with reasons and notes, and the runner records them.
public protocol Stage: Sendable {
    static var descriptor: ComponentDescriptor { get }
    init(options: ComponentOptions, context: BuildContext) throws
    /// Called once before the first record of a run. Stateful stages read what earlier runs
    /// committed through `state` (for example a dedupe index); they must not keep the reader
    /// past the run.
    func begin(run: RunContext, state: any StageStateReader) throws
    func process(_ record: Record) throws -> StageOutcome
}

extension Stage {
    public func begin(run: RunContext, state: any StageStateReader) throws {}
}

/// A stage whose outcome depends on the record alone (`map`, `validate_schema`, `chunk`): the
/// runner calls it from several threads at once and keeps the input order of the outcomes.
public protocol StatelessStage: Stage {}

/// A stage that remembers what it saw (`dedupe`): it sees records one at a time, in input order,
/// each batch after the batches before it are committed; what it remembers is committed with
/// the batch, for the records the outputs accepted.
public protocol StatefulStage: Stage {
    /// Flushes whatever the stage held back (records it buffered); runs once at the end.
    func finish() throws -> [StageOutcome]
    /// Called after every output accepted a batch, with the ids of the records written (and of
    /// the parents of written records). Returns the durable changes the stage wants for them;
    /// they are committed in the batch's state transaction, so a record that was not written is
    /// never remembered as seen.
    func stateWrites(accepted: Set<String>) -> [StateWrite]
    /// Called during a batch when records this stage passed will not be written after all (a
    /// later stage quarantined or dropped them). The stage forgets what it holds pending for
    /// them (nothing committed is touched), so that the records it dropped because of them can
    /// be processed again and judged without them: the runner then re-runs those records from
    /// this stage. Called with every id rejected so far in the batch (repeats are harmless).
    func forget(rejected: Set<String>)
}

extension StatefulStage {
    public func finish() throws -> [StageOutcome] { [] }
    public func stateWrites(accepted: Set<String>) -> [StateWrite] { [] }
    public func forget(rejected: Set<String>) {}
}

/// Read access to the durable key-value state of stateful stages (committed by earlier batches
/// and runs). Keys live in namespaces, one or more per stage (`dedupe.exact:<stage name>`).
public protocol StageStateReader: AnyObject {
    func value(namespace: String, key: String) throws -> [UInt8]?
    /// Every key and value in `namespace` whose key starts with `prefix`, in key order.
    func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])]
    /// The values of several keys at once (absent keys are missing from the result): one round
    /// trip where a store can do it, for stages that look up many keys per record.
    func values(namespace: String, keys: [String]) throws -> [String: [UInt8]]
}

extension StageStateReader {
    public func values(namespace: String, keys: [String]) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for k in keys { if let v = try value(namespace: namespace, key: k) { out[k] = v } }
        return out
    }
}

/// One change to stage state: `value == nil` deletes the key.
public struct StateWrite: Sendable, Hashable {
    public var namespace: String
    public var key: String
    public var value: [UInt8]?
    public init(namespace: String, key: String, value: [UInt8]?) {
        self.namespace = namespace
        self.key = key
        self.value = value
    }
}

/// A destination: `jsonl`, `sqlite`.
///
/// Outputs accumulate across runs and never clobber what earlier runs wrote.
public protocol Output: Sendable {
    static var descriptor: ComponentDescriptor { get }
    init(options: ComponentOptions, context: BuildContext) throws
    /// Opens for one run. `checkpoint` is what the last committed batch returned; an output
    /// discards anything it wrote after it (a crashed run's uncommitted tail).
    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter
}

/// One run's writer. The runner calls `write` for each batch, then `commit`, whose checkpoint goes
/// into the same state transaction as the batch; `finish` once at the end of a successful run.
public protocol OutputWriter: AnyObject {
    func write(_ records: [Record]) throws
    /// Makes everything written so far durable and returns the position to resume from.
    func commit() throws -> Checkpoint?
    /// Publishes the run's result (rename into place) after the last commit.
    func finish() throws
    /// A short description of where the records went, for the summary (`out/records.jsonl`).
    var destination: String { get }
    /// Replaces earlier records: the records with these ids, and every record whose parent is
    /// one of them, are superseded by record `newID` (a newer version of the same document),
    /// which the runner writes right after. Part of the current batch: durable with the next
    /// `commit`, discarded with it after a crash. The default does nothing (an output that
    /// cannot delete keeps the old records).
    func supersede(ids: [String], by newID: String) throws
}

extension OutputWriter {
    public func supersede(ids: [String], by newID: String) throws {}
}

/// A component that can check its surroundings before a run: `sluice validate` calls it (a file
/// input reports a glob that matches nothing, a missing folder). Nothing is read or written.
public protocol PreflightCheckable {
    func preflight() -> [ConfigDiagnostic]
}
