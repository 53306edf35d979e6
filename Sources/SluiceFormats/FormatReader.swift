import SluiceCore
import SluiceJSON

/// What a format reader produces for one record: a value or the reason it has none, with the
/// raw bytes it came from and where it sits in the file.
struct ReadItem {
    enum Content {
        case value(JSONValue)
        case failure(RecordFailure.Code, String)
    }

    var content: Content
    /// The record's bytes (a bounded prefix when `rawTotal` is larger).
    var raw: [UInt8]
    var rawTotal: Int
    /// SHA-256 of the full raw bytes when `raw` holds only a prefix of them.
    var rawSHA256: String?
    var locator: Locator
    /// The id used when no `id` field is configured: `path#L3`, `path#4`, `path`.
    var derivedID: String
    /// For failures: where inside the record the problem is (RFC 6901).
    var pointer: String? = nil

    static func failure(_ code: RecordFailure.Code, _ message: String, raw: [UInt8], rawTotal: Int? = nil, sha256: String? = nil,
                        locator: Locator, id: String) -> ReadItem {
        ReadItem(content: .failure(code, message), raw: Array(raw.prefix(RawBytes.defaultLimit)), rawTotal: rawTotal ?? raw.count,
                 rawSHA256: sha256 ?? (raw.count > RawBytes.defaultLimit ? ContentHash.sha256Hex(raw) : nil), locator: locator, derivedID: id)
    }
}

/// Reads one file's records in order. Readers never throw: every problem becomes a failure item,
/// and after a failure that ends the file (`corrupt_compression`, an unclosed array) `next()`
/// returns nil.
protocol FormatReader: AnyObject {
    func next() -> ReadItem?
    /// Where to resume after the last item returned, when the format can skip ahead by bytes:
    /// the byte offset after the item and the line number that follows. Nil: resume by count.
    var resumePoint: ResumePoint? { get }
    /// NUL bytes removed so far under `nul: strip` (0 otherwise).
    var strippedNULs: Int { get }
}

extension FormatReader {
    var strippedNULs: Int { 0 }
}

struct ResumePoint: Equatable {
    var offset: Int
    var line: Int
}

/// What every reader needs to know about the file and the limits.
struct ReaderSettings {
    /// The path relative to the base folder (or absolute outside it): the record ids' prefix.
    var path: String
    var maxRecordBytes: Int
    var maxDepth: Int
    /// `nul: strip`: NUL bytes in text are removed (and counted) instead of quarantining the record.
    var stripNUL = false
    /// The file's size when the reader reads its bytes as they are on disk; nil when they are
    /// decompressed first (then offsets are in the decompressed stream, whose end is unknown).
    var fileBytes: Int? = nil
}

/// What `nul:` says to do with a NUL byte in text.
public enum NULPolicy: String, Sendable, CaseIterable {
    /// The record (line, row, document) is quarantined as `nul_byte`.
    case quarantine
    /// NUL bytes are removed; the file's `nul_stripped` notice counts them.
    case strip
}

extension Array where Element == UInt8 {
    /// The bytes without NUL, and how many were removed.
    func removingNUL() -> ([UInt8], Int) {
        let kept = filter { $0 != 0 }
        return (kept, count - kept.count)
    }
}

extension StreamFailure {
    /// The item reporting that the file's stream broke at `locator`.
    func item(raw: [UInt8], locator: Locator, id: String, what: String) -> ReadItem {
        .failure(code, "\(what): \(message)", raw: raw, locator: locator, id: id)
    }
}

/// Maps a JSON parser error to a quarantine reason.
func failureContent(for error: JSONParseError, what: String) -> ReadItem.Content {
    switch error.code {
    case .tooDeep: return .failure(.tooDeep, "\(what) nests deeper than max_depth: \(error.message)")
    case .invalidUTF8: return .failure(.undecodableText, "\(what) is not valid UTF-8: \(error.message)")
    default: return .failure(.malformed, "\(what) is not valid JSON: \(error.message)")
    }
}
