import SluiceCore
import SluiceJSON
import SluiceText

/// Why a whole-file document could not become a record.
struct DocumentFailure: Error {
    var code: RecordFailure.Code
    var message: String
}

/// Formats where one file is one record (text, markdown, html): the file is read whole, up to
/// `max_record_bytes`, decoded by `TextDecoding`, then turned into fields by `convert`. Text that
/// is not UTF-8 goes to `CharsetDetector` (BOMs, declarations such as `<meta charset>`, legacy
/// encodings scored by language models); when it reads the bytes with confidence the record gets
/// a `source_charset` field naming the encoding, else it is quarantined as `undecodable_text`.
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
        var sourceCharset: String?
        switch TextDecoding.decode(all.bytes) {
        case .failure(let f) where f.code == .undecodableText:
            // Not UTF-8: a legacy encoding the detector can read with confidence, or a refusal.
            switch CharsetDetector.decode(all.bytes, minConfidence: TextDecoding.legacyMinConfidence) {
            case .success(let decoded) where TextDecoding.isPlausibleText(decoded.text):
                text = decoded.text
                sourceCharset = decoded.charset.name
            case .success(let decoded):
                return .failure(.undecodableText, "\(f.message); read as \(decoded.charset.name) it holds control or non-characters, so it is not text in that encoding either",
                                raw: all.bytes, locator: locator, id: id)
            case .failure(let u):
                return .failure(.undecodableText, "\(f.message); no encoding reads it with confidence (\(u.message))",
                                raw: all.bytes, locator: locator, id: id)
            }
        case .failure(let f): return .failure(f.code, f.message, raw: all.bytes, locator: locator, id: id)
        case .success(let t): text = t
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return .failure(.empty, all.total == 0 ? "the file is empty" : "the file holds only whitespace",
                            raw: all.bytes, locator: locator, id: id)
        }
        var item = ReadItem(content: .value(.null), raw: all.bytes, rawTotal: all.total, rawSHA256: all.sha256, locator: locator, derivedID: id)
        switch convert(text) {
        case .success(var object):
            if let sourceCharset { object["source_charset"] = .string(sourceCharset) }
            item.content = .value(.object(object))
        case .failure(let f): item.content = .failure(f.code, f.message)
        }
        return item
    }
}
