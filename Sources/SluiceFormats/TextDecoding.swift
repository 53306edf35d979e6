import SluiceCharset
import SluiceCore

/// The one place that decides whether record bytes are acceptable text.
///
/// Today: the bytes must be UTF-8 (a BOM was already removed by the stream) and hold no NUL byte.
/// This is the function to swap when charset detection arrives: it takes bytes and returns text or
/// a reason.
enum TextDecoding {
    /// The least confidence at which a non-UTF-8 whole-file document is decoded by detection.
    static let legacyMinConfidence = 0.5

    /// False when a detected decoding produced what no text holds: NUL, U+FFFD, Unicode
    /// non-characters, or more than a few C0 controls (other than tab and line breaks) and DEL:
    /// two in a text of 20 characters or more, or one in a hundred. A guard against reading binary junk as, say, UTF-16; a stray
    /// control in a legacy-charset file is kept (the `repair_encoding` stage removes controls).
    static func isPlausibleText(_ text: String) -> Bool {
        var controls = 0, total = 0
        for u in text.unicodeScalars {
            let v = u.value
            total += 1
            if v == 0 || v == 0xFFFD || (v & 0xFFFE) == 0xFFFE || (0xFDD0...0xFDEF).contains(v) { return false }
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C) || v == 0x7F { controls += 1 }
        }
        return controls == 0 || (total >= 20 && (controls <= 2 || controls * 100 <= total))
    }

    struct Failure: Error {
        var code: RecordFailure.Code
        var message: String
        /// Offset of the first offending byte, relative to the record's start.
        var byteOffset: Int
    }

    /// Checks `bytes` and returns them as a String.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<String, Failure> {
        if let failure = check(bytes) { return .failure(failure) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    static func decode(_ bytes: [UInt8]) -> Result<String, Failure> {
        bytes.withUnsafeBytes { decode($0) }
    }

    /// Nil when `bytes` is NUL-free UTF-8, else the first problem.
    static func check(_ bytes: UnsafeRawBufferPointer) -> Failure? {
        if let bad = firstInvalidUTF8(bytes) {
            if bytes[bad] == 0 { return nulByte(at: bad) }
            if bytes[bad] == 0xED, bad + 2 < bytes.count, (0xA0...0xBF).contains(bytes[bad + 1]) {
                let unit = 0xD000 | (UInt32(bytes[bad + 1] & 0x3F) << 6) | UInt32(bytes[bad + 2] & 0x3F)
                return Failure(code: .undecodableText, message: "the text holds an unpaired surrogate (U+\(String(unit, radix: 16, uppercase: true))) "
                               + "at offset \(bad): damaged UTF-16, not a character", byteOffset: bad)
            }
            return Failure(
                code: .undecodableText,
                message: "the text is not valid UTF-8: byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad) "
                    + "does not start or continue a character", byteOffset: bad)
        }
        return nil
    }

    static func nulByte(at offset: Int) -> Failure {
        Failure(code: .nulByte, message: "a NUL byte at offset \(offset): text formats may not contain NUL", byteOffset: offset)
    }

    /// Offset of the first byte that is NUL or not part of a well-formed UTF-8 sequence
    /// (no overlongs, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            // Eight ASCII bytes without a NUL at a time: the common case.
            if i + 8 <= n, let base = bytes.baseAddress {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let hasHighBit = word & 0x8080_8080_8080_8080 != 0
                let hasZero = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
                if !hasHighBit && !hasZero {
                    i += 8
                    continue
                }
            }
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return i }
                i += 1
                continue
            }
            guard let length = UTF8Sequence.length(at: i, in: bytes) else { return i }
            i += length
        }
        return nil
    }
}
