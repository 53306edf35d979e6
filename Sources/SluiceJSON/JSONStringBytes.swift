/// The one hot loop shared by the parser and the writer: finding the end of a run of string
/// bytes that need no attention.
enum JSONStringBytes {
    /// The first index at or after `start` holding `"`, `\`, a control character (below 0x20) or,
    /// when `stopAtNonASCII`, a byte of 0x80 or more; and whether any byte skipped was non-ASCII.
    ///
    /// Eight bytes are tested at a time with the classic word tricks ("has a zero byte", "has a
    /// byte below n"). They are exact about whether a word holds any match, which is all that is
    /// needed: the word with a match is then walked byte by byte.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, stopAtNonASCII: Bool) -> (end: Int, sawNonASCII: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        var seenWords: UInt64 = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i &+ 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let quotes = word ^ (ones &* UInt64(UInt8.quote))
                let backslashes = word ^ (ones &* UInt64(UInt8.backslash))
                var special = ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                    | ((word &- ones &* 0x20) & ~word)
                if stopAtNonASCII { special |= word }
                if special & highs != 0 { break }
                seenWords |= word
                i &+= 8
            }
        }
        var seenBytes: UInt8 = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == .quote || byte == .backslash || byte < 0x20 || (stopAtNonASCII && byte >= 0x80) { break }
            seenBytes |= byte
            i &+= 1
        }
        return (i, seenWords & highs != 0 || seenBytes >= 0x80)
    }
}
