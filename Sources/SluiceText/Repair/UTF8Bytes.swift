/// Byte-level helpers for mojibake repair: a strict UTF-8 decoder that optionally accepts the
/// two common variants, and the two transcoding fixes applied before decoding.
enum UTF8Bytes {
    /// Decodes strict UTF-8; nil on any invalid sequence. With `variants`, also accepts Java's
    /// `C0 80` for U+0000 and CESU-8 surrogate pairs (UTF-16 encoded as UTF-8), which appear when
    /// text went through Java or MySQL's old `utf8`.
    static func decode(_ b: [UInt8], variants: Bool = false) -> String? {
        var view = String.UnicodeScalarView()
        var i = 0
        let n = b.count
        while i < n {
            let c0 = b[i]
            if c0 < 0x80 {
                view.append(Unicode.Scalar(c0))
                i += 1
                continue
            }
            if variants, c0 == 0xC0, i + 1 < n, b[i + 1] == 0x80 {
                view.append(Unicode.Scalar(0))
                i += 2
                continue
            }
            if variants, c0 == 0xED, i + 5 < n, b[i + 1] >= 0xA0, b[i + 1] <= 0xAF, isCont(b[i + 2]),
               b[i + 3] == 0xED, b[i + 4] >= 0xB0, b[i + 4] <= 0xBF, isCont(b[i + 5]) {
                let hi = 0xD000 | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F)
                let lo = 0xD000 | (UInt32(b[i + 4] & 0x3F) << 6) | UInt32(b[i + 5] & 0x3F)
                let v = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                guard let s = Unicode.Scalar(v) else { return nil }
                view.append(s)
                i += 6
                continue
            }
            guard let (v, len) = decodeOne(b, i), let s = Unicode.Scalar(v) else { return nil }
            view.append(s)
            i += len
        }
        return String(view)
    }

    @inline(__always) static func isCont(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }

    /// One well-formed UTF-8 sequence at `i` (Unicode Table 3-7), or nil.
    @inline(__always)
    static func decodeOne(_ b: [UInt8], _ i: Int) -> (UInt32, Int)? {
        let n = b.count
        let c0 = b[i]
        switch c0 {
        case 0xC2...0xDF:
            guard i + 1 < n, isCont(b[i + 1]) else { return nil }
            return (UInt32(c0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2)
        case 0xE0...0xEF:
            guard i + 2 < n, isCont(b[i + 1]), isCont(b[i + 2]) else { return nil }
            if c0 == 0xE0 && b[i + 1] < 0xA0 { return nil }
            if c0 == 0xED && b[i + 1] > 0x9F { return nil }
            return (UInt32(c0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        case 0xF0...0xF4:
            guard i + 3 < n, isCont(b[i + 1]), isCont(b[i + 2]), isCont(b[i + 3]) else { return nil }
            if c0 == 0xF0 && b[i + 1] < 0x90 { return nil }
            if c0 == 0xF4 && b[i + 1] > 0x8F { return nil }
            return (UInt32(c0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                    | UInt32(b[i + 3] & 0x3F), 4)
        default:
            return nil
        }
    }

    /// Whether some space in the bytes probably stood for byte A0 inside a UTF-8 sequence (a
    /// process turned the no-break space that mojibake of `à`, `Ġ`, `Ġ`... contains into a space).
    static func hasAlteredA0(_ b: [UInt8]) -> Bool { alteredA0Length(b, from: 0, scanAll: true) != nil }

    /// Puts byte A0 back where a space broke an otherwise plausible UTF-8 sequence; also
    /// `C3 20` before a word (a French `à` whose A0 was swallowed with the following space).
    static func restoreA0(_ input: [UInt8]) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(input.count + 4)
        var i = 0
        while i < input.count {
            if input[i] == 0xC3, i + 1 < input.count, input[i + 1] == 0x20, !aGraveExempt(input, i + 2) {
                b.append(contentsOf: [0xC3, 0xA0, 0x20])
                i += 2
            } else {
                b.append(input[i])
                i += 1
            }
        }
        var out = b
        i = 0
        while i < out.count {
            if let len = alteredA0Length(out, from: i, scanAll: false) {
                for k in i..<(i + len) where out[k] == 0x20 { out[k] = 0xA0 }
                i += len
            } else {
                i += 1
            }
        }
        return out
    }

    /// Words after `Ã ` where the space is a real space (Portuguese `à quele`, ...).
    private static func aGraveExempt(_ b: [UInt8], _ j: Int) -> Bool {
        for w in [" ", "quele", "quela", "quilo", "s "] {
            let u = Array(w.utf8)
            if j + u.count <= b.count, Array(b[j..<(j + u.count)]) == u { return true }
        }
        return false
    }

    @inline(__always) private static func contNoA0(_ c: UInt8) -> Bool {
        (c >= 0x80 && c <= 0x84) || (c >= 0x86 && c <= 0x9F) || (c >= 0xA1 && c <= 0xBF)
    }

    /// The length of an altered sequence starting at `from`, or (scanning) at any position.
    private static func alteredA0Length(_ b: [UInt8], from: Int, scanAll: Bool) -> Int? {
        var i = from
        let n = b.count
        while i < n {
            let c = b[i]
            func at(_ k: Int) -> UInt8? { i + k < n ? b[i + k] : nil }
            var len: Int?
            switch c {
            case 0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9:
                if at(1) == 0x20 { len = 2 }
            case 0xE0...0xE3:
                if (c == 0xE2 || c == 0xE3), at(1) == 0x20, let z = at(2), contNoA0(z) { len = 3 }
                else if let y = at(1), contNoA0(y), at(2) == 0x20 { len = 3 }
            case 0xF0:
                if let y = at(1), let z = at(2), let w = at(3) {
                    let cont = { (x: UInt8) in x >= 0x80 && x <= 0xBF }
                    if y == 0x20, cont(z), cont(w) { len = 4 }
                    else if cont(y), z == 0x20, cont(w) { len = 4 }
                    else if cont(y), cont(z), w == 0x20 { len = 4 }
                }
            default: break
            }
            if let len { return len }
            if !scanAll { return nil }
            i += 1
        }
        return nil
    }

    /// Replaces UTF-8 sequences in which a byte was lost (shown as byte 1A, the sloppy codecs'
    /// stand-in for U+FFFD, or as `?`) with the UTF-8 of U+FFFD, so that the rest can decode.
    static func replaceLossy(_ b: [UInt8]) -> [UInt8] {
        let fffd: [UInt8] = [0xEF, 0xBF, 0xBD]
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        let n = b.count
        while i < n {
            if let len = lossyLength(b, i) {
                out.append(contentsOf: fffd)
                i += len
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    private static func lossyLength(_ b: [UInt8], _ i: Int) -> Int? {
        let n = b.count
        func at(_ k: Int) -> UInt8? { i + k < n ? b[i + k] : nil }
        func lost(_ x: UInt8?) -> Bool { x == 0x1A || x == 0x3F }
        func contOr1A(_ x: UInt8?) -> Bool { guard let x else { return false }; return x == 0x1A || (x >= 0x80 && x <= 0xBF) }
        func lostOrCont(_ x: UInt8?) -> Bool { lost(x) || contOr1A(x) }
        let c = b[i]
        switch c {
        case 0x1A:
            return 1
        case 0xC2...0xDF:
            if at(1) == 0x1A { return 2 }
            if c <= 0xC3, at(1) == 0x3F { return 2 }
        case 0xE0...0xEF:
            if c == 0xED, let y = at(1), y >= 0xA0, y <= 0xAF, at(3) == 0xED, let w = at(4), w >= 0xB0, w <= 0xBF {
                if lost(at(2)), lostOrCont(at(5)) { return 6 }
                if lostOrCont(at(2)), lost(at(5)) { return 6 }
            }
            if lost(at(1)), contOr1A(at(2)) { return 3 }
            if contOr1A(at(1)), lost(at(2)) { return 3 }
        case 0xF0...0xF4:
            if lost(at(1)), contOr1A(at(2)), contOr1A(at(3)) { return 4 }
            if contOr1A(at(1)), lost(at(2)), contOr1A(at(3)) { return 4 }
            if contOr1A(at(1)), contOr1A(at(2)), lost(at(3)) { return 4 }
        default: break
        }
        return nil
    }
}
