public import SluiceJSON
import Foundation

/// How a record looks in outputs: its fields as they are, plus (when asked) a `_sluice` object
/// with its id, parent and provenance, so that every output row leads back to its origin.
public enum RecordEncoding {
    public static let metadataKey = "_sluice"

    public static func object(_ record: Record, metadata: Bool) -> JSONValue {
        guard metadata else { return record.value }
        var o = record.value.objectValue ?? JSONObject([("value", record.value)])
        o[metadataKey] = provenanceObject(record)
        return .object(o)
    }

    /// `{"id", "parent", "input", "uri", "locator", "sha256", "fetched_at", "credential"}`.
    public static func provenanceObject(_ record: Record) -> JSONValue {
        var m = JSONObject()
        m["id"] = .string(record.id)
        if let p = record.parent { m["parent"] = .string(p) }
        let p = record.provenance
        m["input"] = .string(p.input)
        m["uri"] = .string(p.uri)
        m["locator"] = locator(p.locator)
        m["sha256"] = .string(p.sha256)
        if let f = p.fetchedAt { m["fetched_at"] = .string(Timestamp.string(f)) }
        if let c = p.credential { m["credential"] = .string(c) }
        return .object(m)
    }

    public static func locator(_ l: Locator) -> JSONValue {
        var o = JSONObject()
        if let v = l.page { o["page"] = .number(JSONNumber(v)) }
        if let v = l.line { o["line"] = .number(JSONNumber(v)) }
        if let v = l.index { o["index"] = .number(JSONNumber(v)) }
        if let v = l.byteOffset { o["byte"] = .number(JSONNumber(v)) }
        return .object(o)
    }
}
