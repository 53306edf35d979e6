import Foundation

/// Runs `body` over the UTF-8 bytes of a string as one contiguous buffer (native strings
/// already are; others are copied once).
@inline(__always)
func withUTF8Buffer<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = text
    copy.makeContiguousUTF8()
    if let r = copy.utf8.withContiguousStorageIfAvailable(body) { return r }
    return Array(text.utf8).withUnsafeBufferPointer(body)
}

/// Whether two strings have the same UTF-8 bytes (not `==`, which calls canonically equivalent
/// spellings equal); one length check and a memcmp.
func sameUTF8(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return withUTF8Buffer(a) { x in
        withUTF8Buffer(b) { y in
            guard let p = x.baseAddress, let q = y.baseAddress else { return x.count == y.count }
            return memcmp(p, q, x.count) == 0
        }
    }
}

extension MojibakeHeuristic {
    /// A cheap necessary condition for `isBad`: every pattern needs two neighbouring non-ASCII
    /// characters, except those around C1 controls, `Œ`/`œ` and `Ã`/`Â`. Text such as English
    /// with curly quotes fails it in one pass over its bytes and skips the full check.
    static func mightBeBad(_ text: String) -> Bool {
        withUTF8Buffer(text) { buf in
            var prevNonASCII = false
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 { prevNonASCII = false; i += 1; continue }
                if prevNonASCII { return true }
                if b == 0xC2, i + 1 < n, buf[i + 1] < 0xA0 { return true }  // C1 control
                if b == 0xC3, i + 1 < n, buf[i + 1] == 0x82 || buf[i + 1] == 0x83 { return true }  // Â Ã
                if b == 0xC5, i + 1 < n, buf[i + 1] == 0x92 || buf[i + 1] == 0x93 { return true }  // Œ œ
                prevNonASCII = true
                i += 1
                while i < n, buf[i] & 0xC0 == 0x80 { i += 1 }
            }
            return false
        }
    }
}

/// The scalar values of a string, decoded straight from its UTF-8 (faster than going through
/// `unicodeScalars` for the short strings records hold).
func scalarValues(_ text: String) -> [UInt32] {
    withUTF8Buffer(text) { buf in
        let n = buf.count
        return [UInt32](unsafeUninitializedCapacity: n) { out, count in
            var i = 0, k = 0
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    out[k] = UInt32(b); i += 1
                } else if b < 0xE0, i + 1 < n {
                    out[k] = UInt32(b & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F); i += 2
                } else if b < 0xF0, i + 2 < n {
                    out[k] = UInt32(b & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F); i += 3
                } else if i + 3 < n {
                    out[k] = UInt32(b & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6
                        | UInt32(buf[i + 3] & 0x3F)
                    i += 4
                } else {
                    // Unreachable for a valid String; keeps the loop total anyway.
                    out[k] = 0xFFFD; i = n
                }
                k += 1
            }
            count = k
        }
    }
}
