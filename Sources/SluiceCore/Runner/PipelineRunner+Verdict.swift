public import Foundation

extension PipelineRunner {
    /// Status, exit status and the reasons, from the run's counts and the pipeline's limits.
    static func verdict(_ s: RunSummary, limits: Limits, dryRun: Bool) -> (String, Int32, [String]) {
        var problems: [String] = []
        if !s.balanced {
            problems.append("the ledger does not balance: received \(s.ledger.received) + derived \(s.ledger.derived) != written \(s.ledger.written) + quarantined \(s.ledger.quarantined) + dropped \(s.ledger.dropped) + deferred \(s.ledger.deferred) + forked \(s.ledger.forked)")
            return ("failed", ExitStatus.internalError.rawValue, problems)
        }
        if let max = limits.maxQuarantined, s.ledger.quarantined > max {
            problems.append("\(s.ledger.quarantined) records quarantined, over max_quarantined \(max)")
        }
        if let ratio = limits.maxQuarantineRatio, s.ledger.received > 0,
           Double(s.ledger.quarantined) / Double(s.ledger.received) > ratio {
            let r = Double(s.ledger.quarantined) / Double(s.ledger.received)
            problems.append(String(format: "%.1f%% of received records quarantined, over max_quarantine_ratio %.1f%%", r * 100, ratio * 100))
        }
        // Whatever the limits, a run that received records and quarantined every one of them did
        // nothing useful: that is a data problem, not a success.
        let l = s.ledger
        if l.written == 0 && l.quarantined > 0 && l.dropped == 0 && l.deferred == 0 && l.deferredPages == 0 && problems.isEmpty {
            problems.append("every record was quarantined (\(l.quarantined) of \(l.received + l.derived) received), nothing was written; "
                            + "see the quarantine file for the reasons")
        }
        if !problems.isEmpty { return ("degraded", ExitStatus.dataError.rawValue, problems) }
        if l.deferred > 0 || l.deferredPages > 0 {
            var why: [String] = []
            if l.deferredPages > 0 { why.append("\(l.deferredPages) page\(l.deferredPages == 1 ? "" : "s") deferred to the next run") }
            if l.deferred > 0 { why.append("\(l.deferred) records deferred to the next run") }
            return ("deferred", ExitStatus.temporaryFailure.rawValue, why)
        }
        // An input that served pages from its fallback cache (notice `served_from_cache`, the
        // http input's) delivered what it had, possibly stale: the run succeeded (exit 0) but
        // is marked degraded, so the status metric can alert on it.
        let cached = s.inputs.values.reduce(0) { $0 + ($1.notices["served_from_cache"] ?? 0) }
        if cached > 0, !dryRun {
            return ("degraded", ExitStatus.success.rawValue, ["\(cached) pages served from a fallback cache, which may be stale"])
        }
        return (dryRun ? "dry_run" : "succeeded", ExitStatus.success.rawValue, [])
    }

    /// Sortable, unique run ids: `20261130T130501Z-4f2a9c`.
    public static func makeRunID(_ date: Date) -> String {
        let suffix = String(UInt32.random(in: 0...0xFFFFFF), radix: 16)
        return Timestamp.compact(date) + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
    }
}
