public import Foundation
import SluiceJSON

extension AuditEvent {
    /// The `received` event of a record: where it came from, the raw bytes' SHA-256, the
    /// credential that fetched it, and (only when the pipeline opts in with
    /// `audit.record_content`) the record itself, up to `AuditPlan.maxContentBytes` of JSON.
    public static func received(_ r: Record, content: Bool, time: Date = Date()) -> AuditEvent {
        var o = receivedDetails(r.provenance)
        if content {
            if JSONWriter.string(r.value).utf8.count <= AuditPlan.maxContentBytes {
                o["content"] = r.value
            } else {
                o["content_omitted"] = .string("larger than \(AuditPlan.maxContentBytes) bytes")
            }
        }
        return received(recordID: r.id, parentID: r.parent, provenance: r.provenance, details: o, time: time)
    }

    /// The `received` event of an item an input could not make a record of (it is quarantined
    /// next): where it came from, its bytes' SHA-256 and the credential that fetched it, like
    /// any record's, so `audit query --credential` finds it too. Never its content.
    public static func received(_ f: RecordFailure, time: Date = Date()) -> AuditEvent {
        received(recordID: f.recordID, parentID: nil, provenance: f.provenance,
                 details: f.provenance.map(receivedDetails), time: time)
    }

    /// The SHA-256 and the credential's name (the audit log stores its fingerprint instead).
    private static func receivedDetails(_ p: Provenance) -> JSONObject {
        var o = JSONObject()
        o["sha256"] = .string(p.sha256)
        if let c = p.credential { o["credential"] = .string(c) }
        return o
    }

    private static func received(recordID: String?, parentID: String?, provenance p: Provenance?, details: JSONObject?, time: Date) -> AuditEvent {
        AuditEvent(.received, time: time, recordID: recordID, parentID: parentID, input: p?.input,
                   uri: p?.uri, locator: p?.locator, details: details.map { .object($0) })
    }
}
