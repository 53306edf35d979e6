import SluiceJSON

/// The `drop_fields` stage: removes fields (for example personal data) before anything is written.
public struct DropFieldsStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "drop_fields",
        summary: "Removes the given fields from every record.",
        description: "Fields that are absent are ignored. The fields removed are listed (JSON Pointers, never values) in a `transformed` audit event, so removing personal data is on record. Stateless: runs on all cores.",
        fields: [
            FieldSpec("fields", .list(.pointer), doc: "JSON Pointers of the fields to remove.", required: true, example: "[/internal_notes, /author/email]"),
        ],
        examples: ["""
            - type: drop_fields
              fields: [/author/email]
            """])

    let fields: [JSONPointer]

    public init(options: ComponentOptions, context: BuildContext) throws {
        fields = try options.pointers("fields") ?? []
    }

    public func process(_ record: Record) throws -> StageOutcome {
        var r = record
        var removed: [String] = []
        for p in fields where p.remove(from: &r.value) != nil { removed.append(p.description) }
        return .pass(r, notes: TransformedNote.notes(set: [], removed: removed))
    }
}
