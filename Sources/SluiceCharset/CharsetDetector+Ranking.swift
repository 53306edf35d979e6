import Foundation

extension CharsetDetector {
    struct Ranked {
        var charset: TextCharset
        var score: Double
        var confidence: Double
        /// The decoded sample (without invalid sequences).
        var text: String
        /// Sequences of the sample not valid in `charset`.
        var invalid: Int
    }

    /// How many single-byte charsets, best by the byte-histogram estimate, get the full scoring;
    /// and every Latin-script one when the sample has at most `fewHighBytes` bytes beyond ASCII:
    /// a short Lithuanian text's one `ė` (ISO-8859-4) is `м` in windows-1251 and `ל` in
    /// windows-1255, which a context-free estimate rates as high as the right reading, and only
    /// the letters around it tell the Latin charsets apart.
    static let singleByteFinalists = 6
    static let fewHighBytes = 256

    /// Legacy (and BOM-less UTF-16/32) readings, best first.
    ///
    /// Every single-byte charset is first estimated from the sample's byte histogram (each
    /// byte's best contribution in the charset's languages, no context): cheap, and the right
    /// one is reliably among the best few, which are then decoded and scored in full. Multi-byte
    /// candidates are decoded and scored in full. A reading with a few invalid sequences (at
    /// most one per 50 characters beyond ASCII) stays a candidate, each bad sequence costing as
    /// much as a control character: one damaged pair in a Shift_JIS file must not make it KOI8-R.
    static func rank(_ bytes: [UInt8]) -> [Ranked] {
        var sample = sampleOf(bytes)
        let truncated = sample.count < bytes.count
        if truncated, let cut = cutAtLineBreak(sample), cut.count >= sample.count / 2 { sample = cut }
        var histogram = [Int](repeating: 0, count: 256)
        for b in sample { histogram[Int(b)] += 1 }
        var estimates: [(TextCharset, Double)] = []
        for c in TextCharset.legacyCandidates where c.isSingleByte {
            if let e = QuickScore.estimate(histogram, c) { estimates.append((c, e)) }
        }
        let order = Dictionary(uniqueKeysWithValues: TextCharset.legacyCandidates.enumerated().map { ($1, $0) })
        estimates.sort { $0.1 != $1.1 ? $0.1 > $1.1 : order[$0.0, default: 0] < order[$1.0, default: 0] }
        // Charsets that read every byte present the same way give the same text: only the
        // preferred one of them goes on (ISO-8859-1, -15 and windows-1252 for most Western text),
        // and the text is judged in the languages of all of them (Croatian `š` is the same byte
        // in windows-1250 and windows-1252).
        let present = (0x80...0xFF).filter { histogram[$0] > 0 }
        let high = max(sample.count(where: { $0 >= 0x80 }), 1)
        let few = high <= fewHighBytes
        var seen: [[UInt32]: Int] = [:]
        var candidates: [TextCharset] = []
        var languages: [TextCharset: [LanguageProfile.ID]] = [:]
        for (c, _) in estimates {
            guard let codec = SingleByteCodecs.detection[c] else { continue }
            let signature = present.map { codec.scalar(UInt8($0)) ?? 0xFFFF_FFFF }
            if let at = seen[signature] {
                var union = languages[candidates[at]] ?? candidates[at].languages
                union += c.languages.filter { !union.contains($0) }
                if order[c, default: 0] < order[candidates[at], default: 0] {
                    languages[candidates[at]] = nil
                    candidates[at] = c
                }
                languages[candidates[at]] = union
            } else if candidates.count < singleByteFinalists || (few && c.isLatinScript) {
                seen[signature] = candidates.count
                candidates.append(c)
            }
        }
        candidates += TextCharset.legacyCandidates.filter { !$0.isSingleByte }
        candidates.sort { order[$0, default: 0] < order[$1, default: 0] }
        // UTF-16 of non-Latin text has no zero bytes to give it away, so it is always a
        // candidate for even-length input; strict decoding (surrogate pairs) and the scoring
        // rule it out for legacy bytes.
        if bytes.count % 2 == 0 { candidates += [.utf16LE, .utf16BE] }
        if bytes.count % 4 == 0 && looksLikeUTF16(bytes) { candidates += [.utf32LE, .utf32BE] }
        var scored: [(TextCharset, CharsetScorer.Score, String, Int)] = []
        for c in candidates {
            let read = decodeTolerant(sample, c, allowTruncatedEnd: truncated)
            guard read.invalid == 0 || (!c.isWide && read.invalid * 50 <= high && read.invalid <= 64) else { continue }
            var score = CharsetScorer.score(read.text, charset: c, languages: languages[c])
            if read.invalid > 0 {
                let evidence = score.evidence + read.invalid
                score.value = (score.value * Double(score.evidence) - 4 * Double(read.invalid)) / Double(evidence)
                score.evidence = evidence
            }
            scored.append((c, score, read.text, read.invalid))
        }
        // Stable sort keeps the preference order of `legacyCandidates` on ties.
        let ranked = scored.enumerated().sorted { a, b in
            a.element.1.value != b.element.1.value ? a.element.1.value > b.element.1.value : a.offset < b.offset
        }.map(\.element)
        return ranked.enumerated().map { idx, e in
            // The competitor is the best reading that gives different text.
            let rival = ranked.first { $0.0 != e.0 && $0.2 != e.2 }
            let conf = idx == 0 ? confidence(best: e.1, rival: rival?.1) : 0
            return Ranked(charset: e.0, score: e.1.value, confidence: conf, text: e.2, invalid: e.3)
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

/// The byte-histogram estimate of a single-byte reading: per byte beyond ASCII, the best
/// context-free contribution its character gets in one of the charset's languages (as
/// `CharsetScorer` counts it), and an undefined byte costs 4. Tables built once per charset.
enum QuickScore {
    private static let tables: [TextCharset: [Double]] = {
        var d: [TextCharset: [Double]] = [:]
        for c in TextCharset.legacyCandidates where c.isSingleByte {
            guard let codec = SingleByteCodecs.detection[c] else { continue }
            let profiles = c.languages.compactMap { LanguageProfile.all[$0] }
            var t = [Double](repeating: -4, count: 256)
            for b in 0x80...0xFF {
                guard let v = codec.scalar(UInt8(b)), let s = Unicode.Scalar(v) else { continue }
                // windows-1258's combining tone marks compose with the vowel before them into the
                // letters the Vietnamese profile lists.
                t[b] = c == .windows1258 && (0x300...0x323).contains(v) ? 0.7 : profiles.map { contribution(s, $0) }.max() ?? 0
            }
            d[c] = t
        }
        return d
    }()

    static func contribution(_ s: Unicode.Scalar, _ prof: LanguageProfile) -> Double {
        let v = s.value
        if v <= 0x9F { return -4 }
        let p = s.properties
        if p.generalCategory == .unassigned { return -4 }
        let lower = p.isUppercase ? (p.lowercaseMapping.unicodeScalars.first?.value ?? v) : v
        if let w = prof.weights[lower] { return p.isUppercase ? 0.7 * w : w }
        if p.isAlphabetic {
            guard CharsetScorer.fits(v, prof.script) else { return -1.5 }
            return [.greek, .hebrew, .arabic, .thai].contains(prof.script) ? -1.0 : -0.6
        }
        return CharsetScorer.neutral.contains(v) ? 0 : -0.8
    }

    static func estimate(_ histogram: [Int], _ c: TextCharset) -> Double? {
        guard let t = tables[c] else { return nil }
        var sum = 0.0, n = 0
        for b in 0x80...0xFF where histogram[b] > 0 {
            sum += Double(histogram[b]) * t[b]
            n += histogram[b]
        }
        return n == 0 ? 0 : (sum + CharsetScorer.prior(c)) / Double(n)
    }
}
