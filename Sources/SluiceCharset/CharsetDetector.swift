import Foundation

/// Text decoded from bytes, and how the charset was chosen.
public struct DecodedText: Sendable, Hashable {
    public var text: String
    public var charset: TextCharset
    /// 0...1. 1 for a byte order mark, plain ASCII or a confirmed declaration; for detected
    /// legacy charsets it grows with the evidence (characters beyond ASCII) and with the margin
    /// over the next best reading.
    public var confidence: Double
    /// The label that was declared (argument or in-document), as written.
    public var declared: String?
    /// Whether the declared charset was used. False when there was none, when Sluice does not
    /// know it, or when the bytes contradict it (not valid in it, or clearly another charset).
    public var declarationHonoured: Bool
    /// A byte order mark was present (and is not part of `text`).
    public var hadBOM: Bool
    /// Facts worth recording: `declared iso-8859-1, but the bytes are valid UTF-8`.
    public var notes: [String]
    /// Byte sequences not valid in `charset` (left out of `text`). Only a decision on a stream's
    /// beginning (`decode(prefix:isComplete:)`) returns such a reading: one bad byte must not
    /// switch a whole file's charset, so the file keeps its charset and the reader quarantines
    /// the record that holds the bad bytes. `decode(_:)` refuses them instead.
    public var invalidSequences: Int = 0
    /// The offset of the first of them.
    public var firstInvalidOffset: Int?
    /// The runners-up (charset and confidence-like score), best first, for the audit.
    public var candidates: [CharsetCandidate] = []

    package static func format(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return String(r)
    }
}

/// A reading detection considered: the charset and its score (about +1 per character beyond
/// ASCII for text made of a language's commonest letters, below 0 for garbage).
public struct CharsetCandidate: Sendable, Hashable {
    public var charset: TextCharset
    public var score: Double
}

/// Bytes that could not be decoded with confidence.
public struct UndecodableText: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The first byte that is invalid in the best candidate (or in UTF-8 when nothing fits).
    public var offset: Int?
    /// The best reading found, when there was one but its confidence was too low.
    public var bestGuess: TextCharset?
    public var confidence: Double
    /// The best readings, best first (at most four).
    public var candidates: [CharsetCandidate] = []
    public var description: String { message }
}

/// Detects the charset of byte inputs and decodes them.
///
/// Order: byte order mark; one pass over the bytes (`ByteScan`), which settles valid UTF-8 with
/// no scoring; a declared charset (argument, else an XML declaration or HTML meta in the first
/// 4 KB), honoured when the bytes are valid in it (a few bad bytes in a declared UTF-8 or legacy
/// file are the file's damage, not a sign of another charset) and do not clearly say otherwise;
/// UTF-16/32 without BOM (control bytes); ISO-2022-JP/KR (escape sequences in 7-bit bytes);
/// UTF-8 with a few bad bytes; then the legacy charsets in `TextCharset`, each decoded and
/// scored against compact language models (`CharsetScorer`).
///
/// Guarantees: decoding is strict, so the text never holds a replacement character that was not
/// in the input (invalid input is an `UndecodableText`, with the offset of the first bad byte);
/// any input gives a result, never a crash; time is linear in the input (detection scores the
/// first `sampleBytes`, then the chosen charset decodes the whole).
public enum CharsetDetector {
    public typealias Result = Swift.Result<DecodedText, UndecodableText>

    /// How much of a large input the legacy detection scores.
    public static let sampleBytes = 64 * 1024

    /// Decodes `bytes`. `declared` is a charset label or a whole Content-Type value from the
    /// transport (HTTP header); in-document declarations are looked for when it is nil.
    /// Readings below `minConfidence` are refused with `UndecodableText`, and so are bytes that
    /// are not all valid in the charset chosen for them.
    public static func decode(_ bytes: [UInt8], declared: String? = nil, minConfidence: Double = 0) -> Result {
        switch decide(bytes, declared: declared, minConfidence: minConfidence, whole: true) {
        case .failure(let u): return .failure(u)
        case .success(let d) where d.invalidSequences > 0:
            let off = d.firstInvalidOffset ?? 0
            let byte = off < bytes.count ? "byte 0x\(String(bytes[off], radix: 16, uppercase: true)) at offset \(off)" : "the end"
            return .failure(UndecodableText(
                message: "the bytes read as \(d.charset.name) (confidence \(DecodedText.format(d.confidence))), but \(d.invalidSequences) "
                    + "byte sequence\(d.invalidSequences == 1 ? " is" : "s are") not valid in it, the first \(byte)",
                offset: off, bestGuess: d.charset, confidence: d.confidence, candidates: d.candidates))
        case .success(let d): return .success(d)
        }
    }

