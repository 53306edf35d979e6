public import SluiceCore
import SluiceJSON

/// The `map` stage: runs a mapping over every record (see docs/mapping.md).
public struct MapStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "map",
        summary: "Reshapes records with a mapping: conversions, new fields, nested objects, ids from file names.",
        description: """
            `mapping` is a program in Sluice's mapping language (docs/mapping.md): assignments \
            such as `.count = to_int!(.count)`, `del(.x)`, `if … else`, functions and read-only \
            metadata (`%file_stem`, `%path`, …). It is checked when the pipeline is loaded: unknown \
            functions, wrong argument counts, knowable type errors, invalid regexes and unhandled \
            fallible calls are errors at their line and column in the pipeline file. A record on \
            which the mapping fails (a type error, a failed `!` call) is quarantined with code \
            `map_error`, the place in the pipeline file and the field. Changed fields are listed \
            (JSON Pointers, never values) in a `transformed` audit event. No loops exist, so a \
            mapping's time and memory are linear in the record's size. Stateless: runs on all cores.
            """,
        fields: [
            FieldSpec("mapping", .string, doc: "The mapping program, usually a YAML block scalar (`mapping: |`).", required: true,
                      example: ".count = to_int!(.count)"),
        ],
        examples: ["""
            - type: map
              mapping: |
                .id = %file_stem
                .tags = split(.tags ?? "", "|")
                .author = parse_name_email(.author) ?? null
            """])

    let program: MapProgram
    let sourceMap: MapSourceMap
    let clock = RunClock()

    public init(options: ComponentOptions, context: BuildContext) throws {
        let text = try options.requiredString("mapping")
        let node = options.node["mapping"] ?? options.node
        sourceMap = MapSourceMap(node: node, source: text)
        do { program = try MapProgram(source: text) } catch { throw sourceMap.diagnostics(error, option: "mapping") }
    }

    public func begin(run: RunContext, state: any StageStateReader) throws { clock.set(run.time) }

    public func process(_ record: Record) throws -> StageOutcome {
        guard case .object = record.value else {
            return .quarantine(RecordFailure(code: .notAnObject, message: "a mapping needs a record that is an object",
                                             recordID: record.id, provenance: record.provenance))
        }
        let result: MapResult
        do { result = try program.run(record.value, metadata: MapMetadata(record: record), now: clock.now()) } catch {
            return .quarantine(sourceMap.failure(error, record: record))
        }
        var out = record
        out.value = result.value
        return .pass(out, notes: TransformedNote.notes(set: result.set, removed: result.removed))
    }
}
