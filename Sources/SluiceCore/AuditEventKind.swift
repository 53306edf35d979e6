/// What an audit event records, with its wire name: the `event` column of the audit log, the
/// `event` field of exports and traces. This is the one place those names are spelled; the hash
/// chain covers the wire name, so a name never changes once written.
public enum AuditEventKind: Sendable, Hashable, CustomStringConvertible {
    // The run.
    case runStarted, runFinished
    // A record's way through the pipeline: in, through the stages, and its fate.
    case received, written, quarantined, dropped, deferred
    // What a stage or reader did to a record it passed on.
    case decoded, repaired, validated, schemaViolation, transformed, chunked, supersedes, replayedFromQuarantine
    // The http input's own work.
    case fetched, retried, credentialUsed, credentialDenied, fallbackUsed
    case circuitOpened, circuitHalfOpen, circuitClosed, circuitState
    /// A kind a component outside this project defines (its name is used as it is).
    case other(String)

    /// Every kind this project records.
    public static let known: [AuditEventKind] = [
        .runStarted, .runFinished, .received, .written, .quarantined, .dropped, .deferred,
        .decoded, .repaired, .validated, .schemaViolation, .transformed, .chunked, .supersedes, .replayedFromQuarantine,
        .fetched, .retried, .credentialUsed, .credentialDenied, .fallbackUsed,
        .circuitOpened, .circuitHalfOpen, .circuitClosed, .circuitState,
    ]

    public var wireName: String {
        switch self {
        case .runStarted: "run_started"
        case .runFinished: "run_finished"
        case .received: "received"
        case .written: "written"
        case .quarantined: "quarantined"
        case .dropped: "dropped"
        case .deferred: "deferred"
        case .decoded: "decoded"
        case .repaired: "repaired"
        case .validated: "validated"
        case .schemaViolation: "schema_violation"
        case .transformed: "transformed"
        case .chunked: "chunked"
        case .supersedes: "supersedes"
        case .replayedFromQuarantine: "replayed_from_quarantine"
        case .fetched: "fetched"
        case .retried: "retried"
        case .credentialUsed: "credential_used"
        case .credentialDenied: "credential_denied"
        case .fallbackUsed: "fallback_used"
        case .circuitOpened: "circuit_opened"
        case .circuitHalfOpen: "circuit_half_open"
        case .circuitClosed: "circuit_closed"
        case .circuitState: "circuit_state"
        case .other(let name): name
        }
    }

    /// The kind a wire name (read back from the log) stands for.
    public init(wireName: String) {
        self = AuditEventKind.byWireName[wireName] ?? .other(wireName)
    }

    private static let byWireName = Dictionary(uniqueKeysWithValues: known.map { ($0.wireName, $0) })

    public var description: String { wireName }
}