    /// The detected charset alone (no decoding of the whole input), or nil when nothing fits.
    public static func detect(_ bytes: [UInt8]) -> (charset: TextCharset, confidence: Double)? {
        if let (c, _) = bom(bytes) { return (c, 1) }
        let scan = ByteScan(bytes)
        if scan.controls == 0 && scan.isValidUTF8 { return (.utf8, scan.isASCII ? 1 : utf8Confidence(scan)) }
        guard case .success(let d) = decide(bytes, declared: nil, minConfidence: 0, whole: false, scan: scan) else { return nil }
        return (d.charset, d.confidence)
    }

    /// The decision: a reading of `bytes` that may leave out a few invalid sequences
    /// (`invalidSequences`). With `whole`, `text` is all of `bytes` decoded; else it may be the
    /// decoded sample only.
    static func decide(_ bytes: [UInt8], declared: String?, minConfidence: Double, whole: Bool, scan: ByteScan? = nil) -> Result {
        var notes: [String] = []
        if let (charset, bomLength) = bom(bytes) {
            let body = Array(bytes[bomLength...])
            guard let text = decodeStrict(body, charset) else {
                let off = firstInvalid(body, charset).map { $0 + bomLength }
                return .failure(UndecodableText(message: "byte order mark says \(charset.name), but the bytes are not valid \(charset.name)",
                                                offset: off, bestGuess: charset, confidence: 0))
            }
            return .success(DecodedText(text: text, charset: charset, confidence: 1, declared: declared,
                                        declarationHonoured: false, hadBOM: true, notes: []))
        }
        let scan = scan ?? ByteScan(bytes)
        let label = declared.map(CharsetDeclaration.label(fromHeader:)) ?? CharsetDeclaration.sniff(bytes)
        // The fast path: valid UTF-8 (or ASCII) without control bytes needs no scoring.
        if scan.isValidUTF8 && scan.controls == 0 && (label == nil || scan.multibyte > 0) {
            var d = DecodedText(text: String(decoding: bytes, as: UTF8.self), charset: .utf8,
                                confidence: scan.isASCII ? 1 : utf8Confidence(scan), declared: label,
                                declarationHonoured: label.flatMap(TextCharset.init(label:)) == .utf8, hadBOM: false, notes: [])
            if let label, let c = TextCharset(label: label), c != .utf8 {
                d.notes.append("declared \(c.name), but the bytes are valid UTF-8; decoded as UTF-8")
            }
            return .success(d)
        }
        let validUTF8 = scan.isValidUTF8 ? String(decoding: bytes, as: UTF8.self) : nil
        if let label {
            // `utf-16` without a byte order mark names no byte order: let the bytes tell.
            if ["utf-16", "utf-32", "unicode", "ucs-2"].contains(label.lowercased()),
               let wide = wideUnicode(bytes, validUTF8: nil) {
                return .success(DecodedText(text: wide.text, charset: wide.charset, confidence: wide.confidence,
                                            declared: label, declarationHonoured: true, hadBOM: false, notes: notes))
            }
            if let declaredCharset = TextCharset(label: label) {
                if let decoded = checkDeclared(bytes, declaredCharset, label: label, scan: scan, validUTF8: validUTF8,
                                               whole: whole, notes: &notes) {
                    return .success(decoded)
                }
            } else {
                notes.append("declared charset '\(label)' is not one Sluice decodes; detected instead")
            }
        }
        // ISO-2022 first: its escape bytes are controls, which also point at UTF-16.
        if scan.isASCII && scan.escapes > 0, let iso = iso2022(bytes) {
            return .success(DecodedText(text: iso.text, charset: iso.charset, confidence: 0.99, declared: label,
                                        declarationHonoured: false, hadBOM: false, notes: notes))
        }
        // A wide reading below `minConfidence` does not stop the search: UTF-8 or a legacy
        // charset may read the bytes better, and a refusal must come from the ranking below.
        if scan.controls > 0,
           let wide = wideUnicode(bytes, validUTF8: scan.isASCII ? String(decoding: bytes, as: UTF8.self) : validUTF8),
           wide.confidence >= minConfidence {
            return .success(DecodedText(text: wide.text, charset: wide.charset, confidence: wide.confidence,
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        if scan.isASCII {
            return .success(DecodedText(text: String(decoding: bytes, as: UTF8.self), charset: .utf8, confidence: 1,
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        if let text = validUTF8 {
            return .success(DecodedText(text: text, charset: .utf8, confidence: utf8Confidence(scan),
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        if scan.isMostlyUTF8 {
            notes.append("UTF-8 with \(scan.invalidUTF8) invalid byte sequence\(scan.invalidUTF8 == 1 ? "" : "s") among "
                         + "\(scan.multibyte) well-formed multi-byte characters")
            return .success(nearUTF8(bytes, scan: scan, label: label, honoured: false, notes: notes))
        }
        let ranked = rank(bytes)
        let candidates = ranked.prefix(4).map { CharsetCandidate(charset: $0.charset, score: ($0.score * 100).rounded() / 100) }
        guard let best = ranked.first else {
            return .failure(UndecodableText(
                message: "the bytes are not valid UTF-8 (first bad byte at offset \(scan.firstInvalidUTF8 ?? 0)) nor any supported legacy charset",
                offset: scan.firstInvalidUTF8, bestGuess: nil, confidence: 0))
        }
        guard best.confidence >= minConfidence else {
            let list = candidates.map { "\($0.charset.name) \(DecodedText.format($0.score))" }.joined(separator: ", ")
            return .failure(UndecodableText(
                message: "no charset reads the bytes clearly: best is \(best.charset.name) with confidence \(DecodedText.format(best.confidence)), "
                    + "below \(minConfidence) (scores: \(list))",
                offset: nil, bestGuess: best.charset, confidence: best.confidence, candidates: candidates))
        }
        var d = DecodedText(text: best.text, charset: best.charset, confidence: best.confidence, declared: label,
                            declarationHonoured: false, hadBOM: false, notes: notes, candidates: Array(candidates))
        if whole || best.invalid > 0 {
            let full = decodeTolerant(bytes, best.charset, allowTruncatedEnd: false)
            d.text = full.text
            d.invalidSequences = full.invalid
            d.firstInvalidOffset = full.first
        }
        return .success(d)
    }

    /// A mostly-UTF-8 reading: the text without the bad bytes, which are counted.
    static func nearUTF8(_ bytes: [UInt8], scan: ByteScan, label: String?, honoured: Bool, notes: [String]) -> DecodedText {
        let lossy = IconvDecoder.decodeLossy(bytes, charset: "UTF-8", replace: false)?.text ?? ""
        let c = min(utf8Confidence(scan), 1 - 0.05 * Double(min(scan.invalidUTF8, 4)))
        return DecodedText(text: lossy, charset: .utf8, confidence: (c * 100).rounded() / 100, declared: label,
                           declarationHonoured: honoured, hadBOM: false, notes: notes, invalidSequences: scan.invalidUTF8,
                           firstInvalidOffset: scan.firstInvalidUTF8)
    }

    /// ISO-2022-JP or ISO-2022-KR: 7-bit bytes with the designation escapes of one of them,
    /// decoded strictly.
    static func iso2022(_ bytes: [UInt8]) -> (text: String, charset: TextCharset)? {
        var jp = false, kr = false
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0x1B {
                let a = bytes[i + 1], b = bytes[i + 2]
                if a == 0x24 && (b == 0x42 || b == 0x40) || a == 0x28 && (b == 0x4A || b == 0x49) { jp = true }
                if a == 0x24 && b == 0x29 && i + 3 < bytes.count && bytes[i + 3] == 0x43 { kr = true }
                if a == 0x24 && b == 0x28 && i + 3 < bytes.count && bytes[i + 3] == 0x44 { jp = true }
            }
            i += 1
        }
        for c in [jp ? TextCharset.iso2022JP : nil, kr ? TextCharset.iso2022KR : nil].compactMap({ $0 }) {
            if let text = decodeStrict(bytes, c) { return (text, c) }
        }
        return nil
    }

    /// UTF-16 or UTF-32 without a byte order mark. Their bytes are often valid ASCII or UTF-8
    /// too (Cyrillic in UTF-16LE is `1F 04 40 04`), but real text has no NUL and almost no other
    /// C0 controls, so those bytes trigger a comparison of the wide readings with UTF-8.
    static func wideUnicode(_ bytes: [UInt8], validUTF8: String?) -> (text: String, charset: TextCharset, confidence: Double)? {
        guard bytes.count >= 2, bytes.count % 2 == 0 else { return nil }
        var controls = 0
        for b in bytes.prefix(sampleBytes) where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C { controls += 1 }
        // Wide text has such bytes in every other or every fourth position; valid UTF-8 with a
        // stray control character (a BEL, an ESC) is not UTF-16.
        guard controls > 0, validUTF8 == nil || controls * 16 >= min(bytes.count, sampleBytes) else { return nil }
        let sample = sampleOf(bytes)
        var bestScore = validUTF8.map { CharsetScorer.score(String($0.prefix(sampleBytes)), charset: .utf8).value } ?? -Double.infinity
        var best: TextCharset?
        var candidates: [TextCharset] = [.utf16LE, .utf16BE]
        if bytes.count % 4 == 0 { candidates += [.utf32LE, .utf32BE] }
        for c in candidates {
            guard let text = decodeStrict(sample, c, allowTruncatedEnd: sample.count < bytes.count) else { continue }
            let s = CharsetScorer.score(text, charset: c).value
            if s > bestScore { bestScore = s; best = c }
        }
        guard let best, let text = decodeStrict(bytes, best) else { return nil }
        let confidence = min(max((bestScore + 1) / 1.5, 0.3), 0.99)
        return (text, best, (confidence * 100).rounded() / 100)
    }
}
