public import Foundation
public import SluiceJSON

/// One row of the audit trail, as the runner records it. Stages never write these: they return
/// outcomes and notes, and the runner turns them into events.
///
/// Never holds a secret or (unless the user opted in) record content.
public struct AuditEvent: Sendable, Hashable {
    public var kind: AuditEventKind
    /// The wire name of `kind` (`run_started`, `received`, `quarantined`, ...).
    public var event: String { kind.wireName }
    public var time: Date
    public var recordID: String?
    public var parentID: String?
    public var input: String?
    public var uri: String?
    public var locator: Locator?
    public var stage: String?
    /// Reason code or outcome (`schema_violation`, `duplicate_of`).
    public var reason: String?
    public var details: JSONValue?
    /// HMAC fingerprint of the credential reference used, never the secret.
    public var credentialFingerprint: String?

    public init(_ kind: AuditEventKind, time: Date, recordID: String? = nil, parentID: String? = nil, input: String? = nil,
                uri: String? = nil, locator: Locator? = nil, stage: String? = nil, reason: String? = nil,
                details: JSONValue? = nil, credentialFingerprint: String? = nil) {
        self.kind = kind
        self.time = time
        self.recordID = recordID
        self.parentID = parentID
        self.input = input
        self.uri = uri
        self.locator = locator
        self.stage = stage
        self.reason = reason
        self.details = details
        self.credentialFingerprint = credentialFingerprint
    }
}
