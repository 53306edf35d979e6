public import SluiceJSON

/// The `transformed` audit note: which fields a stage set or removed, as JSON Pointers (never
/// values). `map`, `rename_fields` and `drop_fields` write it, so removing personal data is on
/// record.
public enum TransformedNote {
    public static func notes(set: [String], removed: [String]) -> [StageNote] {
        if set.isEmpty && removed.isEmpty { return [] }
        return [StageNote(.transformed, details: .object(JSONObject([
            ("set", .array(set.map { .string($0) })), ("removed", .array(removed.map { .string($0) })),
        ])))]
    }
}

extension JSONPointer {
    /// Sets the value, creating missing parent objects on the way (`/customer/name` on a record
    /// without `customer`). Fails only where a parent exists and is not an object or array, or
    /// an array index is out of range.
    public func setCreatingParents(_ value: JSONValue, in document: inout JSONValue) throws(SetError) {
        for depth in 1..<Swift.max(1, tokens.count) {
            let parent = JSONPointer(tokens: Array(tokens.prefix(depth)))
            if parent.get(in: document) == nil || parent.get(in: document)?.isNull == true {
                try parent.set(.object(JSONObject()), in: &document)
            }
        }
        try set(value, in: &document)
    }
}
