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

    /// The decode as a fix, for the audit trail (`decoded: windows-1251, confidence 0.93`).
    public var fix: RepairFix {
        RepairFix(.decoded, detail: "\(charset.name), confidence \(Self.format(confidence))")
    }

    static func format(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return String(r)
    }
}

/// Bytes that could not be decoded with confidence.
public struct UndecodableText: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The first byte that is invalid in the best candidate (or in UTF-8 when nothing fits).
    public var offset: Int?
    /// The best reading found, when there was one but its confidence was too low.
    public var bestGuess: TextCharset?
    public var confidence: Double
    public var description: String { message }
}

/// Detects the charset of byte inputs and decodes them.
///
/// Order: byte order mark; a declared charset (argument, else an XML declaration or HTML meta
/// in the first 4 KB), honoured when the bytes are valid in it and do not clearly say otherwise;
/// strict UTF-8; UTF-16/32 without BOM; then the legacy charsets in `TextCharset`, each decoded
/// strictly and scored against compact language models (`CharsetScorer`).
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
    /// Readings below `minConfidence` are refused with `UndecodableText`.
    public static func decode(_ bytes: [UInt8], declared: String? = nil, minConfidence: Double = 0) -> Result {
        var notes: [String] = []
        if let (charset, bomLength) = bom(bytes) {
            let body = Array(bytes[bomLength...])
            guard let text = decodeStrict(body, charset) else {
                return .failure(UndecodableText(message: "byte order mark says \(charset.name), but the bytes are not valid \(charset.name)",
                                                offset: firstInvalid(body, charset).map { $0 + bomLength }, bestGuess: charset, confidence: 0))
            }
            return .success(DecodedText(text: text, charset: charset, confidence: 1, declared: declared,
                                        declarationHonoured: false, hadBOM: true, notes: []))
        }
        let label = declared.map(CharsetDeclaration.label(fromHeader:)) ?? CharsetDeclaration.sniff(bytes)
        let isASCII = !bytes.contains { $0 >= 0x80 }
        let validUTF8 = isASCII ? "" : String(validating: bytes, as: UTF8.self)
        if let label {
            // `utf-16` without a byte order mark names no byte order: let the bytes tell.
            if ["utf-16", "utf-32", "unicode", "ucs-2"].contains(label.lowercased()),
               let wide = wideUnicode(bytes, validUTF8: nil) {
                return .success(DecodedText(text: wide.text, charset: wide.charset, confidence: wide.confidence,
                                            declared: label, declarationHonoured: true, hadBOM: false, notes: notes))
            }
            if let declaredCharset = TextCharset(label: label) {
                if let decoded = checkDeclared(bytes, declaredCharset, label: label, isASCII: isASCII,
                                               validUTF8: validUTF8, notes: &notes) {
                    return .success(decoded)
                }
            } else {
                notes.append("declared charset '\(label)' is not one Sluice decodes; detected instead")
            }
        }
        // A wide reading below `minConfidence` does not stop the search: UTF-8 or a legacy
        // charset may read the bytes better, and a refusal must come from the ranking below.
        if let wide = wideUnicode(bytes, validUTF8: isASCII ? String(decoding: bytes, as: UTF8.self) : validUTF8),
           wide.confidence >= minConfidence {
            return .success(DecodedText(text: wide.text, charset: wide.charset, confidence: wide.confidence,
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        if isASCII {
            return .success(DecodedText(text: String(decoding: bytes, as: UTF8.self), charset: .utf8, confidence: 1,
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        if let text = validUTF8 {
            return .success(DecodedText(text: text, charset: .utf8, confidence: utf8Confidence(bytes),
                                        declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
        }
        let ranked = rank(bytes)
        guard let best = ranked.first else {
            return .failure(UndecodableText(
                message: "the bytes are not valid UTF-8 (first bad byte at offset \(firstInvalid(bytes, .utf8) ?? 0)) nor any supported legacy charset",
                offset: firstInvalid(bytes, .utf8), bestGuess: nil, confidence: 0))
        }
        guard best.confidence >= minConfidence else {
            return .failure(UndecodableText(
                message: "best reading is \(best.charset.name) with confidence \(DecodedText.format(best.confidence)), below \(minConfidence)",
                offset: nil, bestGuess: best.charset, confidence: best.confidence))
        }
        // The ranking looked at a sample; the whole input must decode too.
        for candidate in ranked {
            if let text = decodeStrict(bytes, candidate.charset) {
                return .success(DecodedText(text: text, charset: candidate.charset, confidence: candidate.confidence,
                                            declared: label, declarationHonoured: false, hadBOM: false, notes: notes))
            }
        }
        return .failure(UndecodableText(message: "no supported charset decodes the whole input",
                                        offset: firstInvalid(bytes, best.charset), bestGuess: best.charset, confidence: 0))
    }

    /// The detected charset alone (no decoding of the whole input), or nil when nothing fits.
    public static func detect(_ bytes: [UInt8]) -> (charset: TextCharset, confidence: Double)? {
        if let (c, _) = bom(bytes) { return (c, 1) }
        let isASCII = !bytes.contains(where: { $0 >= 0x80 })
        let utf8 = isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        if let wide = wideUnicode(bytes, validUTF8: utf8) { return (wide.charset, wide.confidence) }
        if isASCII { return (.utf8, 1) }
        if utf8 != nil { return (.utf8, utf8Confidence(bytes)) }
        return rank(bytes).first.map { ($0.charset, $0.confidence) }
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

    struct Ranked { var charset: TextCharset; var score: Double; var confidence: Double; var text: String }

    /// Legacy (and BOM-less UTF-16/32) readings that decode strictly, best first.
    static func rank(_ bytes: [UInt8]) -> [Ranked] {
        let sample = sampleOf(bytes)
        var candidates = TextCharset.legacyCandidates
        // UTF-16 of non-Latin text has no zero bytes to give it away, so it is always a
        // candidate for even-length input; strict decoding (surrogate pairs) and the scoring
        // rule it out for legacy bytes.
        if bytes.count % 2 == 0 { candidates += [.utf16LE, .utf16BE] }
        if bytes.count % 4 == 0 && looksLikeUTF16(bytes) { candidates += [.utf32LE, .utf32BE] }
        var scored: [(TextCharset, CharsetScorer.Score, String)] = []
        for c in candidates {
            guard let text = decodeStrict(sample, c, allowTruncatedEnd: sample.count < bytes.count) else { continue }
            scored.append((c, CharsetScorer.score(text, charset: c), text))
        }
        // Stable sort keeps the preference order of `legacyCandidates` on ties.
        let order = scored.enumerated().sorted { a, b in
            a.element.1.value != b.element.1.value ? a.element.1.value > b.element.1.value : a.offset < b.offset
        }.map(\.element)
        return order.enumerated().map { idx, e in
            // The competitor is the best reading that gives different text.
            let rival = order.first { $0.0 != e.0 && $0.2 != e.2 }
            let conf = idx == 0 ? confidence(best: e.1, rival: rival?.1) : 0
            return Ranked(charset: e.0, score: e.1.value, confidence: conf, text: e.2)
        }
    }

    /// Confidence from the total score margin over the best different reading (in "characters
    /// of evidence": 3 characters' worth gives about 0.9), damped when even the best reading is
    /// implausible.
    static func confidence(best: CharsetScorer.Score, rival: CharsetScorer.Score?) -> Double {
        let margin = rival.map { max(best.value - $0.value, 0) * Double(best.evidence) } ?? Double(best.evidence)
        var c = 1 - 0.5 * exp(-margin / 2.5)
        if best.value < 0 { c *= 0.6 } else if best.value < 0.3 { c *= 0.85 }
        return (c * 100).rounded() / 100
    }
}
