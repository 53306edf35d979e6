import SluiceCore
import SluiceJSON
import SluiceCharset

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
/// With an encoding pinned on the input, the bytes are decoded with it, strictly, and nothing is
/// detected.
///
/// An empty file, or one holding only whitespace, is quarantined as `empty`: a document was
/// expected and there is none (unlike JSON Lines and CSV, where an empty file simply has no rows).
final class WholeFileReader: FormatReader {
    private let input: ChunkReader
    private let settings: ReaderSettings
    private let convert: (String) -> Result<JSONObject, DocumentFailure>
    private let pinned: TextCharset?
    private var done = false
    let resumePoint: ResumePoint? = nil
    /// How the file was decoded when detection read it from a charset other than UTF-8.
    private(set) var decoded: DecodedText?
    private(set) var strippedNULs = 0

    init(input: ChunkReader, settings: ReaderSettings, pinned: TextCharset? = nil,
         convert: @escaping (String) -> Result<JSONObject, DocumentFailure>) {
        self.input = input
        self.settings = settings
        self.pinned = pinned
        self.convert = convert
    }

    func next() -> ReadItem? {
        guard !done else { return nil }
        done = true
        let locator = Locator(byteOffset: input.offset)
        let id = settings.path
        var all = input.readAll(limit: settings.maxRecordBytes)
        if let failure = input.failure { return failure.item(raw: all.bytes, locator: locator, id: id, what: "the file is cut off") }
        if all.total > settings.maxRecordBytes {
            return .failure(.tooLarge, "the file has \(all.total) bytes, over max_record_bytes (\(settings.maxRecordBytes))",
                            raw: all.bytes, rawTotal: all.total, sha256: all.sha256, locator: locator, id: id)
        }
        let text: String
        var sourceCharset: String?
        if settings.stripNUL, all.bytes.contains(0) {
            // Under `nul: strip` the NULs go before decoding, unless the bytes look like UTF-16/32
            // without a byte order mark (a quarter of them NUL, nearly all at even or all at odd
            // offsets): there NUL bytes are halves of characters, left to charset detection.
            if !Self.looksWide(all.bytes) {
                let (kept, removed) = all.bytes.removingNUL()
                all.bytes = kept
                strippedNULs += removed
            }
        }
        if let pinned, pinned != .utf8 {
            if let zero = all.bytes.firstIndex(of: 0) {
                let f = TextDecoding.nulByte(at: zero)
                return .failure(f.code, f.message, raw: all.bytes, locator: locator, id: id)
            }
            guard let t = pinned.decode(all.bytes) else {
                let bad = pinned.firstInvalidByte(in: all.bytes) ?? 0
                let byte = bad < all.bytes.count ? "byte 0x\(String(all.bytes[bad], radix: 16, uppercase: true)) at offset \(bad)" : "the end"
                return .failure(.undecodableText, "the text is not valid \(pinned.name), the encoding set on the input: \(byte) does not start "
                                + "or continue a character", raw: all.bytes, locator: locator, id: id)
            }
            return finish(t, sourceCharset: pinned.name, all: all, locator: locator)
        }
        switch TextDecoding.decode(all.bytes) {
        case .failure(let f) where f.code == .undecodableText && pinned == .utf8:
            return .failure(f.code, "\(f.message) (encoding: utf-8 is set on the input)", raw: all.bytes, locator: locator, id: id)
        case .failure(let f) where f.code == .undecodableText:
            // Not UTF-8: a legacy encoding the detector can read with confidence, or a refusal.
            switch CharsetDetector.decode(all.bytes, minConfidence: TextDecoding.legacyMinConfidence) {
            case .success(let decoded) where TextDecoding.isPlausibleText(decoded.text):
                text = decoded.text
                sourceCharset = decoded.charset.name
                self.decoded = decoded
            case .success(let decoded):
                return .failure(.undecodableText, "\(f.message); read as \(decoded.charset.name) it holds control or non-characters, so it is not text in that encoding either",
                                raw: all.bytes, locator: locator, id: id)
            case .failure(let u) where u.bestGuess == .utf8:
                // UTF-8 with a few bad bytes stays UTF-8: the document is refused, not misread.
                return .failure(.undecodableText, u.message, raw: all.bytes, locator: locator, id: id)
            case .failure(let u):
                return .failure(.undecodableText, "\(f.message); no encoding reads it with confidence (\(u.message))",
                                raw: all.bytes, locator: locator, id: id)
            }
        case .failure(let f) where f.code == .nulByte:
            // UTF-16/32 without a byte order mark has NUL bytes in Latin text: a NUL is refused
            // only when no wide reading explains it.
            guard case .success(let decoded) = CharsetDetector.decode(all.bytes, minConfidence: TextDecoding.legacyMinConfidence),
                  decoded.charset.isWide, TextDecoding.isPlausibleText(decoded.text) else {
                return .failure(f.code, f.message, raw: all.bytes, locator: locator, id: id)
            }
            text = decoded.text
            sourceCharset = decoded.charset.name
            self.decoded = decoded
        case .failure(let f): return .failure(f.code, f.message, raw: all.bytes, locator: locator, id: id)
        case .success(let t) where all.bytes.contains(0x1B):
            // 7-bit bytes with escapes may be ISO-2022-JP/KR, which are valid ASCII but not text as such.
            if case .success(let decoded) = CharsetDetector.decode(all.bytes), decoded.charset == .iso2022JP || decoded.charset == .iso2022KR {
                text = decoded.text
                sourceCharset = decoded.charset.name
                self.decoded = decoded
            } else {
                text = t
            }
        case .success(let t): text = t
        }
        return finish(text, sourceCharset: sourceCharset, all: all, locator: locator)
    }

    private static func looksWide(_ bytes: [UInt8]) -> Bool {
        var even = 0, odd = 0
        for (i, b) in bytes.enumerated() where b == 0 {
            if i & 1 == 0 { even += 1 } else { odd += 1 }
        }
        let nuls = even + odd
        return nuls * 4 >= bytes.count && max(even, odd) * 10 >= nuls * 9
    }

    private func finish(_ text: String, sourceCharset: String?, all: (bytes: [UInt8], total: Int, sha256: String), locator: Locator) -> ReadItem {
        let id = settings.path
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
