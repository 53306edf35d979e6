/// Character classes of the few hundred characters that UTF-8 mojibake is made of.
///
/// The idea (and the grouping) follows ftfy's `badness` heuristic (Apache-2.0, rspeer/python-ftfy):
/// mojibake shows up as unlikely neighbours among these characters, such as a lowercase accented
/// letter followed by a currency sign. This is Sluice's own implementation: a bitmask per scalar
/// and a hand-written matcher (`MojibakeHeuristic`) instead of a regular expression.
struct MojibakeClass: OptionSet, Sendable {
    let rawValue: UInt16
    /// Occur in many contexts; only weak evidence.
    static let common = MojibakeClass(rawValue: 1 << 0)
    /// C1 controls: nobody writes them on purpose any more.
    static let c1 = MojibakeClass(rawValue: 1 << 1)
    /// Nearly always mojibake.
    static let bad = MojibakeClass(rawValue: 1 << 2)
    static let law = MojibakeClass(rawValue: 1 << 3)
    static let currency = MojibakeClass(rawValue: 1 << 4)
    static let startPunct = MojibakeClass(rawValue: 1 << 5)
    static let endPunct = MojibakeClass(rawValue: 1 << 6)
    static let numeric = MojibakeClass(rawValue: 1 << 7)
    /// Letters people build emoticons from, which may sit in odd company legitimately.
    static let kaomoji = MojibakeClass(rawValue: 1 << 8)
    static let upperAccented = MojibakeClass(rawValue: 1 << 9)
    static let lowerAccented = MojibakeClass(rawValue: 1 << 10)
    static let upperCommon = MojibakeClass(rawValue: 1 << 11)
    static let lowerCommon = MojibakeClass(rawValue: 1 << 12)
    static let box = MojibakeClass(rawValue: 1 << 13)

    /// Scalars below this bound are looked up in an array; the few above it are special-cased.
    static let tableBound: UInt32 = 0x2600

    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: Int(tableBound))
        func add(_ cls: MojibakeClass, _ values: [UInt32]) {
            for v in values where v < tableBound { t[Int(v)] |= cls.rawValue }
        }
        func r(_ a: UInt32, _ b: UInt32) -> [UInt32] { Array(a...b) }
        add(.common, [0xA0, 0xAD, 0xB7, 0xB4, 0x2013, 0x2014, 0x2015, 0x2026, 0x2019])
        add(.c1, r(0x80, 0x9F))
        add(.bad, [0xA6, 0xA4, 0xA8, 0xAC, 0xAF, 0xB8, 0x192, 0x2C6, 0x2C7, 0x2D8, 0x2DB, 0x2DC,
                   0x2020, 0x2021, 0x2030, 0x2310, 0x25CA, 0xAA, 0xBA])
        add(.law, [0xB6, 0xA7])
        add(.currency, [0xA2, 0xA3, 0xA5, 0x20A7, 0x20AC])
        add(.startPunct, [0xA1, 0xAB, 0xBF, 0xA9, 0x384, 0x385, 0x2018, 0x201A, 0x201C, 0x201E, 0x2022, 0x2039])
        add(.endPunct, [0xAE, 0xBB, 0x2DD, 0x201D, 0x203A, 0x2122])
        add(.numeric, [0xB2, 0xB3, 0xB9, 0xB1, 0xBC, 0xBD, 0xBE, 0xD7, 0xB5, 0xF7, 0x2044, 0x2202, 0x2206,
                       0x220F, 0x2211, 0x221A, 0x221E, 0x2229, 0x222B, 0x2248, 0x2260, 0x2261, 0x2264, 0x2265, 0x2116])
        add(.kaomoji, r(0xD2, 0xD6) + r(0xD9, 0xDC) + r(0xF2, 0xF6) + r(0xF8, 0xFC) + [0x150, 0x14C, 0x16A, 0x172, 0xB0])
        add(.upperAccented, r(0xC0, 0xD1) + [0xD8, 0xDC, 0xDD, 0x102, 0x100, 0x104, 0x106, 0x10C, 0x10E, 0x110,
                                             0x118, 0x11A, 0x112, 0x116, 0x11E, 0x122, 0x130, 0x12A, 0x136, 0x139,
                                             0x13D, 0x141, 0x13B, 0x143, 0x147, 0x145, 0x152, 0x158, 0x15A, 0x15E,
                                             0x160, 0x162, 0x164, 0x16E, 0x170, 0x178, 0x179, 0x17B, 0x17D, 0x490])
        add(.lowerAccented, [0xDF] + r(0xE0, 0xF1) + [0x103, 0x105, 0x101, 0x107, 0x10D, 0x10F, 0x111, 0x119,
                                                      0x11B, 0x113, 0x117, 0x11F, 0x123, 0x12F, 0x12B, 0x137,
                                                      0x13A, 0x13E, 0x142, 0x13C, 0x153, 0x155, 0x15B, 0x15F,
                                                      0x161, 0x165, 0xFC, 0x17A, 0x17C, 0x17E, 0x491])
        add(.upperCommon, [0xDE] + r(0x391, 0x3A9) + [0x386, 0x388, 0x389, 0x38A, 0x38C, 0x38E, 0x38F, 0x3AA, 0x3AB]
            + r(0x401, 0x42F))
        add(.lowerCommon, r(0x3B1, 0x3C9) + [0x3AC, 0x3AD, 0x3AE, 0x3AF, 0x3B0] + r(0x430, 0x45F))
        add(.box, [0x2502, 0x250C, 0x2510, 0x2518, 0x251C, 0x2524, 0x252C, 0x253C] + r(0x2550, 0x256C)
            + [0x2580, 0x2584, 0x2588, 0x258C, 0x2590, 0x2591, 0x2592, 0x2593])
        return t
    }()

    @inline(__always)
    static func of(_ v: UInt32) -> MojibakeClass {
        if v < tableBound { return MojibakeClass(rawValue: table[Int(v)]) }
        switch v {
        case 0xF8FF: return .startPunct  // the Apple logo in MacRoman
        case 0xFFFD: return .bad
        case 0xFB01, 0xFB02: return .lowerAccented  // fi, fl ligatures
        default: return []
        }
    }

    static let accented: MojibakeClass = [.lowerAccented, .upperAccented]
}
