/// Splits normalised text into tokens and hashes every run of `size` consecutive tokens.
///
/// **The rule, for every language.** A token is a maximal run of letters, digits and combining
/// marks, except in scripts written without spaces between words — Han, Hiragana, Katakana,
/// Thai, Lao, Khmer and Myanmar — where every scalar is a token of its own. So shingles are word
/// n-grams in English or Russian and character n-grams in Chinese, Japanese or Thai, and mixed
/// text is handled token by token. Punctuation and symbols separate tokens and are not part of
/// any. Tokens are compared lowercased. A text with fewer than `size` tokens (but at least one)
/// gives one shingle of all its tokens; a text without tokens gives none.
public struct Shingler: Sendable, Hashable {
    public var size: Int

    public init(size: Int) { self.size = max(1, size) }

    /// 64-bit hashes of the shingles of `text` (with repeats; MinHash ignores them).
    public func shingleHashes(_ text: String) -> [UInt64] {
        let tokens = Shingler.tokenHashes(text)
        if tokens.isEmpty { return [] }
        if tokens.count < size { return [Shingler.combine(tokens[...])] }
        var out: [UInt64] = []
        out.reserveCapacity(tokens.count - size + 1)
        for i in 0...(tokens.count - size) { out.append(Shingler.combine(tokens[i..<(i + size)])) }
        return out
    }

    /// The tokens themselves, for tests and the accuracy generator.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for u in text.lowercased().unicodeScalars {
            switch classify(u) {
            case .word: current.append(u)
            case .alone:
                if !current.isEmpty { out.append(String(current)); current = .init() }
                out.append(String(u))
            case .separator:
                if !current.isEmpty { out.append(String(current)); current = .init() }
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// FNV-1a over each token's scalars, finished with a strong mix.
    static func tokenHashes(_ text: String) -> [UInt64] {
        var text = text
        if let ascii = text.withUTF8(asciiTokenHashes) { return ascii }
        var out: [UInt64] = []
        out.reserveCapacity(text.utf8.count / 3 + 1)
        var h: UInt64 = fnvOffset
        var inToken = false
        // Lowercasing scalar by scalar gives what `String.lowercased()` gives (it maps each
        // scalar on its own), without building the lowercased string.
        for original in text.unicodeScalars {
            let lower = lowercaseTable[Int(min(original.value, 0xFFFF))]
            if lower != multiScalar && original.value < 0x10000 {
                step(Unicode.Scalar(lower) ?? original)
            } else {
                for u in original.properties.lowercaseMapping.unicodeScalars { step(u) }
            }
        }
        if inToken { out.append(mix(h)) }
        return out

        func step(_ u: Unicode.Scalar) {
            switch classify(u) {
            case .word:
                h = (h ^ UInt64(u.value)) &* fnvPrime
                inToken = true
            case .alone:
                if inToken { out.append(mix(h)); h = fnvOffset; inToken = false }
                out.append(mix((fnvOffset ^ UInt64(u.value)) &* fnvPrime))
            case .separator:
                if inToken { out.append(mix(h)); h = fnvOffset; inToken = false }
            }
        }
    }

    static let multiScalar = UInt32.max

    /// The lowercase mapping of every BMP scalar when it is one scalar (`multiScalar` when it is
    /// several, or for surrogate code points), computed once.
    static let lowercaseTable: [UInt32] = (0..<0x10000).map { v in
        guard let u = Unicode.Scalar(UInt32(v)) else { return multiScalar }
        let m = u.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first?.value ?? multiScalar : multiScalar
    }

    /// `tokenHashes` for ASCII text, straight from the bytes (the same hashes: an ASCII scalar's
    /// value is its byte, lowercased in place); nil at the first non-ASCII byte.
    static func asciiTokenHashes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt64]? {
        var out: [UInt64] = []
        out.reserveCapacity(bytes.count / 4 + 1)
        var h: UInt64 = fnvOffset
        var inToken = false
        for b in bytes {
            if b >= 0x80 { return nil }
            let lower = b | 0x20
            let unit: UInt8
            if lower >= 0x61 && lower <= 0x7A {
                unit = lower
            } else if b >= 0x30 && b <= 0x39 {
                unit = b
            } else {
                if inToken { out.append(mix(h)); h = fnvOffset; inToken = false }
                continue
            }
            h = (h ^ UInt64(unit)) &* fnvPrime
            inToken = true
        }
        if inToken { out.append(mix(h)) }
        return out
    }

    static func combine(_ tokens: ArraySlice<UInt64>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for t in tokens { h = mix(h ^ t) &+ 0x632B_E59B_D9B4_E019 }
        return h
    }

    enum Kind: UInt8 { case word, alone, separator }

    /// What `classify` says of every scalar of the Basic Multilingual Plane, computed once:
    /// Unicode property lookups per scalar dominated tokenising non-ASCII text.
    static let bmpKinds: [Kind] = (0..<0x10000).map { v in
        Unicode.Scalar(UInt32(v)).map(classifyByProperties) ?? .separator
    }

    @inline(__always)
    static func classify(_ u: Unicode.Scalar) -> Kind {
        let v = u.value
        if v < 0x10000 { return bmpKinds[Int(v)] }
        return classifyByProperties(u)
    }

    static func classifyByProperties(_ u: Unicode.Scalar) -> Kind {
        let v = u.value
        if v < 0x80 {
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) { return .word }
            return .separator
        }
        if isUnspacedScript(v) {
            // Marks that belong to the previous scalar (Thai vowels and tones) still count alone:
            // every scalar is one unit there, which keeps shingles aligned whatever the marks.
            return u.properties.isAlphabetic || u.properties.generalCategory == .nonspacingMark
                || u.properties.generalCategory == .spacingMark ? .alone : .separator
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return .word
        default:
            return .separator
        }
    }

    /// Scripts written without spaces between words.
    @inline(__always)
    static func isUnspacedScript(_ v: UInt32) -> Bool {
        switch v {
        case 0x0E00...0x0EFF,        // Thai, Lao
             0x1000...0x109F,        // Myanmar
             0x1780...0x17FF,        // Khmer
             0x3040...0x30FF,        // Hiragana, Katakana
             0x31F0...0x31FF,        // Katakana phonetic extensions
             0x3400...0x4DBF,        // CJK extension A
             0x4E00...0x9FFF,        // CJK unified ideographs
             0xF900...0xFAFF,        // CJK compatibility ideographs
             0xFF66...0xFF9F,        // halfwidth Katakana
             0x20000...0x3134F:      // CJK extensions B–G
            return true
        default:
            return false
        }
    }

    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// The SplitMix64 finaliser: every input bit affects every output bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
