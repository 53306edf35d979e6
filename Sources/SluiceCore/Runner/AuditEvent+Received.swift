public import Foundation
import SluiceJSON

extension AuditEvent {
    /// The `received` event of a record: where it came from, the raw bytes' SHA-256, the
    /// credential that fetched it, and (only when the pipeline opts in with
    /// `audit.record_content`) the record itself, up to `AuditPlan.maxContentBytes` of JSON.
    public static func received(_ r: Record, content: Bool, time: Date = Date()) -> AuditEvent {
        var o = JSONObject()
        o["sha256"] = .string(r.provenance.sha256)
        if let c = r.provenance.credential { o["credential"] = .string(c) }
        if content {
            if JSONWriter.string(r.value).utf8.count <= AuditPlan.maxContentBytes {
                o["content"] = r.value
            } else {
                o["content_omitted"] = .string("larger than \(AuditPlan.maxContentBytes) bytes")
            }
        }
        return AuditEvent(event: "received", time: time, recordID: r.id, parentID: r.parent, input: r.provenance.input,
                          uri: r.provenance.uri, locator: r.provenance.locator, details: .object(o))
    }
}
