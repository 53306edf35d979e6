public import Foundation
public import Logging

/// What inputs, outputs and stages know about the run they take part in.
public struct RunContext: Sendable {
    public var runID: String
    public var pipeline: String
    public var startedAt: Date
    public var time: any TimeSource
    public var logger: Logger
    /// Relative paths resolve against this folder.
    public var baseDirectory: URL
    /// The pipeline's state folder (`.sluice/<pipeline>`).
    public var stateDirectory: URL
    public var limits: Limits
    /// True for `--dry-run` and `sluice test`: nothing may be written outside memory.
    public var dryRun: Bool
    /// Random numbers for jitter, injected so that tests are reproducible.
    public var random: any RandomSource

    public init(runID: String, pipeline: String, startedAt: Date, time: any TimeSource = SystemTimeSource(),
                logger: Logger = Logger(label: "sluice"), baseDirectory: URL, stateDirectory: URL,
                limits: Limits = Limits(), dryRun: Bool = false, random: any RandomSource = SystemRandomSource()) {
        self.random = random
        self.runID = runID
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.time = time
        self.logger = logger
        self.baseDirectory = baseDirectory
        self.stateDirectory = stateDirectory
        self.limits = limits
        self.dryRun = dryRun
    }

    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path).standardizedFileURL
    }
}

/// Safety limits that keep hostile input from exhausting memory or time. Set in the pipeline's
/// `limits:` section.
public struct Limits: Sendable, Hashable {
    /// A record (a line, a file, a decoded element) larger than this is quarantined.
    public var maxRecordBytes: Int = 16 * 1024 * 1024
    /// JSON and XML nesting deeper than this is quarantined.
    public var maxDepth: Int = 512
    /// A compressed file that inflates past this is cut off and its tail quarantined.
    public var maxDecompressedBytes: Int = 4 * 1024 * 1024 * 1024
    /// Records per batch: the unit of commit and of memory.
    public var batchSize: Int = 1000
    /// A batch is also cut once its records (their JSON text, estimated) reach this many bytes,
    /// so memory follows the batch's bytes, not only its record count. 32 MiB keeps a run of
    /// 15 MB records near 256 MB resident.
    public var maxBatchBytes: Int = 32 * 1024 * 1024
    /// Quarantined / received above this makes the run exit 65 (nil: no limit).
    public var maxQuarantineRatio: Double? = nil
    /// More quarantined records than this makes the run exit 65 (nil: no limit).
    public var maxQuarantined: Int? = nil
    /// Worker threads for stateless stages (default: the number of cores).
    public var parallelism: Int = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}
