import SluiceJSON

/// The `rename_fields` stage: moves fields to new places, so that records from different inputs
/// share one shape (a CSV's `/name` becomes `/title`).
public struct RenameFieldsStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "rename_fields",
        summary: "Moves fields to new names (JSON Pointer to JSON Pointer).",
        description: """
            For each `from: to` pair, a record that has `from` gets its value at `to` and loses \
            `from`. A record that already has `to` keeps it, and `from` stays where it is, unless \
            `overwrite: true`. Missing parents of `to` are created (`/customer/name` on a record \
            without `customer`); a record whose `to` cannot be set (a parent is a string, an index \
            is out of range) keeps `from`. The moves are listed (JSON Pointers, never values) in a \
            `transformed` audit event. Stateless: runs on all cores.
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
    /// Where each pair's `to` is written in the pipeline file.
    let locations: [SourceLocation?]

    public init(options: ComponentOptions, context: BuildContext) throws {
        var pairs: [(JSONPointer, JSONPointer)] = []
        var locations: [SourceLocation?] = []
        for entry in options.node["fields"]?.entries ?? [] {
            guard let toText = entry.value.scalar else {
                throw ConfigDiagnostic.error("wrong_type", "in 'fields', '\(entry.key)' must map to a JSON Pointer", at: entry.value)
            }
            do {
                pairs.append((try JSONPointer(parsing: entry.key), try JSONPointer(parsing: toText)))
                locations.append(entry.value.location)
            } catch {
                throw ConfigDiagnostic.error("invalid_pointer", "in 'fields': \(error)", at: entry.value)
            }
        }
        if pairs.isEmpty {
            throw ConfigDiagnostic.error("invalid_value", "'fields' names no field to rename", at: options.location("fields"))
        }
        self.pairs = pairs
        self.locations = locations
        overwrite = try options.bool("overwrite") ?? false
    }

    public func process(_ record: Record) throws -> StageOutcome {
        var r = record
        var set: [String] = [], removed: [String] = []
        for (from, to) in pairs {
            guard let v = from.get(in: r.value) else { continue }
            if !overwrite, let existing = to.get(in: r.value), !existing.isNull { continue }
            var moved = r.value
            do {
                from.remove(from: &moved)
                try to.setCreatingParents(v, in: &moved)
            } catch {
                // A parent of the target is not a container: the record keeps its shape.
                continue
            }
            r.value = moved
            removed.append(from.description)
            set.append(to.description)
        }
        return .pass(r, notes: TransformedNote.notes(set: set, removed: removed))
    }
}
