public import SluiceJSON

/// The `rename_fields` stage: moves fields to new places, so that records from different inputs
/// share one shape (a CSV's `/name` becomes `/title`).
public struct RenameFieldsStage: Stage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "rename_fields",
        summary: "Moves fields to new names (JSON Pointer to JSON Pointer).",
        description: """
            For each `from: to` pair, a record that has `from` gets its value at `to` and loses \
            `from`. A record that already has `to` keeps it, and `from` stays where it is, unless \
            `overwrite: true`. The parent of `to` must exist (`/title` always does). Stateless: \
            runs on all cores.
            """,
        fields: [
            FieldSpec("fields", .map(.pointer), doc: "Pairs of `from: to` JSON Pointers.", required: true, example: "{/name: /title}"),
            FieldSpec("overwrite", .boolean, doc: "Replace a value already at `to`.", default: "false"),
        ],
        examples: ["""
            - type: rename_fields
              fields:
                /name: /title
                /description: /body
            """])

    let pairs: [(from: JSONPointer, to: JSONPointer)]
    let overwrite: Bool

    public init(options: ComponentOptions, context: BuildContext) throws {
        var pairs: [(JSONPointer, JSONPointer)] = []
        for entry in options.node["fields"]?.entries ?? [] {
            guard let toText = entry.value.scalar else {
                throw ConfigDiagnostic.error("wrong_type", "in 'fields', '\(entry.key)' must map to a JSON Pointer", at: entry.value)
            }
            do {
                pairs.append((try JSONPointer(parsing: entry.key), try JSONPointer(parsing: toText)))
            } catch {
                throw ConfigDiagnostic.error("invalid_pointer", "in 'fields': \(error)", at: entry.value)
            }
        }
        if pairs.isEmpty {
            throw ConfigDiagnostic.error("invalid_value", "'fields' names no field to rename", at: options.location("fields"))
        }
        self.pairs = pairs
        overwrite = try options.bool("overwrite") ?? false
    }

    public func process(_ record: Record) throws -> StageOutcome {
        var r = record
        for (from, to) in pairs {
            guard let v = from.get(in: r.value) else { continue }
            if !overwrite, let existing = to.get(in: r.value), !existing.isNull { continue }
            do {
                try to.set(v, in: &r.value)
                from.remove(from: &r.value)
            } catch {
                // The target's parent is missing: the record keeps its shape.
                continue
            }
        }
        return .pass(r)
    }
}
