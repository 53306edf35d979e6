public import Foundation
public import SluiceCore
import SluiceJSON
import SluiceStore

/// Read-only questions about a pipeline's past runs, answered from its state DB.
///
/// Opening never creates or migrates anything; a missing or unreadable DB answers "nothing known"
/// (nil, empty), because these answers decorate a run's report and must never fail it.
public struct RunHistory: Sendable {
    public let stateDirectory: URL

    public init(stateDirectory: URL) {
        self.stateDirectory = stateDirectory
    }

    private func open() -> StateDatabase? {
        let path = stateDirectory.appendingPathComponent("state.db").path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? StateDatabase(path: path, readOnly: true)
    }

    /// When the newest run with status `succeeded` finished.
    public func lastSuccess() -> Date? {
        guard let db = open() else { return nil }
        return (try? db.lastSucceededAt()) ?? nil
    }

    /// The most recent finished runs' summaries, newest first (runs without one are skipped).
    public func recentSummaries(limit: Int) -> [RunSummary] {
        guard let db = open() else { return [] }
        return ((try? db.finishedRunSummaries(limit: limit)) ?? []).compactMap { $0.summary.flatMap { RunHistory.decodeSummary(Data($0.utf8)) } }
    }

    /// One run's summary as the state DB stored it.
    public func summary(runID: String) -> RunSummary? {
        guard let db = open(), let text = (try? db.runSummaryText(id: runID)) ?? nil else { return nil }
        return RunHistory.decodeSummary(Data(text.utf8))
    }

    /// The id of the newest finished run.
    public func latestRunID() -> String? {
        guard let db = open() else { return nil }
        return ((try? db.finishedRunSummaries(limit: 1)) ?? []).first?.id
    }

    /// HTTP attempts, retries and breaker transitions of one run, from its audit events.
    public func upstream(runID: String) -> UpstreamActivity {
        var u = UpstreamActivity()
        guard let db = open() else { return u }
        let rows = (try? db.auditEvents(runID: runID, events: [AuditEventKind.fetched, .retried, .circuitOpened, .circuitHalfOpen, .circuitClosed, .circuitState].map(\.wireName))) ?? []
        for e in rows {
            let (event, uri, reason, details) = (e.event, e.uri, e.reason, e.details)
            switch AuditEventKind(wireName: event) {
            case .fetched:
                let status = details?["status"]?.numberValue?.intValue
                let result = reason == "redirect" || reason == "ok" || reason.hasPrefix("http_") ? status.map(String.init) ?? reason : reason
                u.attempts[.init(host: UpstreamActivity.host(of: uri), result: result), default: 0] += 1
            case .retried:
                u.retries[.init(host: UpstreamActivity.host(of: uri), result: reason), default: 0] += 1
            case .circuitState:
                // Written by an http input at the end of every run for each breaker it knows.
                let host = details?["host"]?.stringValue ?? UpstreamActivity.host(of: uri)
                u.breakers[host] = details?["state"]?.stringValue ?? reason
            default:
                let host = details?["host"]?.stringValue ?? UpstreamActivity.host(of: uri)
                u.breakers[host] = event == AuditEventKind.circuitOpened.wireName ? "open" : event == AuditEventKind.circuitHalfOpen.wireName ? "half_open" : "closed"
            }
        }
        return u
    }

    static func decodeSummary(_ data: Data) -> RunSummary? {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try? d.decode(RunSummary.self, from: data)
    }
}
