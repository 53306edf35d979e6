/// Scores how plausible a decode is: per character beyond ASCII, how well it fits the best of
/// the charset's languages, minus penalties for what real text does not contain (controls,
/// private-use and unassigned code points, symbols wedged inside words, capitals in mid-word).
///
/// Scores are comparable between charsets for the same bytes: roughly +1 per character for text
/// made of a language's commonest letters, below 0 for garbage.
enum CharsetScorer {
    struct Score: Sendable {
        var value: Double
        var language: LanguageProfile.ID?
        /// How many characters beyond ASCII (the evidence) the decode has.
        var evidence: Int
    }

    /// What a letter pair the language writes adds, and one it does not write costs (per side).
    /// Only in Latin script does a pair it writes add: there the letters beyond ASCII are few and
    /// each needs its context; in other scripts every letter is beyond ASCII, most pairs are
    /// written, and a bonus for them would make any misread text in that script look right
    /// (Korean EUC-KR read as ISO-8859-5 capitals).
    static let pairFit = 0.3
    static let pairMisfit = 0.3

    /// A scalar as letter pairs see it: a letter lowercased, anything else a space (a word edge).
    /// Marks count as letters (Thai vowels and tone marks), and a capital whose lowercase is two
    /// scalars (`İ`) stays as it is, as `gen_models.py` counts them.
    static func pairForm(_ v: UInt32) -> UInt32 {
        guard let s = Unicode.Scalar(v) else { return 0x20 }
        let p = s.properties
        guard p.isAlphabetic || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark else { return 0x20 }
        let lower = p.lowercaseMapping.unicodeScalars
        return p.isUppercase && lower.count == 1 ? lower.first!.value : v
    }

    /// Punctuation and symbols that are normal in text in any of these charsets.
    static let neutral: Set<UInt32> = [
        0xA0, 0xAB, 0xBB, 0x2018, 0x2019, 0x201C, 0x201D, 0x201E, 0x2013, 0x2014, 0x2026, 0x20AC, 0xA9, 0xAE,
        0xB0, 0xB7, 0xBF, 0xA1, 0x2022, 0x2122, 0xA7, 0x2116, 0xA3, 0xAD,
    ]

