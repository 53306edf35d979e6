extension CharsetDetector {
    static func bom(_ b: [UInt8]) -> (TextCharset, Int)? {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return (.utf8, 3) }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xFE, b[2] == 0, b[3] == 0 { return (.utf32LE, 4) }
        if b.count >= 4, b[0] == 0, b[1] == 0, b[2] == 0xFE, b[3] == 0xFF { return (.utf32BE, 4) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return (.utf16LE, 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return (.utf16BE, 2) }
        return nil
    }

    /// Decodes strictly: nil when any byte sequence is invalid in `charset`. With
    /// `allowTruncatedEnd`, a sample cut inside a multi-byte character still counts as valid.
    package static func decodeStrict(_ bytes: [UInt8], _ charset: TextCharset, allowTruncatedEnd: Bool = false) -> String? {
        if charset == .utf8 {
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            guard allowTruncatedEnd else { return nil }
            for cut in 1...3 where bytes.count > cut {
                if let s = String(validating: bytes.dropLast(cut), as: UTF8.self) { return s }
            }
            return nil
        }
        if charset.isSingleByte, let codec = SingleByteCodecs.detection[charset] {
            // windows-1258 writes most Vietnamese letters as a base letter and a combining tone
            // mark; text is compared and stored composed.
            return charset == .windows1258 ? codec.decode(bytes)?.precomposedStringWithCanonicalMapping : codec.decode(bytes)
        }
        if charset == .big5 { return Big5Table.decode(bytes, stopAtFirstError: true, allowTruncatedEnd: allowTruncatedEnd).text }
        if charset == .xUserDefined { return SingleByteCodecs.detection[charset]?.decode(bytes) }
        if let s = IconvDecoder.decode(bytes, charset: charset.iconvName) { return s }
        guard allowTruncatedEnd else { return nil }
        for cut in 1...3 where bytes.count > cut {
            if let s = IconvDecoder.decode(Array(bytes.dropLast(cut)), charset: charset.iconvName) { return s }
        }
        return nil
    }

    /// The offset of the first byte that does not decode, by bisection over strict decodes of
    /// prefixes (cheap enough for the error path).
    static func firstInvalid(_ bytes: [UInt8], _ charset: TextCharset) -> Int? {
        if decodeStrict(bytes, charset) != nil { return nil }
        var lo = 0, hi = bytes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if decodeStrict(Array(bytes[..<mid]), charset, allowTruncatedEnd: true) != nil { lo = mid + 1 } else { hi = mid }
        }
        return max(lo - 1, 0)
    }

    static func sampleOf(_ bytes: [UInt8]) -> [UInt8] {
        bytes.count <= sampleBytes ? bytes : Array(bytes[..<sampleBytes])
    }

    /// Zero bytes concentrated on one parity, as UTF-16 or UTF-32 text of mostly Latin or
    /// common characters has.
    static func looksLikeUTF16(_ b: [UInt8]) -> Bool {
        guard b.count >= 4, b.count % 2 == 0 else { return false }
        let n = min(b.count, 4096)
        var zeroEven = 0, zeroOdd = 0
        for i in 0..<n where b[i] == 0 { if i % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 } }
        let half = Double(n / 2)
        return (Double(zeroEven) / half > 0.3 || Double(zeroOdd) / half > 0.3) && abs(zeroEven - zeroOdd) > n / 8
    }

    /// More multi-byte sequences, more certainty that valid UTF-8 is UTF-8 and not a legacy
    /// charset that happens to be valid (rare beyond a few sequences).
    static func utf8Confidence(_ scan: ByteScan) -> Double {
        [1.0, 0.85, 0.95, 0.98, 0.99][min(scan.multibyte, 4)]
    }

    /// Decodes as much as possible: the text without the sequences that are invalid in
    /// `charset`, how many there were and where the first was.
    static func decodeTolerant(_ bytes: [UInt8], _ charset: TextCharset, allowTruncatedEnd: Bool) -> (text: String, invalid: Int, first: Int?) {
        if let text = decodeStrict(bytes, charset, allowTruncatedEnd: allowTruncatedEnd) { return (text, 0, nil) }
        if charset == .big5 {
            let r = Big5Table.decode(bytes, stopAtFirstError: false, allowTruncatedEnd: allowTruncatedEnd)
            return (r.text ?? "", r.invalid, r.firstInvalid)
        }
        if charset.isSingleByte, let codec = SingleByteCodecs.detection[charset] {
            var view = String.UnicodeScalarView()
            var invalid = 0
            var first: Int?
            for (i, b) in bytes.enumerated() {
                if let v = codec.scalar(b), let u = Unicode.Scalar(v) { view.append(u) } else { invalid += 1; if first == nil { first = i } }
            }
            let text = String(view)
            return (charset == .windows1258 ? text.precomposedStringWithCanonicalMapping : text, invalid, first)
        }
        let name = charset == .utf8 ? "UTF-8" : charset.iconvName
        let lossy = IconvDecoder.decodeLossy(bytes, charset: name, replace: false)
        return (lossy?.text ?? "", max(lossy?.invalid ?? 1, 1), firstInvalid(bytes, charset))
    }

    /// Honours a declaration when the bytes agree with it; nil means "detect instead". A few
    /// invalid sequences in bytes that otherwise read well as the declared charset are damage in
    /// a file of that charset: the declaration stands, and the bad sequences are counted.
    static func checkDeclared(_ bytes: [UInt8], _ declared: TextCharset, label: String, scan: ByteScan,
                              validUTF8: String?, whole: Bool, notes: inout [String]) -> DecodedText? {
        if scan.isASCII && scan.escapes == 0 && !declared.isWide {
            return DecodedText(text: String(decoding: bytes, as: UTF8.self), charset: declared,
                               confidence: 1, declared: label, declarationHonoured: true, hadBOM: false, notes: notes)
        }
        if declared == .utf8 {
            if let validUTF8 {
                return DecodedText(text: validUTF8, charset: .utf8, confidence: 1, declared: label, declarationHonoured: true,
                                   hadBOM: false, notes: notes)
            }
            // Declared UTF-8 with damage: still UTF-8 when the bad bytes are few (at most 2, or one
            // per 1000 bytes, or one per 4 well-formed multi-byte characters); else the
            // declaration is wrong.
            if scan.invalidUTF8 <= max(2, bytes.count / 1000) || scan.invalidUTF8 * 4 <= scan.multibyte {
                notes.append("declared utf-8; \(scan.invalidUTF8) byte sequence\(scan.invalidUTF8 == 1 ? " is" : "s are") not valid UTF-8")
                return nearUTF8(bytes, scan: scan, label: label, honoured: true, notes: notes)
            }
            notes.append("declared utf-8, but the bytes are not valid UTF-8 (offset \(scan.firstInvalidUTF8 ?? 0)); detected instead")
            return nil
        }
        // Valid UTF-8 with multi-byte sequences is almost never a legacy charset by chance (each
        // byte from 0xC2 up followed by exactly the right number of 0x80-0xBF bytes, which read as
        // a capital or symbol then C1 or punctuation): the common mislabel is UTF-8 served as Latin-1.
        if !declared.isUnicode, let utf8 = validUTF8, scan.multibyte > 0 {
            notes.append("declared \(declared.name), but the bytes are valid UTF-8; decoded as UTF-8")
            return DecodedText(text: utf8, charset: .utf8, confidence: utf8Confidence(scan), declared: label,
                               declarationHonoured: false, hadBOM: false, notes: notes)
        }
        let sample = whole ? bytes : sampleOf(bytes)
        let read = decodeTolerant(sample, declared, allowTruncatedEnd: !whole && sample.count < bytes.count)
        let evidence = max(scan.high, 1)
        if read.invalid > 0 && !(read.invalid * 50 <= evidence && read.invalid <= 64) {
            notes.append("declared \(declared.name), but the bytes are not valid \(declared.name) (offset \(read.first ?? 0)); detected instead")
            return nil
        }
        var honoured = DecodedText(text: read.text, charset: declared, confidence: read.invalid == 0 ? 0.95 : 0.9, declared: label,
                                   declarationHonoured: true, hadBOM: false, notes: notes, invalidSequences: read.invalid,
                                   firstInvalidOffset: read.first)
        if read.invalid > 0 {
            honoured.notes.append("declared \(declared.name); \(read.invalid) byte sequence\(read.invalid == 1 ? " is" : "s are") not valid in it")
        }
        if declared.isSingleByte && read.invalid == 0 {
            // Checked, not trusted blindly: a clearly better reading overrides a single-byte label.
            let mine = CharsetScorer.score(String(read.text.prefix(sampleBytes)), charset: declared)
            if let best = rank(bytes).first, best.charset != declared, best.invalid == 0,
               best.score - mine.value > 0.8, best.confidence >= 0.8 {
                let text = whole ? decodeStrict(bytes, best.charset) : best.text
                if let text {
                    notes.append("declared \(declared.name), but the text reads as \(best.charset.name); decoded as \(best.charset.name)")
                    return DecodedText(text: text, charset: best.charset, confidence: best.confidence, declared: label,
                                       declarationHonoured: false, hadBOM: false, notes: notes)
                }
            }
        }
        return honoured
    }
}
