import SluiceCore
import SluiceJSON
import SluiceCharset

/// CSV options: `csv: {delimiter, header, quote}`.
struct CSVOptions: Sendable, Equatable {
    var delimiter: UInt8 = UInt8(ascii: ",")
    var quote: UInt8 = UInt8(ascii: "\"")
    var header = true
}

/// RFC 4180 CSV, streamed row by row. Rows end at `\n`, `\r\n` or a lone `\r` (outside quotes).
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks; a quote inside an unquoted
/// field is kept as text. The header row names the fields (empty names become `column_N`, repeated
/// ones get `_2`, `_3`); without a header, fields are `column_1`, `column_2`, ... and the first row
/// sets the expected width. Values are strings. The file's encoding is chosen once (`FileEncoding`)
/// and each field is decoded with it; a field with bytes that are not valid in it quarantines its
/// row as `undecodable_text`, naming the field, the byte and why that encoding was chosen. In
/// double-byte charsets (Shift_JIS, Big5, GB18030, EUC-KR) the byte after a lead byte belongs to
/// the character, so a `|` or `\` inside `ポ` or `ソ` is never taken for a delimiter. Quarantined: a row whose field count differs from
/// the header's (`malformed`), a character after a closing quote (`malformed`), a quote still open
/// at the end of the file (`malformed`, rest of file), a row over `max_record_bytes`.
final class CSVReader: FormatReader {
    let input: ChunkReader
    let settings: ReaderSettings
    let options: CSVOptions
    let encoding: FileEncoding
    /// Lead bytes and the least trail byte of a double-byte charset, for the scanner.
    let twoByte: (lead: [Bool], minimumTrail: UInt8)?
    private var names: [String]?
    var currentLine = 1
    private var index = 0
    private var finished = false
    private(set) var resumePoint: ResumePoint?
    private(set) var strippedNULs = 0

    init(input: ChunkReader, settings: ReaderSettings, options: CSVOptions,
         encoding: FileEncoding = FileEncoding(kind: .utf8, origin: "UTF-8", report: nil)) {
        self.input = input
        self.settings = settings
        self.options = options
        self.encoding = encoding
        if case .legacy(let charset) = encoding.kind { twoByte = charset.twoByteUnits } else { twoByte = nil }
    }

    /// Reads the header row (when configured) so that `skip(to:)` can then jump over data rows.
    /// Returns a failure item when the header itself is unusable.
    func readHeader() -> ReadItem? {
        guard options.header, names == nil, !finished else { return nil }
        while let row = scanRow() {
            if row.isBlank { continue }
            if let problem = row.problem ?? (row.tooLarge ? "the header row is over max_record_bytes" : nil) {
                finished = true
                return .failure(.malformed, "the header row (line \(row.line)) is unusable, so the file is not read: \(problem)",
                                raw: row.raw, rawTotal: row.rawTotal, locator: Locator(line: row.line, byteOffset: row.offset), id: settings.path)
            }
            switch decodeFields(row) {
            case .failure(let f):
                finished = true
                return .failure(f.code, "the header row (line \(row.line)) is unusable, so the file is not read: \(f.message)",
                                raw: row.raw, locator: Locator(line: row.line, byteOffset: row.offset), id: settings.path)
            case .success(let fields):
                names = Self.fieldNames(fields)
                resumePoint = ResumePoint(offset: input.offset, line: currentLine)
                return nil
            }
        }
        finished = true
        return input.failure.map { $0.item(raw: [], locator: Locator(line: currentLine), id: settings.path, what: "reading stopped in the header") }
    }

    /// Jumps to `point` (from a checkpoint) without parsing the rows in between.
    func skip(to point: ResumePoint) -> Bool {
        guard input.skip(to: point.offset) else { return false }
        currentLine = point.line
        resumePoint = point
        return true
    }

    /// Continues the data-row numbering after a resume.
    func setNextIndex(_ value: Int) { index = value }

