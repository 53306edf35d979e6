public import SluiceJSON

extension ConfigNode {
    /// The node as JSON: plain scalars that read as numbers, booleans or null become those;
    /// quoted scalars stay strings. Used for inline records in tests and memory inputs.
    public var jsonValue: JSONValue {
        switch kind {
        case .null: return .null
        case .scalar(let s, let quoted):
            if quoted { return .string(s) }
            if s == "true" { return .bool(true) }
            if s == "false" { return .bool(false) }
            if let n = JSONNumber(text: s) { return .number(n) }
            return .string(s)
        case .sequence(let items): return .array(items.map(\.jsonValue))
        case .mapping(let entries): return .object(JSONObject(entries.map { ($0.key, $0.value.jsonValue) }))
        }
    }
}
