import Foundation

/// The normalisation applied before content keys and shingles are computed, so that copies that
/// differ only in invisible ways count as the same text.
///
/// Guarantees: the result is in Unicode NFC; every run of whitespace (any Unicode `White_Space`
/// scalar, including line breaks and no-break spaces) is one U+0020; no leading or trailing
/// whitespace; with `caseFold`, lowercased by Unicode's full case mapping. Pure and deterministic.
public struct TextNormalizer: Sendable, Hashable {
    public var caseFold: Bool

    public init(caseFold: Bool = false) { self.caseFold = caseFold }

    public func normalize(_ text: String) -> String {
        var s = text
        if let ascii = s.withUTF8({ TextNormalizer.normalizeASCII($0, caseFold: caseFold, original: text) }) { return ascii }
        let ascii = s.utf8.allSatisfy { $0 < 0x80 }
        if !ascii && !TextNormalizer.isNFCStarters(s) { s = s.precomposedStringWithCanonicalMapping }
        s = TextNormalizer.collapseWhitespace(s, ascii: ascii)
        if caseFold { s = s.lowercased() }
        return s
    }

    /// `normalize` for ASCII text in one pass over the bytes (ASCII is already NFC); the text
    /// itself when nothing changes, which is the common case. nil when a byte is not ASCII.
    static func normalizeASCII(_ bytes: UnsafeBufferPointer<UInt8>, caseFold: Bool, original: String) -> String? {
        var clean = true
        var previousSpace = true
        for b in bytes {
            if b >= 0x80 { return nil }
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                if b != 0x20 || previousSpace { clean = false }
                previousSpace = true
            } else {
                if caseFold && b >= 0x41 && b <= 0x5A { clean = false }
                previousSpace = false
            }
        }
        if previousSpace && !bytes.isEmpty { clean = false }
        if clean { return original }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for b in bytes {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(caseFold && b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func collapseWhitespace(_ s: String, ascii: Bool) -> String {
        var pendingSpace = false
        var any = false
        if ascii {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.utf8.count)
            for b in s.utf8 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = any
                } else {
                    if pendingSpace { bytes.append(0x20); pendingSpace = false }
                    bytes.append(b)
                    any = true
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        // Scalars out as UTF-8 bytes, one string at the end: appending scalars to a String one
        // by one is several times slower.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var changed = false
        for u in s.unicodeScalars {
            if TextNormalizer.isWhiteSpace(u.value) {
                if u.value != 0x20 || pendingSpace || !any { changed = true }
                pendingSpace = any
            } else {
                if pendingSpace { bytes.append(0x20); pendingSpace = false }
                UTF8.encode(u) { bytes.append($0) }
                any = true
            }
        }
        if pendingSpace { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : s
    }

    /// True when every scalar of `s` is one that NFC leaves alone whatever surrounds it: canonical
    /// combining class 0, its own NFC, and never the second of a canonical composition. Such a
    /// text is already in NFC, so Foundation's normaliser (a third of the time on non-ASCII
    /// text) is skipped. The ranges are conservative: Latin up to U+02FF and Latin Extended
    /// Additional, Cyrillic letters, common CJK punctuation, kana, CJK ideographs, Hangul
    /// syllables, fullwidth ASCII; anything else goes through Foundation.
    static func isNFCStarters(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            switch u.value {
            case 0..<0x300, 0x0400...0x0482, 0x048A...0x052F, 0x1E00...0x1EFF, 0x2010...0x2027,
                 0x3001...0x3003, 0x300C...0x300F, 0x3041...0x3096, 0x30A1...0x30FA,
                 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Unicode's `White_Space` property (a fixed list of 25 scalars since Unicode 6.3), without
    /// the property lookup, which dominated normalising non-ASCII text.
    @inline(__always)
    static func isWhiteSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
