import SluiceCore
import SluiceCharset

/// The encoding a byte order mark announced.
enum SniffedEncoding: Equatable {
    /// No BOM: the bytes are taken as UTF-8 (and checked record by record).
    case utf8
    /// A UTF-8 BOM (3 bytes) was present and skipped.
    case utf8BOM
    case utf16(bigEndian: Bool)
    case utf32(bigEndian: Bool)

    /// Bytes the BOM takes at the start of the stream.
    var bomLength: Int {
        switch self {
        case .utf8: return 0
        case .utf8BOM: return 3
        case .utf16: return 2
        case .utf32: return 4
        }
    }

    /// The charset the stream's text is in (the `%source_charset` of its records).
    var charset: TextCharset {
        switch self {
        case .utf8, .utf8BOM: return .utf8
        case .utf16(let be): return be ? .utf16BE : .utf16LE
        case .utf32(let be): return be ? .utf32BE : .utf32LE
        }
    }

    /// The encoding's name, as messages write it.
    var name: String {
        switch self {
        case .utf8, .utf8BOM: return "UTF-8"
        case .utf16(let be): return be ? "UTF-16BE" : "UTF-16LE"
        case .utf32(let be): return be ? "UTF-32BE" : "UTF-32LE"
        }
    }

    /// Recognises a BOM at the start of `head` (up to 4 bytes).
    static func sniff(_ head: [UInt8]) -> SniffedEncoding {
        if head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return .utf32(bigEndian: false) }
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return .utf32(bigEndian: true) }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
        if head.starts(with: [0xFF, 0xFE]) { return .utf16(bigEndian: false) }
        if head.starts(with: [0xFE, 0xFF]) { return .utf16(bigEndian: true) }
        return .utf8
    }
}

/// Reads the first bytes of `raw`, recognises a BOM and returns a stream of UTF-8 with the BOM
/// removed: UTF-8 passes through; UTF-16 and UTF-32 are transcoded as they stream.
func utf8Stream(over raw: any ByteStream) throws(StreamFailure) -> (stream: any ByteStream, encoding: SniffedEncoding) {
    let head = try raw.readUpTo(4)
    let encoding = SniffedEncoding.sniff(head)
    let rest = PrefixedStream(prefix: Array(head.dropFirst(encoding.bomLength)), inner: raw)
    switch encoding {
    case .utf8, .utf8BOM:
        return (rest, encoding)
    case .utf16(let be):
        return (TranscodingStream(inner: rest, unitSize: 2, bigEndian: be, startOffset: 2), encoding)
    case .utf32(let be):
        return (TranscodingStream(inner: rest, unitSize: 4, bigEndian: be, startOffset: 4), encoding)
    }
}

/// UTF-16 or UTF-32 in, UTF-8 out. A lone surrogate goes out as its generalised UTF-8 bytes
/// (`ED A0 80` for U+D800), which are not UTF-8, so the one line or row holding it is quarantined
/// as `undecodable_text` by the record check and reading goes on. A value above U+10FFFF goes out
/// as the byte 0xFF, likewise. A cut code unit at the end fails the stream with the byte offset.
final class TranscodingStream: ByteStream {
    private let inner: any ByteStream
    private let unitSize: Int
    private let bigEndian: Bool
    private let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
    private var carry: [UInt8] = []
    private var out: [UInt8] = []
    private var outPosition = 0
    private var highSurrogate: UInt32?
    /// Offset in the original file of the next unit to decode.
    private var sourceOffset: Int
    private var ended = false
    /// A decoding failure, raised once the characters before it have been delivered.
    private var pending: StreamFailure?

    init(inner: any ByteStream, unitSize: Int, bigEndian: Bool, startOffset: Int) {
        self.inner = inner
        self.unitSize = unitSize
        self.bigEndian = bigEndian
        self.sourceOffset = startOffset
    }

    /// A transcoder for UTF-16/32 found without a byte order mark (detected or pinned).
    convenience init(inner: any ByteStream, charset: TextCharset) {
        let unit = charset == .utf32LE || charset == .utf32BE ? 4 : 2
        self.init(inner: inner, unitSize: unit, bigEndian: charset == .utf16BE || charset == .utf32BE, startOffset: 0)
    }

    deinit { raw.deallocate() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        while outPosition >= out.count {
            if let pending { throw pending }
            if ended { return 0 }
            out.removeAll(keepingCapacity: true)
            outPosition = 0
            try refill()
        }
        let n = min(buffer.count, out.count - outPosition)
        for i in 0..<n { buffer[i] = out[outPosition + i] }
        outPosition += n
        return n
    }

    private func refill() throws(StreamFailure) {
        let n = try inner.read(into: raw)
        if n == 0 {
            ended = true
            if carry.isEmpty, let high = highSurrogate {
                highSurrogate = nil
                appendUnpaired(high)
                return
            }
            if !carry.isEmpty {
                throw StreamFailure(code: .undecodableText, message: "the text ends inside a character at byte \(sourceOffset) (UTF-\(unitSize * 8))")
            }
            return
        }
        var bytes = carry
        bytes.append(contentsOf: raw[0..<n])
        let whole = bytes.count - bytes.count % unitSize
        var i = 0
        while i < whole {
            var unit: UInt32 = 0
            for k in 0..<unitSize {
                let b = UInt32(bytes[i + (bigEndian ? k : unitSize - 1 - k)])
                unit = unit << 8 | b
            }
            do throws(StreamFailure) { try decode(unit) } catch {
                pending = error
                return
            }
            i += unitSize
            sourceOffset += unitSize
        }
        carry = Array(bytes[whole...])
    }

    private func decode(_ unit: UInt32) throws(StreamFailure) {
        var scalarValue = unit
        if unitSize == 2 {
            if let high = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                } else {
                    appendUnpaired(high)
                    return try decode(unit)
                }
            } else if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                return
            }
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            if (0xD800...0xDFFF).contains(scalarValue) { appendUnpaired(scalarValue) } else { out.append(0xFF) }
            return
        }
        out.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
    }

    /// A surrogate with no partner, as the three bytes UTF-8's pattern would give it (never valid UTF-8).
    private func appendUnpaired(_ surrogate: UInt32) {
        out.append(contentsOf: [UInt8(0xE0 | (surrogate >> 12)), UInt8(0x80 | ((surrogate >> 6) & 0x3F)), UInt8(0x80 | (surrogate & 0x3F))])
    }

    private func invalid(_ what: String) -> StreamFailure {
        StreamFailure(code: .undecodableText, message: "invalid UTF-\(unitSize * 8) at byte \(sourceOffset): \(what)")
    }
}
