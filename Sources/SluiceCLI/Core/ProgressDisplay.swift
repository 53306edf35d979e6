import Foundation
import Logging
import SluiceCore

/// The run's progress on stderr. On a terminal: one line redrawn at most four times a second —
/// `articles  file 12/300  4%  1,234 received  1,100 written  3 quarantined  812/s  0:12  ETA 4:30`.
/// Elsewhere (cron, a pipe): a plain `progress` log line every `logInterval` seconds.
final class ProgressDisplay: Sendable {
    private let logger: Logger
    private let logInterval: Double
    /// When the line was last drawn and the last progress log line written (run seconds).
    private let last = Locked((draw: -1.0, log: 0.0))

    init(logger: Logger, logInterval: Double = 30) {
        self.logger = logger
        self.logInterval = logInterval
    }

    func show(_ p: RunProgress) {
        if Terminal.stderrIsTTY {
            let due = last.withLock { l in
                guard p.elapsedSeconds - l.draw >= 0.25 else { return false }
                l.draw = p.elapsedSeconds
                return true
            }
            if due { Terminal.progress(Self.line(p)) }
        } else {
            let due = last.withLock { l in
                guard p.elapsedSeconds - l.log >= logInterval else { return false }
                l.log = p.elapsedSeconds
                return true
            }
            guard due else { return }
            var meta: Logger.Metadata = [
                "input": "\(p.input)", "received": .stringConvertible(p.received),
                "written": .stringConvertible(p.documentsWritten), "quarantined": .stringConvertible(p.ledger.quarantined),
                "records_per_second": .stringConvertible(Int(p.rate)), "elapsed_seconds": .stringConvertible(Int(p.elapsedSeconds)),
            ]
            if let s = p.source {
                meta["\(s.unit)s_done"] = .stringConvertible(s.done)
                if let t = s.total { meta["\(s.unit)s_total"] = .stringConvertible(t) }
            }
            if let f = p.fraction { meta["percent"] = .stringConvertible(Int(f * 100)) }
            if let eta = p.etaSeconds { meta["eta_seconds"] = .stringConvertible(Int(eta)) }
            logger.info("progress", metadata: meta)
        }
    }

    static func line(_ p: RunProgress) -> String {
        var parts = [Terminal.colour(p.input, .bold)]
        if let s = p.source {
            parts.append(s.total.map { "\(s.unit) \(min(s.done + 1, $0))/\($0)" } ?? "\(s.unit) \(s.done + 1)")
        }
        if let f = p.fraction { parts.append("\(Int(f * 100))%") }
        parts.append("\(count(p.received)) received")
        parts.append("\(count(p.documentsWritten)) written")
        if p.ledger.quarantined > 0 { parts.append(Terminal.colour("\(count(p.ledger.quarantined)) quarantined", .yellow)) }
        if p.ledger.dropped > 0 { parts.append("\(count(p.ledger.dropped)) dropped") }
        parts.append("\(count(Int(p.rate)))/s")
        parts.append(clock(p.elapsedSeconds))
        if let eta = p.etaSeconds { parts.append("ETA \(clock(eta))") }
        return parts.joined(separator: "  ")
    }

    /// `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `0:07`, `12:30`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
    }
}
