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
