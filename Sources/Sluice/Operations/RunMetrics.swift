public import Foundation
public import SluiceCore

/// The numbers a scheduler-facing metrics file reports about the last run of a pipeline: a model
/// only (families, labels, values), rendered to Prometheus text by the CLI.
///
/// Every family is a gauge about *the last run* (the node_exporter textfile-collector
/// convention: the file is replaced after each run, so per-run counts are gauges, not counters).
/// Names follow Prometheus conventions: `sluice_` prefix, base units (`_seconds`), no `_total`
/// on gauges. Families always appear in the same order, samples within a family sorted by labels,
/// so two renderings of one run are byte-identical.
public struct RunMetrics: Sendable {
    public struct Sample: Sendable, Equatable {
        public var labels: [(String, String)]
        public var value: Double
        public init(labels: [(String, String)], value: Double) {
            self.labels = labels
            self.value = value
        }
        public static func == (a: Sample, b: Sample) -> Bool {
            a.value == b.value && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
        }
    }

    public struct Family: Sendable, Equatable {
        public var name: String
        public var help: String
        /// Always `gauge` here; kept so a renderer does not have to know.
        public var type: String
        public var samples: [Sample]
    }

    public var families: [Family] = []

    /// Every possible run status, so that `sluice_last_run_status` is a complete state set.
    public static let statuses = ["succeeded", "degraded", "deferred", "dry_run", "failed"]

    /// Metrics for a run that produced a summary.
    /// - `lastSuccess`: when the newest succeeded run of this pipeline finished (this one's end if
    ///   it succeeded), or nil when none ever did.
    public init(summary s: RunSummary, lastSuccess: Date?, upstream: UpstreamActivity = .init()) {
        let p = ("pipeline", s.pipeline)
        add("sluice_last_run_timestamp_seconds", "Unix time at which the last run of the pipeline finished.",
            [Sample(labels: [p], value: s.finishedAt.timeIntervalSince1970)])
        add("sluice_last_run_start_timestamp_seconds", "Unix time at which the last run of the pipeline started.",
            [Sample(labels: [p], value: s.startedAt.timeIntervalSince1970)])
        addLastSuccess(p, lastSuccess)
        add("sluice_last_run_duration_seconds", "Wall-clock duration of the last run.",
            [Sample(labels: [p], value: s.durationSeconds)])
        addStatus(p, status: s.status, exitStatus: s.exitStatus)
        add("sluice_last_run_ledger_balanced", "1 if the last run's ledger balanced (received + derived = written + quarantined + dropped + deferred + forked), else 0.",
            [Sample(labels: [p], value: s.balanced ? 1 : 0)])
        let l = s.ledger
        let outcomes = RunLedger.Term.allCases.map { ($0.rawValue, l[$0]) }
        add("sluice_last_run_records", "Records in the last run by ledger outcome.",
            outcomes.map { Sample(labels: [p, ("outcome", $0.0)], value: Double($0.1)) })
        add("sluice_last_run_deferred_pages", "Pages the last run's inputs deferred to the next run (work, not records: their records were not read).",
            [Sample(labels: [p], value: Double(l.deferredPages))])
        add("sluice_last_run_new_records", "Records the last run received that were new to the pipeline.",
            [Sample(labels: [p], value: Double(s.newRecords))])
        add("sluice_last_run_quarantined_records", "Records the last run quarantined, by reason code.",
            s.quarantineReasons.sorted { $0.key < $1.key }.map { Sample(labels: [p, ("reason", $0.key)], value: Double($0.value)) })
        add("sluice_last_run_dropped_records", "Records the last run dropped on purpose, by reason code.",
            s.dropReasons.sorted { $0.key < $1.key }.map { Sample(labels: [p, ("reason", $0.key)], value: Double($0.value)) })
        var inputSamples: [Sample] = []
        for (name, i) in s.inputs.sorted(by: { $0.key < $1.key }) {
            inputSamples.append(Sample(labels: [p, ("input", name), ("outcome", RunLedger.Term.received.rawValue)], value: Double(i.received)))
            inputSamples.append(Sample(labels: [p, ("input", name), ("outcome", RunLedger.Term.quarantined.rawValue)], value: Double(i.quarantined)))
        }
        add("sluice_last_run_input_records", "Records each input yielded in the last run, by outcome at the input.", inputSamples)
        add("sluice_last_run_output_records", "Records each output wrote in the last run.",
            s.outputs.sorted { $0.key < $1.key }.map { Sample(labels: [p, ("output", $0.key), ("type", $0.value.type)], value: Double($0.value.written)) })
        let stages = s.stageOrder.compactMap { name in s.stages[name].map { (name, $0) } }
        add("sluice_last_run_stage_cpu_seconds", "CPU time spent inside each stage in the last run, summed over threads.",
            stages.map { Sample(labels: [p, ("stage", $0.0), ("type", $0.1.type)], value: $0.1.cpuSeconds) })
        var stageSamples: [Sample] = []
        for (name, st) in stages {
            for (o, v) in [("seen", st.seen), ("passed", st.passed), ("changed", st.changed), ("emitted", st.emitted),
                           ("dropped", st.dropped), ("quarantined", st.quarantined)] {
                stageSamples.append(Sample(labels: [p, ("stage", name), ("outcome", o)], value: Double(v)))
            }
        }
        add("sluice_last_run_stage_records", "Records each stage handled in the last run, by outcome.", stageSamples)
        addUpstream(p, upstream)
    }

