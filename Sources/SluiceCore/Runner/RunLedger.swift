/// Where every record that entered a run ended up.
///
/// The conservation law, checked at the end of every run:
/// `received + derived = written + quarantined + dropped + deferred + forked`.
/// `received` counts records (and unreadable ones) from inputs; `derived` counts records that
/// stages created from others (chunks); `forked` counts records replaced by their derived records.
/// Without a forking stage, `derived == forked == 0` and the law is DESIGN.md's
/// `received = written + quarantined + dropped + deferred`.
/// `deferred` counts records received and then put off to the next run; no built-in input does
/// that: the http input defers whole pages before their records are read, and those are counted
/// as pages in `deferredPages`, beside the law.
public struct RunLedger: Sendable, Hashable, Codable {
    public var received = 0
    public var derived = 0
    public var written = 0
    public var quarantined = 0
    public var dropped = 0
    public var deferred = 0
    public var forked = 0
    /// Pages (units of work) an input could not have now and deferred to the next run: not
    /// records, so outside the law. The records on them were never received; the next run reads
    /// them. Any deferred page makes the run exit 75.
    public var deferredPages = 0

    public init() {}

    public var isBalanced: Bool {
        received + derived == written + quarantined + dropped + deferred + forked
    }

    /// The ledger's terms, with their names in the summary, the `runs` table, metrics and digests.
    public enum Term: String, Sendable, CaseIterable {
        case received, derived, written, quarantined, dropped, deferred, forked
    }

    public subscript(term: Term) -> Int {
        get {
            switch term {
            case .received: received
            case .derived: derived
            case .written: written
            case .quarantined: quarantined
            case .dropped: dropped
            case .deferred: deferred
            case .forked: forked
            }
        }
        set {
            switch term {
            case .received: received = newValue
            case .derived: derived = newValue
            case .written: written = newValue
            case .quarantined: quarantined = newValue
            case .dropped: dropped = newValue
            case .deferred: deferred = newValue
            case .forked: forked = newValue
            }
        }
    }

    /// Counts `n` records that met `fate`.
    public mutating func count(_ fate: RecordFate, _ n: Int = 1) { self[fate.term] += n }

    public static func + (a: RunLedger, b: RunLedger) -> RunLedger {
        var r = a
        r.received += b.received
        r.derived += b.derived
        r.written += b.written
        r.quarantined += b.quarantined
        r.dropped += b.dropped
        r.deferred += b.deferred
        r.forked += b.forked
        r.deferredPages += b.deferredPages
        return r
    }

    public static func += (a: inout RunLedger, b: RunLedger) { a = a + b }
}

extension RunLedger {
    enum CodingKeys: String, CodingKey {
        case received, derived, written, quarantined, dropped, deferred, forked, deferredPages = "deferred_pages"
    }

    /// Summaries written before `deferred_pages` existed read as 0 deferred pages.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        received = try c.decode(Int.self, forKey: .received)
        derived = try c.decode(Int.self, forKey: .derived)
        written = try c.decode(Int.self, forKey: .written)
        quarantined = try c.decode(Int.self, forKey: .quarantined)
        dropped = try c.decode(Int.self, forKey: .dropped)
        deferred = try c.decode(Int.self, forKey: .deferred)
        forked = try c.decode(Int.self, forKey: .forked)
        deferredPages = try c.decodeIfPresent(Int.self, forKey: .deferredPages) ?? 0
    }
}
