extension CharsetDetector {
    /// Detects the charset of a stream from its first bytes, for readers that decide once per
    /// file and then decode piece by piece (CSV rows, an XML parser).
    ///
    /// `prefix` is the stream's beginning (`sampleBytes` is a good size); `isComplete` says
    /// whether it is the whole stream. A prefix that ends inside a character is cut back to its
    /// last line break first (a line break is a character boundary in every supported charset),
    /// so a multi-byte character split by the cut does not rule its charset out. Declarations
    /// (XML, HTML meta) and byte order marks count as in `decode(_:declared:minConfidence:)`.
    ///
    /// The result's `text` is the decoded sample only, not the stream. Unlike `decode(_:)`, a
    /// reading with a few invalid sequences is a success (`invalidSequences`, `firstInvalidOffset`):
    /// the file keeps its charset, and the reader quarantines only the records that hold them.
    public static func decode(prefix: [UInt8], isComplete: Bool, minConfidence: Double = 0) -> Result {
        if isComplete { return decide(prefix, declared: nil, minConfidence: minConfidence, whole: false) }
        if let (charset, _) = bom(prefix) {
            // The byte order mark decides; the reader checks every piece as it decodes it.
            return .success(DecodedText(text: "", charset: charset, confidence: 1, declared: nil, declarationHonoured: false,
                                        hadBOM: true, notes: []))
        }
        if let sample = cutAtLineBreak(prefix), !sample.isEmpty {
            return decide(sample, declared: nil, minConfidence: minConfidence, whole: false)
        }
        // One line longer than the prefix: drop a possibly cut character at the end.
        var last: Result = decide(prefix, declared: nil, minConfidence: minConfidence, whole: false)
        for cut in 1...3 where prefix.count > cut {
            if case .success(let d) = last, d.invalidSequences == 0 { break }
            let shorter = decide(Array(prefix.dropLast(cut)), declared: nil, minConfidence: minConfidence, whole: false)
            if case .success(let d) = shorter, d.invalidSequences == 0 { last = shorter; break }
        }
        return last
    }

    /// The prefix up to and including its last line break (with the zero bytes after it, which
    /// belong to the same UTF-16LE/UTF-32LE character); nil when it has none.
    static func cutAtLineBreak(_ prefix: [UInt8]) -> [UInt8]? {
        guard var end = prefix.lastIndex(of: 0x0A) else { return nil }
        end += 1
        var zeros = 0
        while end < prefix.count, prefix[end] == 0, zeros < 3 { end += 1; zeros += 1 }
        return Array(prefix[..<end])
    }
}

extension DecodedText {
    /// The record of a charset chosen by configuration rather than detected (`encoding:` on an
    /// input): confidence 1, noted as set.
    public static func pinned(_ charset: TextCharset) -> DecodedText {
        DecodedText(text: "", charset: charset, confidence: 1, declared: charset.name, declarationHonoured: true, hadBOM: false,
                    notes: ["encoding: \(charset.name) is set on the input"])
    }
}

extension TextCharset {
    /// The iconv name (`CP1252`, `CP932`): what libxml2 and other iconv users accept.
    public var converterName: String { iconvName }

    /// UTF-16 or UTF-32: line breaks and ASCII are not single bytes, so byte-level scanning
    /// must transcode first.
    public var isWide: Bool {
        switch self {
        case .utf16LE, .utf16BE, .utf32LE, .utf32BE: return true
        default: return false
        }
    }

    /// Decodes strictly: nil when any byte sequence is invalid in this charset (never U+FFFD).
    /// NUL and other controls decode as themselves.
    public func decode(_ bytes: [UInt8]) -> String? {
        CharsetDetector.decodeStrict(bytes, self)
    }

    /// The offset of the first byte that does not decode, or nil when all of `bytes` does.
    public func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        CharsetDetector.firstInvalid(bytes, self)
    }

    /// For double-byte charsets whose second byte may be an ASCII character (Shift_JIS, Big5,
    /// GB18030, EUC-KR as Windows writes it): which bytes start a two-byte unit, and the least
    /// value of a second byte. A scanner looking for ASCII delimiters must take the byte after a
    /// lead byte as part of the character when it is at least that value (`ソ` in Shift_JIS is
    /// `83 5C`, a backslash; `ポ` is `83 7C`, a `|`). Nil for charsets where every ASCII byte is
    /// a character of its own.
    public var twoByteUnits: (lead: [Bool], minimumTrail: UInt8)? {
        var lead = [Bool](repeating: false, count: 256)
        switch self {
        case .shiftJIS:
            for b in 0x81...0x9F { lead[b] = true }
            for b in 0xE0...0xFC { lead[b] = true }
            return (lead, 0x40)
        case .big5, .eucKR:
            for b in 0x81...0xFE { lead[b] = true }
            return (lead, 0x40)
        case .gb18030, .gbk:
            // Four-byte sequences are two pairs of (lead, digit), so pairs cover them.
            for b in 0x81...0xFE { lead[b] = true }
            return (lead, 0x30)
        default:
            return nil
        }
    }
}
