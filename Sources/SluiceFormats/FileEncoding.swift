import SluiceCore
import SluiceJSON
import SluiceCharset

/// How a streamed file's bytes become text, chosen once per file before its first record: from a
/// byte order mark, the pinned `encoding`, or detection on the file's first bytes.
struct FileEncoding {
    enum Kind: Equatable {
        /// UTF-8 bytes (after a BOM or a UTF-16/32 transcoder): checked record by record.
        case utf8
        /// A legacy charset: each record's bytes are decoded with it.
        case legacy(TextCharset)
    }

    var kind: Kind
    /// Why the file is read this way, for quarantine messages: `detected from the first 64 KiB,
    /// confidence 0.93`, `encoding: windows-1252 is set`.
    var origin: String
    /// The detection or pin, for the audit trail; nil for plain UTF-8 found by looking.
    var report: DecodedText?

    /// How much of a file detection looks at.
    static let prefixBytes = CharsetDetector.sampleBytes
    /// The least confidence at which detection decides a file's charset.
    static let minConfidence = TextDecoding.legacyMinConfidence

    /// Chooses for a stream with no BOM. `prefix` is its first `prefixBytes` bytes (fewer when
    /// `isComplete`). Returns the decision and, for UTF-16/32 found without a BOM, the unit size
    /// and byte order to transcode.
    static func choose(prefix: [UInt8], isComplete: Bool, pinned: TextCharset?) -> (FileEncoding, wide: TextCharset?) {
        if let pinned {
            let report = DecodedText.pinned(pinned)
            let origin = "the encoding set on the input (encoding: \(pinned.name))"
            if pinned == .utf8 { return (FileEncoding(kind: .utf8, origin: origin, report: nil), nil) }
            if pinned.isWide { return (FileEncoding(kind: .utf8, origin: origin, report: report), pinned) }
            return (FileEncoding(kind: .legacy(pinned), origin: origin, report: report), nil)
        }
        let scope = isComplete ? "the whole file" : "the file's first \(prefixBytes / 1024) KiB"
        switch CharsetDetector.decode(prefix: prefix, isComplete: isComplete, minConfidence: minConfidence) {
        case .success(let d) where d.charset == .utf8:
            let ascii = !prefix.contains { $0 >= 0x80 }
            // A few bad bytes among UTF-8 do not switch the file's charset: the records that hold
            // them are quarantined as undecodable_text.
            let damage = d.invalidSequences > 0 ? " apart from \(d.invalidSequences) invalid byte sequence\(d.invalidSequences == 1 ? "" : "s")" : ""
            return (FileEncoding(kind: .utf8, origin: "UTF-8, as \(scope) reads\(ascii ? " (all ASCII)" : "")\(damage)", report: nil), nil)
        case .success(let d) where !TextDecoding.isPlausibleText(d.text):
            return (FileEncoding(kind: .utf8, origin: "UTF-8: \(scope) is not UTF-8, and read as \(d.charset.name) it holds control "
                                 + "or non-characters, so no encoding was chosen", report: nil), nil)
        case .success(let d):
            let origin = "\(d.charset.name), detected from \(scope) with confidence \(DecodedText.formatted(d.confidence))"
            if d.charset.isWide { return (FileEncoding(kind: .utf8, origin: origin, report: d), d.charset) }
            return (FileEncoding(kind: .legacy(d.charset), origin: origin, report: d), nil)
        case .failure(let u):
            return (FileEncoding(kind: .utf8, origin: "UTF-8: \(scope) is not UTF-8 and no encoding reads it with confidence (\(u.message))",
                                 report: nil), nil)
        }
    }

    /// The audit event and summary notice for a file read through a charset other than UTF-8.
    static func items(for decoded: DecodedText, scope: String, input: String, path: String, time: any TimeSource) -> [SourceItem] {
        var details = decoded.json.objectValue ?? JSONObject()
        details["scope"] = .string(scope)
        let event = AuditEvent(.decoded, time: time.now(), input: input, uri: path, reason: decoded.charset.name,
                               details: .object(details))
        let notice = SourceNotice(code: "legacy_charset_files",
                                  message: "input '\(input)': '\(path)' read as \(decoded.charset.name) (\(scope), confidence "
                                      + "\(DecodedText.formatted(decoded.confidence)))")
        return [.event(event), .notice(notice)]
    }
}

/// A stream's first bytes, taken before deciding how to read the rest. A failure while taking
/// them (a damaged gzip) is kept and raised after the bytes before it were delivered, so the
/// records before the damage are still read.
final class PeekedStream: ByteStream {
    let prefix: [UInt8]
    /// The stream ended within the prefix (or failed there).
    let isComplete: Bool
    private let failure: StreamFailure?
    private var position = 0
    private let inner: any ByteStream

    init(_ inner: any ByteStream, count: Int) {
        self.inner = inner
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        var failure: StreamFailure?
        var ended = false
        while filled < count {
            do throws(StreamFailure) {
                let n = try bytes.withUnsafeMutableBufferPointer { (b) throws(StreamFailure) -> Int in
                    try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(b)[filled...]))
                }
                if n == 0 { ended = true; break }
                filled += n
            } catch {
                failure = error
                ended = true
                break
            }
        }
        bytes.removeLast(count - filled)
        prefix = bytes
        isComplete = ended
        self.failure = failure
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        if position < prefix.count {
            let n = min(buffer.count, prefix.count - position)
            prefix.withUnsafeBytes { src in
                guard let from = src.baseAddress, let to = buffer.baseAddress else { return }
                to.copyMemory(from: from + position, byteCount: n)
            }
            position += n
            return n
        }
        if let failure { throw failure }
        if isComplete { return 0 }
        return try inner.read(into: buffer)
    }
}

extension DecodedText {
    /// Two decimals, as in messages.
    static func formatted(_ d: Double) -> String {
        String((d * 100).rounded() / 100)
    }
}
