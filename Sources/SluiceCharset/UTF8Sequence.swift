/// The one definition of a well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
/// nothing above U+10FFFF), shared by charset detection and the readers' strict checks.
public enum UTF8Sequence {
    /// The length (2 to 4) of the well-formed multi-byte sequence that starts at `i`, or nil when
    /// the byte there does not start one or the bytes after it do not continue it. `bytes[i]` is
    /// 0x80 or above (ASCII is the caller's fast path).
    @inlinable
    public static func length(at i: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        let need: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch bytes[i] {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return nil
        }
        guard i + need < bytes.count else { return nil }
        let second = bytes[i + 1]
        guard second >= lo && second <= hi else { return nil }
        if need >= 2 {
            for k in 2...need where !(0x80...0xBF).contains(bytes[i + k]) { return nil }
        }
        return need + 1
    }
}
