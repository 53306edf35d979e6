import Foundation
import SluiceCore
import SluiceJSON

/// JSON Lines: each non-blank line is one JSON object.
///
/// A line longer than `max_record_bytes` is streamed past, never held whole. Blank lines are
/// skipped. Line numbers are 1-based physical lines; byte offsets count in the decompressed stream.
final class JSONLinesReader: FormatReader {
    let input: ChunkReader
    private let settings: ReaderSettings
    var nextLineNumber: Int
    private var finished = false
    var resumePoint: ResumePoint?

    init(input: ChunkReader, settings: ReaderSettings, firstLine: Int = 1) {
        self.input = input
        self.settings = settings
        self.nextLineNumber = firstLine
    }

    func next() -> ReadItem? {
        while !finished {
            guard let line = input.nextLine(maxBytes: settings.maxRecordBytes) else {
                finished = true
                if let failure = input.failure {
                    return failure.item(raw: [], locator: Locator(line: nextLineNumber, byteOffset: input.offset),
                                        id: "\(settings.path)#L\(nextLineNumber)", what: "reading stopped before line \(nextLineNumber)")
                }
                return nil
            }
            let number = nextLineNumber
            nextLineNumber += 1
            let locator = Locator(line: number, byteOffset: line.offset)
            let id = "\(settings.path)#L\(number)"
            if line.cut {
                finished = true
                return input.failure?.item(raw: line.bytes, locator: locator, id: id, what: "line \(number) is cut off")
            }
            resumePoint = ResumePoint(offset: input.offset, line: nextLineNumber)
            if line.isTooLong {
                return .failure(.tooLarge, "line \(number) has \(line.total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                                raw: line.bytes, rawTotal: line.total, sha256: line.sha256, locator: locator, id: id)
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return item(line.bytes, locator: locator, id: id, number: number)
        }
        return nil
    }

    private func item(_ bytes: [UInt8], locator: Locator, id: String, number: Int) -> ReadItem {
        var result = ReadItem(content: .value(.null), raw: bytes, rawTotal: bytes.count, rawSHA256: nil, locator: locator, derivedID: id)
        let checked = bytes.withUnsafeBytes { TextDecoding.check($0) }
        if let bad = checked {
            result.content = .failure(bad.code, "line \(number): \(bad.message)")
            return result
        }
        do {
            var value = try JSONParser.parse(bytes, options: .init(maxDepth: settings.maxDepth))
            if case .object = value {
                result.content = .value(value)
            } else {
                result.content = .failure(.notAnObject, "line \(number) holds a JSON \(value.typeName), not an object")
            }
        } catch {
            // The parser counts lines within the record, which is always line 1 here.
            var error = error
            error.message = error.message.replacingOccurrences(of: "at line 1, column", with: "at column")
            result.content = failureContent(for: error, what: "line \(number)")
        }
        return result
    }
}

extension JSONLinesReader {
    /// Jumps to `point` (from a checkpoint) without parsing the lines in between.
    func skip(to point: ResumePoint) -> Bool {
        guard input.skip(to: point.offset) else { return false }
        nextLineNumber = point.line
        resumePoint = point
        return true
    }
}
                value.dismantle()  // a deep array would overflow the stack if freed recursively
