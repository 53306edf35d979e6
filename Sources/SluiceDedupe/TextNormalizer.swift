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
        if !ascii { s = s.precomposedStringWithCanonicalMapping }
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
        var out = String.UnicodeScalarView()
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
        for u in s.unicodeScalars {
            if u.properties.isWhitespace {
                pendingSpace = any
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(u)
                any = true
            }
        }
        return String(out)
    }
}
