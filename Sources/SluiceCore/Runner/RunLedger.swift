/// Where every record that entered a run ended up.
///
/// The conservation law, checked at the end of every run:
/// `received + derived = written + quarantined + dropped + deferred + forked`.
/// `received` counts records (and unreadable ones) from inputs; `derived` counts records that
/// stages created from others (chunks); `forked` counts records replaced by their derived records.
/// Without a forking stage, `derived == forked == 0` and the law is DESIGN.md's
/// `received = written + quarantined + dropped + deferred`.
public struct RunLedger: Sendable, Hashable, Codable {
    public var received = 0
    public var derived = 0
    public var written = 0
    public var quarantined = 0
    public var dropped = 0
    public var deferred = 0
    public var forked = 0

    public init() {}

    public var isBalanced: Bool {
        received + derived == written + quarantined + dropped + deferred + forked
    }

    public static func + (a: RunLedger, b: RunLedger) -> RunLedger {
        var r = a
        r.received += b.received
        r.derived += b.derived
        r.written += b.written
        r.quarantined += b.quarantined
        r.dropped += b.dropped
        r.deferred += b.deferred
        r.forked += b.forked
        return r
    }

    public static func += (a: inout RunLedger, b: RunLedger) { a = a + b }
}
