public import Foundation

/// What a run did, for people (the CLI renders it), cron (`--summary FILE` as JSON) and the
/// state DB.
public struct RunSummary: Sendable, Codable {
    public struct InputStats: Sendable, Codable {
        public var received = 0
        public var quarantined = 0
        /// Facts the input reported, counted by code (`skipped_unchanged: 3`).
        public var notices: [String: Int] = [:]
    }

    public struct StageStats: Sendable, Codable {
        public var type: String
        public var seen = 0
        public var passed = 0
        public var changed = 0
        public var emitted = 0
        public var dropped = 0
        public var quarantined = 0
        /// Time spent inside the stage, summed over threads.
        public var cpuSeconds = 0.0
    }

    public struct OutputStats: Sendable, Codable {
        public var type: String
        public var written = 0
        public var destination = ""
    }

    public var runID: String
    public var pipeline: String
    public var startedAt: Date
    public var finishedAt: Date
    public var durationSeconds: Double
    /// `succeeded`, `degraded` (over a quarantine threshold: exit 65; or pages served from a fallback cache: exit 0), `deferred`, `dry_run`.
    public var status: String
    public var exitStatus: Int32
    public var ledger: RunLedger
    public var balanced: Bool
    /// Records received that were new to this pipeline (what `0 new records` speaks of).
    public var newRecords: Int
    public var inputs: [String: InputStats]
    public var stages: [String: StageStats]
    /// Stage names in pipeline order (the `stages` map is unordered in JSON).
    public var stageOrder: [String]
    public var outputs: [String: OutputStats]
    public var quarantinePath: String?
    public var quarantineReasons: [String: Int]
    public var dropReasons: [String: Int]
    /// The run that this one resumed after a crash, if any.
    public var resumedAfter: String?
    /// Why the status is not `succeeded`, in words.
    public var problems: [String]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", pipeline, startedAt = "started_at", finishedAt = "finished_at"
        case durationSeconds = "duration_secs", status, exitStatus = "exit_status", ledger, balanced
        case newRecords = "new_records", inputs, stages, stageOrder = "stage_order", outputs
        case quarantinePath = "quarantine_path", quarantineReasons = "quarantine_reasons"
        case dropReasons = "drop_reasons", resumedAfter = "resumed_after", problems
    }

    /// The summary as pretty JSON with sorted keys and RFC 3339 dates.
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        e.keyEncodingStrategy = .useDefaultKeys
        return try e.encode(self)
    }
}

extension RunSummary.InputStats {
    enum CodingKeys: String, CodingKey { case received, quarantined, notices }
}

extension RunSummary.StageStats {
    enum CodingKeys: String, CodingKey { case type, seen, passed, changed, emitted, dropped, quarantined, cpuSeconds = "cpu_secs" }
}
