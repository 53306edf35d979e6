import Foundation
import SluiceCore
import SluiceJSON

/// JSON Lines: each non-blank line is one JSON object.
///
/// A line longer than `max_record_bytes` is streamed past, never held whole. Blank lines are
/// skipped. Lines end at `\n`, `\r\n` or a lone `\r` (a raw CR cannot be inside a JSON string,
/// so it always ends a line). Line numbers are 1-based physical lines; byte offsets count in the
/// decompressed stream.
final class JSONLinesReader: FormatReader {
    let input: ChunkReader
    private let settings: ReaderSettings
    var nextLineNumber: Int
    private var finished = false
    var resumePoint: ResumePoint?
    private(set) var strippedNULs = 0
    /// The lines after a lone CR in the physical line being handed out, and where that line ends.
    private var pieces: [(bytes: [UInt8], offset: Int)] = []
    private var piecesEnd = 0

    init(input: ChunkReader, settings: ReaderSettings, firstLine: Int = 1) {
        self.input = input
        self.settings = settings
        self.nextLineNumber = firstLine
    }

    func next() -> ReadItem? {
        while !pieces.isEmpty {
            let piece = pieces.removeFirst()
            let number = nextLineNumber
            nextLineNumber += 1
            // Only after the last piece is the whole physical line behind us: a resume point
            // before that would skip the pieces not yet committed.
            if pieces.isEmpty { resumePoint = ResumePoint(offset: piecesEnd, line: nextLineNumber) }
            if piece.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return item(piece.bytes, locator: Locator(line: number, byteOffset: piece.offset), id: "\(settings.path)#L\(number)", number: number)
        }
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
            if line.isTooLong {
                resumePoint = ResumePoint(offset: input.offset, line: nextLineNumber)
                return .failure(.tooLarge, "line \(number) has \(line.total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                                raw: line.bytes, rawTotal: line.total, sha256: line.sha256, locator: locator, id: id)
            }
            if let cr = line.bytes.firstIndex(of: 0x0D) {
                // Lone CRs end lines too: hand out the first, queue the others.
                var start = cr + 1
                while start <= line.bytes.count {
                    let end = line.bytes[start...].firstIndex(of: 0x0D) ?? line.bytes.count
                    pieces.append((Array(line.bytes[start..<end]), line.offset + start))
                    start = end + 1
                }
                piecesEnd = input.offset
                let first = Array(line.bytes[..<cr])
                if first.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return next() }
                return item(first, locator: locator, id: id, number: number)
            }
            resumePoint = ResumePoint(offset: input.offset, line: nextLineNumber)
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return item(line.bytes, locator: locator, id: id, number: number)
        }
        return nil
    }

    private func item(_ bytes: [UInt8], locator: Locator, id: String, number: Int) -> ReadItem {
        var result = ReadItem(content: .value(.null), raw: bytes, rawTotal: bytes.count, rawSHA256: nil, locator: locator, derivedID: id)
        var bytes = bytes
        var checked = bytes.withUnsafeBytes { TextDecoding.check($0) }
        if settings.stripNUL, checked?.code == .nulByte {
            let (kept, removed) = bytes.removingNUL()
            bytes = kept
            strippedNULs += removed
            checked = bytes.withUnsafeBytes { TextDecoding.check($0) }
        }
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
                value.dismantle()  // a deep array would overflow the stack if freed recursively
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
