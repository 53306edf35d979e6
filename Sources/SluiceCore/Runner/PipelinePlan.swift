public import Foundation

/// A pipeline ready to run: its components built and checked, its folders resolved.
public struct PipelinePlan: Sendable {
    public struct Named<Component: Sendable>: Sendable {
        public var name: String
        public var type: String
        public var component: Component
        public init(name: String, type: String, component: Component) {
            self.name = name
            self.type = type
            self.component = component
        }
    }

    public var name: String
    /// The pipeline file, when it came from one.
    public var file: URL?
    /// Relative paths resolve against this folder.
    public var baseDirectory: URL
    /// Where the state DB, lock and run records live (`.sluice/<name>` by default).
    public var stateDirectory: URL
    public var inputs: [Named<any Input>]
    public var stages: [Named<any Stage>]
    public var outputs: [Named<any Output>]
    /// The quarantine file (JSONL, appended across runs).
    public var quarantinePath: URL
    /// Whether quarantine entries may carry the record's original bytes (default true; the file
    /// holds record content, so keep it where the data itself may be kept).
    public var quarantineKeepsOriginal: Bool
    public var limits: Limits
    /// The pipeline's `audit:` section.
    public var audit: AuditPlan
    /// File and configuration hashes for the `run_started` audit event (set by the loader).
    public var provenance = RunProvenance()

    public init(name: String, file: URL?, baseDirectory: URL, stateDirectory: URL,
                inputs: [Named<any Input>], stages: [Named<any Stage>], outputs: [Named<any Output>],
                quarantinePath: URL, quarantineKeepsOriginal: Bool = true, limits: Limits, audit: AuditPlan = AuditPlan()) {
        self.name = name
        self.file = file
        self.baseDirectory = baseDirectory
        self.stateDirectory = stateDirectory
        self.inputs = inputs
        self.stages = stages
        self.outputs = outputs
        self.quarantinePath = quarantinePath
        self.quarantineKeepsOriginal = quarantineKeepsOriginal
        self.limits = limits
        self.audit = audit
    }
}

/// What the pipeline file says about its audit log. The environment can still override it for
/// one run (`SLUICE_AUDIT=off`, `SLUICE_AUDIT_KEY=FILE`).
public struct AuditPlan: Sendable, Hashable {
    /// Whether runs append to the audit log and sign run digests.
    public var enabled: Bool
    /// The HMAC key file; nil means `<state dir>/audit.key`.
    public var keyFile: URL?
    /// Whether `received` events carry the record's content (off: ids, places and hashes only).
    public var recordContent: Bool

    /// The most record JSON a `received` event holds with `record_content`.
    public static let maxContentBytes = 65_536

    public init(enabled: Bool = true, keyFile: URL? = nil, recordContent: Bool = false) {
        self.enabled = enabled
        self.keyFile = keyFile
        self.recordContent = recordContent
    }
}
