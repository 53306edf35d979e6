import SluiceCore
import SluiceJSON

/// Why a whole-file document could not become a record.
struct DocumentFailure: Error {
    var code: RecordFailure.Code
    var message: String
}

/// Formats where one file is one record (text, markdown, html): the file is read whole, up to
/// `max_record_bytes`, decoded by `TextDecoding`, then turned into fields by `convert`.
///
/// An empty file, or one holding only whitespace, is quarantined as `empty`: a document was
/// expected and there is none (unlike JSON Lines and CSV, where an empty file simply has no rows).
final class WholeFileReader: FormatReader {
    private let input: ChunkReader
    private let settings: ReaderSettings
    private let convert: (String) -> Result<JSONObject, DocumentFailure>
    private var done = false
    let resumePoint: ResumePoint? = nil

    init(input: ChunkReader, settings: ReaderSettings, convert: @escaping (String) -> Result<JSONObject, DocumentFailure>) {
        self.input = input
        self.settings = settings
        self.convert = convert
    }

    func next() -> ReadItem? {
        guard !done else { return nil }
        done = true
        let locator = Locator(byteOffset: input.offset)
        let id = settings.path
        let all = input.readAll(limit: settings.maxRecordBytes)
        if let failure = input.failure { return failure.item(raw: all.bytes, locator: locator, id: id, what: "the file is cut off") }
        if all.total > settings.maxRecordBytes {
            return .failure(.tooLarge, "the file has \(all.total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                            raw: all.bytes, rawTotal: all.total, sha256: all.sha256, locator: locator, id: id)
        }
        let text: String
        switch TextDecoding.decode(all.bytes) {
        case .failure(let f): return .failure(f.code, f.message, raw: all.bytes, locator: locator, id: id)
        case .success(let t): text = t
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return .failure(.empty, all.total == 0 ? "the file is empty" : "the file holds only whitespace",
                            raw: all.bytes, locator: locator, id: id)
        }
        var item = ReadItem(content: .value(.null), raw: all.bytes, rawTotal: all.total, rawSHA256: all.sha256, locator: locator, derivedID: id)
        switch convert(text) {
        case .success(let object): item.content = .value(.object(object))
        case .failure(let f): item.content = .failure(f.code, f.message)
        }
        return item
    }
}
