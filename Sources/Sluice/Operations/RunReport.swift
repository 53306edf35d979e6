public import Foundation
public import SluiceCore
import SluiceJSON
import SluiceStore

/// Everything the data-quality report shows about one run, gathered from its summary, the state
/// DB (earlier runs, audit events) and the quarantine file. A model only: the CLI renders it.
///
/// The report's counts are the summary's own numbers (never recounted from other sources), so
/// they always equal `--summary` and the state DB's summary of the run.
public struct RunReport: Sendable {
    public var summary: RunSummary
    /// Earlier runs' summaries and this one, oldest first (at most `historyLimit`).
    public var history: [RunSummary]
    public var upstream: UpstreamActivity
    /// Reason code → up to `examplesPerReason` of this run's entries (first in the file).
    public var quarantineExamples: [String: [QuarantineEntry]]
    /// Repair kind (`mojibake`, `nfc`, ...) → fixes applied in the run, from `repaired` events.
    public var repairs: [String: Int]
    /// Chunks per chunked document → documents, from `chunked` events.
    public var chunksPerDocument: [Int: Int]
    /// Drop reason → up to `examplesPerReason` of this run's drops, from `dropped` events.
    public var dropExamples: [String: [DropExample]]

    /// One dropped record: which, from where, and the record it duplicates or that supersedes it.
    public struct DropExample: Sendable {
        public var recordID: String
        public var uri: String
        public var relatedID: String?
        /// What else the stage said (`jaccard 0.91`), when anything.
        public var detail: String?
    }

    public static let historyLimit = 30
    public static let examplesPerReason = 3

    /// The report of `summary` (the run just finished) or of `runID` (default: the newest run)
    /// of the pipeline whose state lives in `stateDirectory`; nil when there is no such run.
    public static func load(stateDirectory: URL, quarantinePath: URL, summary given: RunSummary? = nil, runID: String? = nil) -> RunReport? {
        let history = RunHistory(stateDirectory: stateDirectory)
        guard let summary = given ?? (runID ?? history.latestRunID()).flatMap(history.summary(runID:)) else { return nil }
        var runs = history.recentSummaries(limit: historyLimit + 50).filter { $0.startedAt <= summary.startedAt && $0.runID != summary.runID }
        runs = Array(runs.prefix(historyLimit - 1).reversed()) + [summary]
        var examples: [String: [QuarantineEntry]] = [:]
        if summary.ledger.quarantined > 0 {
            let entries = (try? QuarantineLog.read(quarantinePath) { $0.run == summary.runID }.entries) ?? []
            for e in entries where (examples[e.code]?.count ?? 0) < examplesPerReason { examples[e.code, default: []].append(e) }
        }
        var repairs: [String: Int] = [:]
        var chunks: [Int: Int] = [:]
        var drops: [String: [DropExample]] = [:]
        for e in history.events(runID: summary.runID, names: [AuditEventKind.repaired, .chunked, .dropped].map(\.wireName)) {
            let details = e.details
            if e.event == AuditEventKind.dropped.wireName {
                guard (drops[e.reason]?.count ?? 0) < examplesPerReason else { continue }
                let detail = details?["jaccard"]?.numberValue.map { "jaccard \($0)" }
                drops[e.reason, default: []].append(DropExample(recordID: e.recordID ?? "?", uri: e.uri,
                                                                relatedID: details?["related_id"]?.stringValue, detail: detail))
                continue
            }
            if e.event == AuditEventKind.chunked.wireName {
                if let n = details?["children"]?.numberValue?.intValue { chunks[n, default: 0] += 1 }
                continue
            }
            for field in details?["fields"]?.arrayValue ?? [] {
                for fix in field["fixes"]?.arrayValue ?? [] {
                    guard let kind = fix["fix"]?.stringValue else { continue }
                    repairs[kind, default: 0] += fix["count"]?.numberValue?.intValue ?? 1
                }
            }
        }
        return RunReport(summary: summary, history: runs, upstream: history.upstream(runID: summary.runID),
                         quarantineExamples: examples, repairs: repairs, chunksPerDocument: chunks, dropExamples: drops)
    }
}

extension RunHistory {
    /// Audit events of one run with the given names (empty without a state DB or audit log).
    func events(runID: String, names: [String]) -> [RunEvent] {
        let path = stateDirectory.appendingPathComponent("state.db").path
        guard FileManager.default.fileExists(atPath: path), let db = try? StateDatabase(path: path, readOnly: true) else { return [] }
        return (try? db.auditEvents(runID: runID, events: names)) ?? []
    }
}