    func next() -> ReadItem? {
        if let headerFailure = readHeader() { return headerFailure }
        while !finished {
            guard let row = scanRow() else {
                finished = true
                if let failure = input.failure {
                    return failure.item(raw: [], locator: Locator(line: currentLine, byteOffset: input.offset, index: index),
                                        id: "\(settings.path)#\(index)", what: "reading stopped before line \(currentLine)")
                }
                return nil
            }
            if row.isBlank { continue }
            let rowIndex = index
            index += 1
            let locator = Locator(line: row.line, byteOffset: row.offset, index: rowIndex)
            let id = "\(settings.path)#\(rowIndex)"
            if row.cut {
                finished = true
                return input.failure?.item(raw: row.raw, locator: locator, id: id, what: "row \(rowIndex) (line \(row.line)) is cut off")
            }
            if row.unclosedQuote {
                finished = true
                return .failure(.malformed, "unclosed quote: a quoted field opened on line \(row.line) never closes before the end of the file "
                                + "(line \(currentLine)); the rest of the file is quarantined with it",
                                raw: row.raw, rawTotal: row.rawTotal, sha256: row.sha256, locator: locator, id: id)
            }
            resumePoint = ResumePoint(offset: input.offset, line: currentLine)
            if row.tooLarge {
                return .failure(.tooLarge, "row \(rowIndex) (line \(row.line)) has \(row.rawTotal) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                                raw: row.raw, rawTotal: row.rawTotal, sha256: row.sha256, locator: locator, id: id)
            }
            if let problem = row.problem {
                return .failure(.malformed, "row \(rowIndex) (line \(row.line)): \(problem)", raw: row.raw, locator: locator, id: id)
            }
            var item = ReadItem(content: .value(.null), raw: row.raw, rawTotal: row.rawTotal, rawSHA256: nil, locator: locator, derivedID: id)
            item.content = content(of: row, rowIndex: rowIndex)
            return item
        }
        return nil
    }

    private func content(of row: CSVRow, rowIndex: Int) -> ReadItem.Content {
        let fields: [String]
        switch decodeFields(row) {
        case .failure(let f): return .failure(f.code, "row \(rowIndex) (line \(row.line)): \(f.message)")
        case .success(let decoded): fields = decoded
        }
        if names == nil { names = (1...max(1, fields.count)).map { "column_\($0)" } }
        let names = self.names ?? []
        guard fields.count == names.count else {
            let expected = options.header ? "the header has \(names.count)" : "the first row has \(names.count)"
            return .failure(.malformed, "row \(rowIndex) (line \(row.line)) has \(fields.count) field\(fields.count == 1 ? "" : "s") but \(expected)")
        }
        var object = JSONObject()
        for (name, value) in zip(names, fields) { object[name] = .string(value) }
        return .value(.object(object))
    }

    private func decodeFields(_ row: CSVRow) -> Result<[String], TextDecoding.Failure> {
        var out: [String] = []
        out.reserveCapacity(row.fieldEnds.count)
        var start = 0
        for (n, end) in row.fieldEnds.enumerated() {
            var slice = row.values[start..<end]
            if settings.stripNUL, slice.contains(0) {
                let (kept, removed) = Array(slice).removingNUL()
                slice = kept[...]
                strippedNULs += removed
            }
            let decoded: Result<String, TextDecoding.Failure>
            switch encoding.kind {
            case .utf8: decoded = slice.withUnsafeBytes { TextDecoding.decode($0) }
            case .legacy(let charset): decoded = Self.decode(Array(slice), charset)
            }
            switch decoded {
            case .success(let s): out.append(s)
            case .failure(var f):
                let reading = f.code == .undecodableText ? "; the file is read as \(encoding.origin)" : ""
                f.message = "field \(n + 1): \(f.message)\(reading)"
                return .failure(f)
            }
            start = end
        }
        return .success(out)
    }

    /// A field's bytes in a legacy charset: strict, and NUL refused as in UTF-8 text.
    static func decode(_ bytes: [UInt8], _ charset: TextCharset) -> Result<String, TextDecoding.Failure> {
        if let zero = bytes.firstIndex(of: 0) { return .failure(TextDecoding.nulByte(at: zero)) }
        if let text = charset.decode(bytes) { return .success(text) }
        let bad = charset.firstInvalidByte(in: bytes) ?? 0
        let byte = bad < bytes.count ? "byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad)" : "the end"
        return .failure(TextDecoding.Failure(
            code: .undecodableText, message: "the text is not valid \(charset.name): \(byte) does not start or continue a character",
            byteOffset: bad))
    }

    static func fieldNames(_ header: [String]) -> [String] {
        var seen: [String: Int] = [:]
        var names: [String] = []
        for (i, raw) in header.enumerated() {
            var name = raw.trimmingSpaces()
            if name.isEmpty { name = "column_\(i + 1)" }
            if let count = seen[name] {
                seen[name] = count + 1
                name = "\(name)_\(count + 1)"
            } else {
                seen[name] = 1
            }
            names.append(name)
        }
        return names
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
