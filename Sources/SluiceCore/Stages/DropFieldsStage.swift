public import SluiceJSON

/// The `drop_fields` stage: removes fields (for example personal data) before anything is written.
public struct DropFieldsStage: Stage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "drop_fields",
        summary: "Removes the given fields from every record.",
        description: "Fields that are absent are ignored. Stateless: runs on all cores.",
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
        for p in fields { p.remove(from: &r.value) }
        return .pass(r)
    }
}
