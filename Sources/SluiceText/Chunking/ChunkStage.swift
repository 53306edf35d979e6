public import SluiceCore
import SluiceJSON

/// The `chunk` stage: each document becomes its chunks, or with `keep_document` is followed by
/// them (see `descriptor` for the record shape).
///
/// Stateless and deterministic: a document's chunks and their ids depend only on the document
/// and the options. The tokenizer is loaded once, when the stage is built.
public struct ChunkStage: StatelessStage {
    public let chunker: Chunker
    let field: JSONPointer
    let copyFields: [(pointer: JSONPointer, key: String)]
    /// `keep_document`: the document goes on beside its chunks instead of being replaced by them.
    let keepDocument: Bool

    /// Keys every chunk record has; copied fields may not use them.
    static let chunkKeys: Set<String> = ["doc_id", "index", "text", "start", "end", "size", "unit", "heading_path"]

    public init(options: ComponentOptions, context: BuildContext) throws {
        var problems: [ConfigDiagnostic] = []
        field = try options.pointer("field") ?? JSONPointer(tokens: ["body"])
        let strategyName = try options.string("strategy") ?? ChunkStrategy.recursive.rawValue
        let unitName = try options.string("unit") ?? ChunkSizeUnit.chars.rawValue
        let strategy = ChunkStrategy(rawValue: strategyName) ?? .recursive
        let unit = ChunkSizeUnit(rawValue: unitName) ?? .chars
        if ChunkStrategy(rawValue: strategyName) == nil {
            problems.append(.error("invalid_value", "strategy must be one of \(ChunkStrategy.allCases.map(\.rawValue).joined(separator: ", "))", at: options.location("strategy")))
        }
        if ChunkSizeUnit(rawValue: unitName) == nil {
            problems.append(.error("invalid_value", "unit must be one of \(ChunkSizeUnit.allCases.map(\.rawValue).joined(separator: ", "))", at: options.location("unit")))
        }
        let chunkOptions = ChunkerOptions(
            strategy: strategy, unit: unit, maxSize: try options.int("max_size") ?? 0,
            minSize: try options.int("min_size") ?? 0, overlap: try options.int("overlap") ?? 0,
            trim: try options.bool("trim") ?? true)

        var tokenizer: HFTokenizer?
        if let path = try options.string("tokenizer") {
            let url = context.resolve(path)
            do { tokenizer = try HFTokenizer(contentsOf: url) } catch {
                problems.append(.error("invalid_tokenizer", "cannot use tokenizer \(path): \(error)", at: options.location("tokenizer")))
            }
        }
        for p in chunkOptions.problems(hasTokenizer: tokenizer != nil || options.isSet("tokenizer")) {
            problems.append(.error("invalid_value", "\(p.option) \(p.message)", at: options.location(p.option)))
        }

        var copies: [(JSONPointer, String)] = []
        for pointer in try options.pointers("copy_fields") ?? [] {
            guard let key = pointer.tokens.last else {
                problems.append(.error("invalid_value", "copy_fields cannot copy the whole document (pointer '')", at: options.location("copy_fields")))
                continue
            }
            if Self.chunkKeys.contains(key) {
                problems.append(.error("invalid_value", "copy_fields: '\(pointer)' would overwrite the chunk's own '\(key)'", at: options.location("copy_fields")))
            }
            copies.append((pointer, key))
        }
        copyFields = copies
        keepDocument = try options.bool("keep_document") ?? false

        if problems.count == 1, let only = problems.first { throw only }
        if !problems.isEmpty { throw ConfigDiagnostics(problems) }
        do { chunker = try Chunker(options: chunkOptions, tokenizer: tokenizer) } catch {
            throw ConfigDiagnostic.error("invalid_value", "\(error)", at: options.location(error.option))
        }
    }

    public func process(_ record: Record) throws -> StageOutcome {
        guard let value = field.get(in: record.value), !value.isNull else {
            return .quarantine(failure(record, .missingField, "field \(field) is missing or null; it should hold the text to chunk"))
        }
        guard case .string(let text) = value else {
            return .quarantine(failure(record, .wrongType, "field \(field) is \(value.typeName), not a string of text to chunk"))
        }
        let chunks = chunker.chunks(of: text)
        if chunks.isEmpty && !keepDocument { return .drop(record, DropReason(code: "empty_text")) }

        var copied: [(String, JSONValue)] = []
        for (pointer, key) in copyFields {
            if let v = pointer.get(in: record.value), !v.isNull { copied.append((key, v)) }
        }
        var seen: [String: Int] = [:]
        let unit = JSONValue.string(chunker.options.unit.rawValue)
        let children = chunks.map { chunk -> Record in
            let digest = String(ContentHash.sha256Hex(chunk.text).prefix(16))
            let repeatNumber = (seen[digest] ?? 0) + 1
            seen[digest] = repeatNumber
            var object = JSONObject()
            object["doc_id"] = .string(record.id)
            object["index"] = .number(JSONNumber(chunk.index))
            object["text"] = .string(chunk.text)
            object["start"] = .number(JSONNumber(chunk.start))
            object["end"] = .number(JSONNumber(chunk.end))
            object["size"] = .number(JSONNumber(chunk.size))
            object["unit"] = unit
            object["heading_path"] = .array(chunk.headingPath.map { .string($0) })
            for (key, v) in copied { object[key] = v }
            let id = "\(record.id)#\(digest)" + (repeatNumber > 1 ? ".\(repeatNumber)" : "")
            return Record(id: id, value: .object(object), provenance: record.provenance, parent: record.id)
        }
        let note = StageNote(.chunked, details: [
            "chunks": .number(JSONNumber(children.count)),
            "strategy": .string(chunker.options.strategy.rawValue),
            "unit": unit,
            "max_size": .number(JSONNumber(chunker.options.maxSize)),
        ])
        guard keepDocument else { return .emit(parent: record, children: children, notes: [note]) }
        var document = record
        document.kind = .document
        return .derive(document, children: children, notes: [note])
    }

    private func failure(_ record: Record, _ code: RecordFailure.Code, _ message: String) -> RecordFailure {
        RecordFailure(code: code, message: message, recordID: record.id, provenance: record.provenance,
                      pointer: field.description, stage: Self.descriptor.name)
    }
}
