public import SluiceCore
public import SluiceJSON

/// An input that yields records written inline in the pipeline (`records:`), for tests and
/// examples. Its checkpoint is the number of records yielded, so resume works as for files.
public struct MemoryInput: Input {
    public static let descriptor = ComponentDescriptor(
        kind: .input, name: "memory",
        summary: "Yields the records written inline under `records` (for tests and examples).",
        fields: [
            FieldSpec("records", .list(.json), doc: "The records, as YAML mappings.", default: "[]"),
            FieldSpec("id", .pointer, doc: "The field holding each record's id; default: the position."),
        ])

    let values: [JSONValue]
    let idField: JSONPointer?
    let name: String

    public init(options: ComponentOptions, context: BuildContext) throws {
        values = options.value("records")?.items?.map(\.jsonValue) ?? []
        idField = try options.pointer("id")
        name = context.instanceName
    }

    public init(name: String, values: [JSONValue], idField: JSONPointer? = nil) {
        self.name = name
        self.values = values
        self.idField = idField
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource {
        MemorySource(input: self, start: checkpoint?["next"]?.numberValue?.intValue ?? 0)
    }

    final class MemorySource: RecordSource {
        let input: MemoryInput
        var next: Int
        init(input: MemoryInput, start: Int) {
            self.input = input
            next = start
        }

        func next() async throws -> SourceItem? {
            guard next < input.values.count else { return nil }
            defer { next += 1 }
            let v = input.values[next]
            let id = input.idField.flatMap { $0.get(in: v) }.flatMap { $0.stringValue ?? $0.numberValue?.text } ?? "\(input.name)#\(next)"
            let bytes = JSONWriter.bytes(v)
            return .record(Record(id: id, value: v, provenance: Provenance(
                input: input.name, uri: "memory:\(input.name)", locator: Locator(index: next), sha256: ContentHash.sha256Hex(bytes))))
        }

        var checkpoint: Checkpoint { ["next": .number(JSONNumber(next))] }
        var progress: SourceProgress? { SourceProgress(unit: "record", done: next, total: input.values.count) }
    }
}
