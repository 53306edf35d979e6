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

    static func find(_ s: [UInt32]) -> [Range<Int>] {
        let c = clues
        var runs: [Range<Int>] = []
        var i = 0
        let n = s.count
        while i < n {
            if i > 0 && c.contStrict.contains(s[i - 1]) { i += 1; continue }
            var j = i
            while j < n {
                let v = s[j]
                if c.lead2.contains(v), j + 1 < n, c.cont.contains(s[j + 1]) { j += 2; continue }
                if c.lead3.contains(v), j + 2 < n, c.cont.contains(s[j + 1]), c.cont.contains(s[j + 2]) { j += 3; continue }
                if c.lead4.contains(v), j + 3 < n, c.cont.contains(s[j + 1]), c.cont.contains(s[j + 2]),
                   c.cont.contains(s[j + 3]) { j += 4; continue }
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
