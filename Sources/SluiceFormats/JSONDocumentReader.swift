import SluiceCore
import SluiceJSON

/// A `.json` file: a top-level array gives one record per item, streamed (each item is found by a
/// byte scanner that tracks strings, escapes and nesting, then parsed alone); any other document
/// is read whole (up to `max_record_bytes`) and gives one record.
final class JSONDocumentReader: FormatReader {
    private let input: ChunkReader
    private let settings: ReaderSettings
    private var state: State = .start
    private var index = 0
    private var line = 1
    let resumePoint: ResumePoint? = nil

    private enum State { case start, items, afterItem, done }

    init(input: ChunkReader, settings: ReaderSettings) {
        self.input = input
        self.settings = settings
    }

    func next() -> ReadItem? {
        while true {
            switch state {
            case .done:
                return nil
            case .start:
                skipWhitespace()
                guard let first = input.peek() else {
                    state = .done
                    if let failure = input.failure { return failure.item(raw: [], locator: Locator(line: 1, byteOffset: input.offset), id: settings.path, what: "reading stopped") }
                    return .failure(.empty, "the file holds no JSON value", raw: [], locator: Locator(line: 1, byteOffset: 0), id: settings.path)
                }
                if first == UInt8(ascii: "[") {
                    input.consume(1)
                    skipWhitespace()
                    if input.peek() == UInt8(ascii: "]") {
                        input.consume(1)
                        state = .afterItem
                        return trailing()
                    }
                    state = .items
                } else {
                    state = .done
                    return wholeDocument()
                }
            case .items:
                return scanItem()
            case .afterItem:
                state = .done
                return trailing()
            }
        }
    }

    private func skipWhitespace() {
        while let b = input.peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
            if b == 0x0A { line += 1 }
            input.consume(1)
        }
    }

    /// After the closing `]` only whitespace may follow.
    private func trailing() -> ReadItem? {
        skipWhitespace()
        state = .done
        if input.peek() != nil {
            return .failure(.malformed, "unexpected data after the top-level array at line \(line), byte \(input.offset)",
                            raw: [], locator: Locator(line: line, byteOffset: input.offset, index: index), id: "\(settings.path)#\(index)")
        }
        if let failure = input.failure {
            return failure.item(raw: [], locator: Locator(line: line, byteOffset: input.offset), id: settings.path, what: "reading stopped after the array")
        }
        return nil
    }

    private func wholeDocument() -> ReadItem {
        let startOffset = input.offset
        let locator = Locator(line: line, byteOffset: startOffset)
        let all = input.readAll(limit: settings.maxRecordBytes)
        if let failure = input.failure { return failure.item(raw: all.bytes, locator: locator, id: settings.path, what: "the document is cut off") }
        if all.total > settings.maxRecordBytes {
            return .failure(.tooLarge, "the document has \(all.total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                            raw: all.bytes, rawTotal: all.total, sha256: all.sha256, locator: locator, id: settings.path)
        }
        var item = ReadItem(content: .value(.null), raw: all.bytes, rawTotal: all.total, rawSHA256: all.sha256, locator: locator, derivedID: settings.path)
        item.content = parse(all.bytes, what: "the document")
        return item
    }

    private func parse(_ bytes: [UInt8], what: String) -> ReadItem.Content {
        if let bad = bytes.withUnsafeBytes({ TextDecoding.check($0) }) { return .failure(bad.code, "\(what): \(bad.message)") }
        do {
            var value = try JSONParser.parse(bytes, options: .init(maxDepth: settings.maxDepth))
            if case .object = value { return .value(value) }
            defer { value.dismantle() }  // a deep array would overflow the stack if freed recursively
            return .failure(.notAnObject, "\(what) is a JSON \(value.typeName), not an object")
        } catch {
            return failureContent(for: error, what: what)
        }
    }

    /// Scans one array item up to its `,` or `]` at depth 0, then parses it alone.
    private func scanItem() -> ReadItem {
        skipWhitespace()
        let itemIndex = index
        index += 1
        let locator = Locator(line: line, byteOffset: input.offset, index: itemIndex)
        let id = "\(settings.path)#\(itemIndex)"
        var kept: [UInt8] = []
        var total = 0
        var hasher: StreamingSHA256?
        var depth = 0
        var inString = false
        var escaped = false
        var terminator: UInt8?
        scanning: while true {
            if input.isEmpty && !input.fill() { break }
            let chunk = input.available
            var i = 0
            while i < chunk.count {
                let b = chunk[i]
                if inString {
                    if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch b {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        if depth == 0 { terminator = b } else { depth -= 1 }
                    case UInt8(ascii: ","):
                        if depth == 0 { terminator = b }
                    case 0x0A: line += 1
                    default: break
                    }
                    if terminator != nil { break }
                }
                i += 1
            }
            let segment = UnsafeRawBufferPointer(rebasing: chunk[..<i])
            if hasher == nil && total + segment.count > settings.maxRecordBytes {
                var h = StreamingSHA256()
                h.update(kept)
                hasher = h
            }
            if hasher != nil {
                hasher?.update(segment)
                if kept.count < RawBytes.defaultLimit { kept.append(contentsOf: segment.prefix(RawBytes.defaultLimit - kept.count)) }
            } else {
                kept.append(contentsOf: segment)
            }
            total += segment.count
            input.consume(i)
            if let t = terminator {
                input.consume(1)
                if t == UInt8(ascii: ",") { state = .items } else { state = .afterItem }
                if t == UInt8(ascii: "}") {
                    state = .done
                    return .failure(.malformed, "item \(itemIndex) of the top-level array ends with an unmatched '}' at line \(line)",
                                    raw: kept, rawTotal: total, locator: locator, id: id)
                }
                break scanning
            }
        }
        if terminator == nil {
            state = .done
            if let failure = input.failure { return failure.item(raw: kept, locator: locator, id: id, what: "item \(itemIndex) is cut off") }
            return .failure(.malformed, "the top-level array is not closed: the file ends inside item \(itemIndex) (line \(line))",
                            raw: kept, rawTotal: total, locator: locator, id: id)
        }
        while let last = kept.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09, hasher == nil {
            kept.removeLast()
            total -= 1
        }
        if let hasher {
            return .failure(.tooLarge, "item \(itemIndex) has \(total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                            raw: kept, rawTotal: total, sha256: hasher.finalizeHex(), locator: locator, id: id)
        }
        if kept.isEmpty {
            return .failure(.malformed, "item \(itemIndex) of the top-level array is empty (a stray comma at line \(line)?)",
                            raw: [], locator: locator, id: id)
        }
        var item = ReadItem(content: .value(.null), raw: kept, rawTotal: total, rawSHA256: nil, locator: locator, derivedID: id)
        item.content = parse(kept, what: "item \(itemIndex)")
        return item
    }
}