    /// Metrics for a run that stopped with an error before it could summarise itself.
    public init(pipeline: String, failedAt: Date, exitStatus: Int32, lastSuccess: Date?, upstream: UpstreamActivity = .init()) {
        let p = ("pipeline", pipeline)
        add("sluice_last_run_timestamp_seconds", "Unix time at which the last run of the pipeline finished.",
            [Sample(labels: [p], value: failedAt.timeIntervalSince1970)])
        addLastSuccess(p, lastSuccess)
        addStatus(p, status: "failed", exitStatus: exitStatus)
        addUpstream(p, upstream)
    }

    private mutating func add(_ name: String, _ help: String, _ samples: [Sample]) {
        families.append(Family(name: name, help: help, type: "gauge", samples: samples))
    }

    private mutating func addLastSuccess(_ p: (String, String), _ lastSuccess: Date?) {
        // Absent rather than 0 when no run ever succeeded, so `time() - x` alerts do not fire on a
        // meaningless 1970 and `absent()` can say so.
        add("sluice_last_success_timestamp_seconds", "Unix time at which the newest succeeded run of the pipeline finished.",
            lastSuccess.map { [Sample(labels: [p], value: $0.timeIntervalSince1970)] } ?? [])
    }

    private mutating func addStatus(_ p: (String, String), status: String, exitStatus: Int32) {
        add("sluice_last_run_exit_code", "Exit status of the last run (0 success, 65 over quarantine limits, 75 retry later, ...).",
            [Sample(labels: [p], value: Double(exitStatus))])
        var all = Self.statuses
        if !all.contains(status) { all.append(status) }
        add("sluice_last_run_status", "1 for the status the last run ended with, 0 for every other status.",
            all.map { Sample(labels: [p, ("status", $0)], value: $0 == status ? 1 : 0) })
    }

    private mutating func addUpstream(_ p: (String, String), _ u: UpstreamActivity) {
        guard !u.attempts.isEmpty || !u.breakers.isEmpty || !u.retries.isEmpty else { return }
        add("sluice_last_run_upstream_requests", "HTTP attempts the last run made, by host and result (HTTP status or failure kind).",
            u.attempts.sorted { ($0.key.host, $0.key.result) < ($1.key.host, $1.key.result) }
                .map { Sample(labels: [p, ("host", $0.key.host), ("result", $0.key.result)], value: Double($0.value)) })
        add("sluice_last_run_upstream_retries", "Retries the last run scheduled, by host and reason.",
            u.retries.sorted { ($0.key.host, $0.key.result) < ($1.key.host, $1.key.result) }
                .map { Sample(labels: [p, ("host", $0.key.host), ("reason", $0.key.result)], value: Double($0.value)) })
        add("sluice_upstream_breaker_open", "1 if the host's circuit breaker was open or half-open when the last run ended, else 0.",
            u.breakers.sorted { $0.key < $1.key }.map { Sample(labels: [p, ("host", $0.key)], value: $0.value == "closed" ? 0 : 1) })
    }
}

/// What a run's HTTP inputs did, from its audit events.
public struct UpstreamActivity: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var host: String
        public var result: String
    }
    /// Attempts by host and result (`200`, `http_503`, `timeout`, ...).
    public var attempts: [Key: Int] = [:]
    /// Retries by host and reason.
    public var retries: [Key: Int] = [:]
    /// Host → the breaker's last state in the run: `open`, `half_open` or `closed`.
    public var breakers: [String: String] = [:]
    public init() {}

    /// `scheme://host:port` of a URL, the breakers' unit; the URL itself when it has no host.
    static func host(of uri: String) -> String {
        guard let c = URLComponents(string: uri), let h = c.host else { return uri }
        return (c.scheme.map { "\($0)://" } ?? "") + h + (c.port.map { ":\($0)" } ?? "")
    }
}
