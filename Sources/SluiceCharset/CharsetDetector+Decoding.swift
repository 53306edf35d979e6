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
    static func decodeStrict(_ bytes: [UInt8], _ charset: TextCharset, allowTruncatedEnd: Bool = false) -> String? {
        if charset == .utf8 {
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            guard allowTruncatedEnd else { return nil }
            for cut in 1...3 where bytes.count > cut {
                if let s = String(validating: bytes.dropLast(cut), as: UTF8.self) { return s }
            }
            return nil
        }
        if charset.isSingleByte, let codec = SingleByteCodecs.detection[charset] {
            return codec.decode(bytes)
        }
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
    static func utf8Confidence(_ b: [UInt8]) -> Double {
        var sequences = 0
        for x in b where x >= 0xC2 && x <= 0xF4 { sequences += 1; if sequences >= 4 { break } }
        return [1.0, 0.85, 0.95, 0.98, 0.99][min(sequences, 4)]
    }

    /// Honours a declaration when the bytes agree with it; nil means "detect instead".
    static func checkDeclared(_ bytes: [UInt8], _ declared: TextCharset, label: String, isASCII: Bool,
                              validUTF8: String?, notes: inout [String]) -> DecodedText? {
        if isASCII && !declared.isUnicode || (isASCII && declared == .utf8) {
            return DecodedText(text: String(decoding: bytes, as: UTF8.self), charset: declared == .utf8 ? .utf8 : declared,
                               confidence: 1, declared: label, declarationHonoured: true, hadBOM: false, notes: notes)
        }
        guard let text = decodeStrict(bytes, declared) else {
            let off = firstInvalid(bytes, declared) ?? 0
            notes.append("declared \(declared.name), but the bytes are not valid \(declared.name) (offset \(off)); detected instead")
            return nil
        }
        // Valid UTF-8 with multi-byte sequences is almost never a legacy charset by chance:
        // the common mislabel is UTF-8 served as Latin-1.
        // A single sequence is enough when the declared reading of it looks like mojibake (`Ã©`).
        if declared != .utf8, declared.isSingleByte, let utf8 = validUTF8,
           utf8Confidence(bytes) >= 0.95 || MojibakeHeuristic.isBad(String(text.prefix(sampleBytes))) {
            notes.append("declared \(declared.name), but the bytes are valid UTF-8; decoded as UTF-8")
            return DecodedText(text: utf8, charset: .utf8, confidence: utf8Confidence(bytes), declared: label,
                               declarationHonoured: false, hadBOM: false, notes: notes)
        }
        if declared.isSingleByte {
            // Checked, not trusted blindly: a clearly better reading overrides a single-byte label.
            let mine = CharsetScorer.score(String(text.prefix(sampleBytes)), charset: declared)
            if let best = rank(bytes).first, best.charset != declared, best.text != text,
               best.score - mine.value > 0.8, best.confidence >= 0.8 {
                notes.append("declared \(declared.name), but the text reads as \(best.charset.name); decoded as \(best.charset.name)")
                return DecodedText(text: decodeStrict(bytes, best.charset) ?? text, charset: decodeStrict(bytes, best.charset) == nil ? declared : best.charset,
                                   confidence: best.confidence, declared: label, declarationHonoured: false, hadBOM: false, notes: notes)
            }
        }
        return DecodedText(text: text, charset: declared, confidence: 0.95, declared: label, declarationHonoured: true,
                           hadBOM: false, notes: notes)
    }
}
