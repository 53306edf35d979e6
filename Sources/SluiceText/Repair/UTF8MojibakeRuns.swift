import SluiceCharset
/// Finds runs of characters that look like UTF-8 byte sequences read through a Latin-style
/// single-byte charset: a lead character (one that such a charset gives for bytes C2–DF, E0–EF,
/// F0 or F3) followed by the right number of continuation characters (bytes 80–BF, or a space
/// standing in for A0).
///
/// The clue sets are computed from the codec tables, not written out by hand.
enum UTF8MojibakeRuns {
    struct Clues: Sendable {
        var lead2: Set<UInt32> = []
        var lead3: Set<UInt32> = []
        var lead4: Set<UInt32> = []
        var cont: Set<UInt32> = []
        var contStrict: Set<UInt32> = []
    }

    static let clues: Clues = {
        var c = Clues()
        let names = ["latin-1", "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1257"]
        for name in names {
            guard let codec = SingleByteCodecs.named(name) else { continue }
            for b in 0x80...0xFF {
                let v = codec.decodeTable[b]
                guard v != 0xFFFF_FFFF else { continue }
                switch b {
                case 0x80...0xBF: c.cont.insert(v)
                case 0xC2...0xDF: c.lead2.insert(v)
                case 0xE0...0xEF: c.lead3.insert(v)
                case 0xF0, 0xF3: c.lead4.insert(v)
                default: break
                }
            }
        }
        c.contStrict = c.cont
        // Characters that stand for themselves next to mojibake often enough (dashes, quotes,
        // bullet, ellipsis) do not block a run from starting after them.
        for v: UInt32 in [0x2013, 0x2014, 0x2015, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026] {
            c.contStrict.remove(v)
        }
        c.cont.insert(0x20)
        return c
    }()

    /// Flags per scalar below U+2600 (every clue character is): 1 lead2, 2 lead3, 4 lead4,
    /// 8 continuation, 16 strict continuation.
    static let flags: [UInt8] = {
        var f = [UInt8](repeating: 0, count: 0x2600)
        let c = clues
        for (set, bit) in [(c.lead2, UInt8(1)), (c.lead3, 2), (c.lead4, 4), (c.cont, 8), (c.contStrict, 16)] {
            for v in set where v < 0x2600 { f[Int(v)] |= bit }
        }
        return f
    }()

    @inline(__always)
    static func flag(_ v: UInt32) -> UInt8 {
        if v < 0x2600 { return flags[Int(v)] }
        let c = clues
        var r: UInt8 = 0
        if c.lead2.contains(v) { r |= 1 }
        if c.lead3.contains(v) { r |= 2 }
        if c.lead4.contains(v) { r |= 4 }
        if c.cont.contains(v) { r |= 8 }
        if c.contStrict.contains(v) { r |= 16 }
        return r
    }

    static func find(_ s: [UInt32]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        let n = s.count
        func isCont(_ k: Int) -> Bool { k < n && flag(s[k]) & 8 != 0 }
        while i < n {
            if i > 0 && flag(s[i - 1]) & 16 != 0 { i += 1; continue }
            var j = i
            while j < n {
                let f = flag(s[j])
                if f & 1 != 0, isCont(j + 1) { j += 2; continue }
                if f & 2 != 0, isCont(j + 1), isCont(j + 2) { j += 3; continue }
                if f & 4 != 0, isCont(j + 1), isCont(j + 2), isCont(j + 3) { j += 4; continue }
                break
            }
            if j > i {
                runs.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return runs
    }
}
