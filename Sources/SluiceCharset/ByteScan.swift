/// What one pass over the bytes tells charset detection: whether they are UTF-8 (and if not, how
/// many sequences are not), how many multi-byte characters they hold, and the control and escape
/// bytes that point at UTF-16/32 or ISO-2022.
///
/// One pass, eight bytes at a time through ASCII without controls: valid UTF-8 is settled here,
/// with no scoring.
struct ByteScan: Sendable {
    /// Byte sequences that are not well-formed UTF-8 (each bad byte counts once).
    var invalidUTF8 = 0
    var firstInvalidUTF8: Int?
    /// Well-formed sequences of two to four bytes.
    var multibyte = 0
    /// C0 controls other than tab, LF, FF and CR, including NUL and ESC.
    var controls = 0
    var nul = 0
    var escapes = 0
    /// Bytes from 0x80 up.
    var high = 0

    var isASCII: Bool { high == 0 }
    var isValidUTF8: Bool { invalidUTF8 == 0 }

    init(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { scan($0) }
    }

    private mutating func scan(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return }
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // No byte ≥ 0x80 and none < 0x20: plain printable ASCII.
                let high = word & 0x8080_8080_8080_8080
                let low = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
                if high == 0 && low == 0 { i += 8; continue }
            }
            let b = bytes[i]
            if b < 0x80 {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D {
                    controls += 1
                    if b == 0 { nul += 1 } else if b == 0x1B { escapes += 1 }
                }
                i += 1
                continue
            }
            if let length = UTF8Sequence.length(at: i, in: bytes) {
                multibyte += 1
                high += length
                i += length
            } else {
                invalidUTF8 += 1
                if firstInvalidUTF8 == nil { firstInvalidUTF8 = i }
                high += 1
                i += 1
            }
        }
    }

    /// Mostly UTF-8 with a few bad bytes: at least 3 well-formed multi-byte characters and at
    /// most one bad sequence per 20 of them. Legacy text is almost never valid UTF-8 by chance
    /// (each lead byte needs exactly the right number of 0x80-0xBF bytes after it), so such
    /// bytes are UTF-8 with damage, not another charset.
    var isMostlyUTF8: Bool {
        invalidUTF8 > 0 && multibyte >= 3 && invalidUTF8 * 20 <= multibyte
    }
}
