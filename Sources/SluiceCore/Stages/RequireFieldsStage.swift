import SluiceJSON

/// The `require_fields` stage: quarantines records whose required fields are missing or empty.
public struct RequireFieldsStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "require_fields",
        summary: "Quarantines records missing any of the given fields.",
        description: """
            A field counts as missing when the pointer selects nothing or `null`, and (unless \
            `allow_empty: true`) when it is an empty string, an empty array or an empty object. \
            The quarantine entry names the first missing field's pointer (`missing_field`); \
            `details.missing` lists all of them. Stateless: runs on all cores.
            """,
        fields: [
            FieldSpec("fields", .list(.pointer), doc: "JSON Pointers of the fields every record must have.", required: true, example: "[/title, /body]"),
            FieldSpec("allow_empty", .boolean, doc: "Accept empty strings, arrays and objects as present.", default: "false"),
        ],
        examples: ["""
            - type: require_fields
              fields: [/title, /body]
            """])

    let fields: [JSONPointer]
    let allowEmpty: Bool

    public init(options: ComponentOptions, context: BuildContext) throws {
        fields = try options.pointers("fields") ?? []
        allowEmpty = try options.bool("allow_empty") ?? false
        if fields.isEmpty {
            throw ConfigDiagnostic.error("invalid_value", "'fields' lists no field: name at least one JSON Pointer", at: options.location("fields"))
        }
    }

    public func process(_ record: Record) throws -> StageOutcome {
        let missing = fields.filter { !isPresent($0.get(in: record.value)) }
        guard let first = missing.first else { return .pass(record) }
        let names = missing.map(\.description)
        return .quarantine(RecordFailure(
            code: .missingField,
            message: missing.count == 1 ? "required field \(first) is missing or empty"
                                        : "required fields \(names.joined(separator: ", ")) are missing or empty",
            recordID: record.id, provenance: record.provenance, pointer: first.description,
            details: ["missing": .array(names.map { .string($0) })]))
    }

    private func isPresent(_ v: JSONValue?) -> Bool {
        guard let v, !v.isNull else { return false }
        if allowEmpty { return true }
        switch v {
        case .string(let s): return !s.allSatisfy(\.isWhitespace)
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        default: return true
        }
    }
}