    /// `languages`: those to judge the text in, when not the charset's own (several charsets that
    /// read the bytes alike give one text, which any of their languages may explain).
    static func score(_ text: String, charset: TextCharset, languages: [LanguageProfile.ID]? = nil) -> Score {
        let languages = languages ?? (charset.isUnicode ? LanguageProfile.ID.allCases : charset.languages)
        let profiles = languages.compactMap { LanguageProfile.all[$0] }
        var sums = [Double](repeating: 0, count: profiles.count)
        var penalty = 0.0
        var evidence = 0
        var prevLowerLetter = false
        var prevASCIILetter = false
        var prevCyrillic = false
        let scalars = Array(text.unicodeScalars)
        var memo: [UInt32: Int] = [:]
        var table: [Double] = []
        var lowerFlags: [Bool] = []
        var letterFlags: [Bool] = []
        var lowerForms: [UInt32] = []
        var pairForms: [UInt32: UInt32] = [:]
        func pairForm(_ v: UInt32) -> UInt32 {
            if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A ? v | 0x20 : 0x20 }
            if let f = pairForms[v] { return f }
            let f = Self.pairForm(v)
            pairForms[v] = f
            return f
        }
        let judgesPairs = profiles.contains { !$0.bigrams.isEmpty }
        // Each pair's contribution to each profile, computed once.
        var pairMemo: [UInt64: Int] = [:]
        var pairTable: [Double] = []
        // Scripts written with spaces between words: a "word" of more than 20 letters there is
        // double-byte text read one byte at a time (`ХчКЌИЉТчХчФЎУУЬъЅБТє` for Japanese).
        let spaced = !profiles.contains { [.thai, .japanese, .chinese, .korean].contains($0.script) }
        var run = 0
        for (idx, s) in scalars.enumerated() {
            let v = s.value
            if v < 0x80 {
                let asciiLetter = (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A
                run = asciiLetter ? run + 1 : 0
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C { penalty += 3; evidence += 1 }
                prevLowerLetter = (v >= 0x61 && v <= 0x7A)
                prevASCIILetter = prevLowerLetter || (v >= 0x41 && v <= 0x5A)
                // Cyrillic glued to Latin letters inside one word is a misread Latin text.
                if prevASCIILetter && prevCyrillic { penalty += 1.5 }
                prevCyrillic = false
                continue
            }
            // Any letter of a script other than Latin (Cyrillic, Greek, Hebrew, Arabic, Thai)
            // glued to Latin letters inside one word is a misread Latin text; so is a CJK
            // character between two Latin letters (`Vara枦inske` is windows-1250 read as
            // Shift_JIS; `K座` is a Chinese address).
            let cyrillic = (0x370...0x6FF).contains(v) || (0xE00...0xE7F).contains(v)
            if cyrillic && prevASCIILetter { penalty += 1.5 }
            if prevASCIILetter && idx + 1 < scalars.count && Self.isCJK(v) {
                let next = scalars[idx + 1].value
                if (next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A { penalty += 3 }
            }
            prevCyrillic = cyrillic
            prevASCIILetter = false
            evidence += 1
            if v <= 0x9F || (v >= 0xE000 && v <= 0xF8FF) || v == 0xFFFD {
                penalty += 4
                prevLowerLetter = false
                continue
            }
            let alone = idx == 0 || Self.isBoundary(scalars[idx - 1].value)
            let aloneAfter = idx + 1 == scalars.count || Self.isBoundary(scalars[idx + 1].value)
            // The contribution depends only on the scalar and two context bits: compute it once.
            let key = v << 2 | (prevLowerLetter ? 2 : 0) | (alone && aloneAfter ? 1 : 0)
            let entry: Int
            if let e = memo[key] {
                entry = e
            } else {
                entry = contributions(s, prevLowerLetter: prevLowerLetter, alone: alone && aloneAfter, profiles: profiles,
                                      cjkFit: charset.isUnicode ? -0.3 : 0.1, into: &table, lowerFlags: &lowerFlags)
                if entry >= 0 && letterFlags.count <= entry {
                    letterFlags.append(s.properties.isAlphabetic)
                    lowerForms.append(Self.pairForm(v))
                }
                memo[key] = entry
            }
            if entry < 0 { penalty += 4; run = 0; continue }
            // Quotation marks between two letters of one word (`по»зд`) are a misread letter.
            if Self.gluedQuotes.contains(v), idx > 0, idx + 1 < scalars.count,
               scalars[idx - 1].properties.isAlphabetic, scalars[idx + 1].properties.isAlphabetic {
                penalty += 1.5
            }
            run = letterFlags[entry] ? run + 1 : 0
            if spaced && run > 20 { penalty += 0.5 }
            let base = entry * profiles.count
            for k in 0..<profiles.count { sums[k] += table[base + k] }
            // The letters before and after, as pairs the language writes (`oś`, `śr`) or not (`oœ`).
            if judgesPairs && letterFlags[entry] {
                let me = UInt64(lowerForms[entry])
                let left = UInt64(idx > 0 ? pairForm(scalars[idx - 1].value) : 0x20) << 32 | me
                let right = me << 32 | UInt64(idx + 1 < scalars.count ? pairForm(scalars[idx + 1].value) : 0x20)
                for pair in [left, right] {
                    let at: Int
                    if let a = pairMemo[pair] {
                        at = a
                    } else {
                        at = pairTable.count
                        pairMemo[pair] = at
                        for prof in profiles {
                            let fit = prof.script == .latin ? pairFit : 0
                            pairTable.append(prof.bigrams.isEmpty ? 0 : prof.bigrams.contains(pair) ? fit : -pairMisfit)
                        }
                    }
                    for k in 0..<profiles.count { sums[k] += pairTable[at + k] }
                }
            }
            prevLowerLetter = lowerFlags[entry]
        }
        guard evidence > 0 else { return Score(value: 0, language: nil, evidence: 0) }
        penalty -= prior(charset)
        var best = -Double.infinity
        var lang: LanguageProfile.ID?
        for (k, s) in sums.enumerated() where s > best { best = s; lang = profiles[k].id }
        if profiles.isEmpty { best = 0 }
        return Score(value: (best - penalty) / Double(evidence), language: lang, evidence: evidence)
    }

    /// Appends one scalar's contribution to each profile's sum to `table`; returns its entry
    /// index, or -1 for unassigned code points (a flat penalty instead).
    private static func contributions(_ s: Unicode.Scalar, prevLowerLetter: Bool, alone: Bool, profiles: [LanguageProfile], cjkFit: Double,
                                      into table: inout [Double], lowerFlags: inout [Bool]) -> Int {
        let v = s.value
        let p = s.properties
        if p.generalCategory == .unassigned || p.generalCategory == .surrogate { return -1 }
        let isLetter = p.isAlphabetic
        let isUpper = p.isUppercase
        let lower = isUpper ? (p.lowercaseMapping.unicodeScalars.first?.value ?? v) : v
        let isAlone = isLetter && alone
        let entry = lowerFlags.count
        for prof in profiles {
            var c = 0.0
            if isAlone && prof.script == .latin && !prof.singleLetterWords.contains(v) { c -= 1.5 }
            if let w = prof.weights[lower] {
                c += isUpper ? (prevLowerLetter ? -1.0 : 0.7 * w) : w
            } else if isLetter {
                if fits(v, prof.script) {
                    // CJK profiles list only the commonest few hundred characters; the others list
                    // every letter of some frequency, so a letter not listed is a rare one.
                    switch prof.script {
                    case .latin, .cyrillic: c -= 0.6
                    // Any syllable or ideograph is a plausible (if rarer) one in a CJK charset; in a
                    // UTF-16 reading they are what the wrong byte order makes of Latin text.
                    case .japanese, .chinese, .korean: c += cjkFit
                    case .greek, .hebrew, .arabic, .thai: c -= 1.0
                    }
                    if isUpper && prevLowerLetter { c -= 0.5 }
                } else {
                    c -= 1.5
                }
            } else if !(neutral.contains(v) || (v >= 0x3000 && v <= 0x303F) || (v >= 0xFF00 && v <= 0xFFEF)) {
                c -= 0.8
            }
            table.append(c)
        }
        lowerFlags.append(isLetter && !isUpper)
        return entry
    }

    /// How common a charset is among unlabelled legacy text, as a bonus in characters' worth:
    /// it only decides between readings the text itself cannot tell apart.
    static func prior(_ c: TextCharset) -> Double {
        switch c {
        case .windows1252: return 0.4
        case .iso8859_1, .iso8859_15, .windows1251, .gb18030, .shiftJIS: return 0.2
        case .windows1250, .eucJP, .eucKR, .big5, .koi8R: return 0.1
        // The Windows code page before the ISO charset of the same script (ties are common:
        // they agree on most letters).
        case .windows1253, .windows1255, .windows1256, .windows1254, .windows1257, .windows874, .windows1258: return 0.1
        case .iso8859_7, .iso8859_8, .iso8859_6, .iso8859_13, .iso8859_5, .koi8U, .ibm866: return 0.05
        // Rare in the wild: they must read the text clearly better to win.
        case .iso8859_3, .iso8859_4, .iso8859_10, .iso8859_14, .iso8859_16, .macintosh, .xMacCyrillic: return -0.3
        default: return 0
        }
    }

    /// Quotation marks and symbols that never stand inside a word.
    static let gluedQuotes: Set<UInt32> = [0xAB, 0xBB, 0x201C, 0x201D, 0x201E, 0xA7, 0xB0, 0xA9, 0xAE, 0x2116, 0xB7, 0x2022]

    /// Space, punctuation or a line edge around a one-letter word.
    static func isBoundary(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x0A || v == 0x09 || v == 0xA0 || v == 0x2C || v == 0x2E || v == 0x3A || v == 0x3B
            || v == 0x28 || v == 0x29 || v == 0x22 || v == 0x27 || v == 0x2D
    }

    /// Han, kana (also half-width) and Hangul syllables.
    static func isCJK(_ v: UInt32) -> Bool {
        (0x3040...0x30FF).contains(v) || (0x3400...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xFF61...0xFF9F).contains(v)
    }

    /// Whether a letter belongs to the script a language is written in.
    static func fits(_ v: UInt32, _ script: LanguageProfile.Script) -> Bool {
        let han = (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FFFF).contains(v)
        switch script {
        case .latin: return (0xC0...0x24F).contains(v) || (0x1E00...0x1EFF).contains(v)
        case .cyrillic: return (0x400...0x52F).contains(v)
        case .japanese: return han || (0x3040...0x30FF).contains(v) || (0xFF66...0xFF9F).contains(v)
        case .chinese: return han
        case .korean: return (0xAC00...0xD7A3).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v)
        case .greek: return (0x370...0x3FF).contains(v) || (0x1F00...0x1FFF).contains(v)
        case .hebrew: return (0x590...0x5FF).contains(v) || (0xFB1D...0xFB4F).contains(v)
        case .arabic: return (0x600...0x6FF).contains(v) || (0x750...0x77F).contains(v) || (0xFB50...0xFDFF).contains(v)
            || (0xFE70...0xFEFF).contains(v)
        case .thai: return (0xE00...0xE7F).contains(v)
        }
    }
}
