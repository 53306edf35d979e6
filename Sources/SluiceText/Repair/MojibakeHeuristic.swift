import SluiceCharset
/// Decides whether text looks like it contains mojibake: some pair or triple of neighbouring
/// characters that real text almost never has (`Ã©`, `â€™`, `Ð¿`).
///
/// Guarantee: pure ASCII is never bad; the check is one pass over the scalars and looks at most
/// four characters ahead.
enum MojibakeHeuristic {
    typealias C = MojibakeClass

    private static let afterBad: C = [.lowerAccented, .upperAccented, .box, .startPunct, .endPunct, .currency, .numeric, .law]
    private static let beforeBad: C = [.bad, .lowerAccented, .upperAccented, .box, .startPunct, .endPunct, .currency, .numeric, .law]
    private static let arabicFollow: C = [.common, .currency, .bad, .numeric, .startPunct]
    private static let cyrGreekMiddle: C = [.c1, .bad, .startPunct, .endPunct, .currency]

    static func isBad(_ text: String) -> Bool {
        isBad(scalarValues(text))
    }

    static func isBad(_ s: [UInt32]) -> Bool {
        let n = s.count
        var i = 0
        while i < n {
            if s[i] >= 0x80, matchesAt(s, i) { return true }
            if s[i] < 0x80, asciiStartMatches(s, i) { return true }
            i += 1
        }
        return false
    }

    @inline(__always) private static func at(_ s: [UInt32], _ i: Int) -> UInt32? { i < s.count ? s[i] : nil }
    @inline(__always) private static func cls(_ s: [UInt32], _ i: Int) -> C { i < s.count ? C.of(s[i]) : [] }
    @inline(__always) private static func isASCIILetter(_ v: UInt32) -> Bool { (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
    @inline(__always) private static func isLowerASCII(_ v: UInt32) -> Bool { v >= 0x61 && v <= 0x7A }

    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        if v == 0x20 || (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x1F) { return true }
        if v < 0x80 { return false }
        // Unicode's White_Space beyond ASCII, spelled out: this runs for every character the
        // heuristic looks at, and a property lookup costs more than the whole test.
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func isWordChar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIILetter(v) || (v >= 0x30 && v <= 0x39) || v == 0x5F }
        guard let p = Unicode.Scalar(v)?.properties else { return false }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// Patterns whose first character is ASCII (a letter, a space or punctuation before a
    /// mojibake character).
    private static func asciiStartMatches(_ s: [UInt32], _ i: Int) -> Bool {
        let x = s[i]
        guard let y = at(s, i + 1), y >= 0x80 || isSpace(y) else { return false }
        let cy = C.of(y)
        if isASCIILetter(x), cy.contains(.lowerCommon) || cy.contains(.upperCommon), cls(s, i + 2).contains(.bad) { return true }
        if isSpace(x), cy.contains(.upperAccented), cls(s, i + 2).contains(.currency) { return true }
        if isLowerASCII(x) {
            // windows-1251 reading of UTF-8 Latin letters inside a Latin word: `cafГ©`, `naГЇve`.
            if (0x412...0x415).contains(y) || y == 0x420 || y == 0x421, let z = at(s, i + 2),
               cp1251Continuation.contains(z) { return true }
            if cy.contains(.upperAccented), !cls(s, i + 2).intersection([.startPunct, .currency]).isEmpty { return true }
            // `voilÃ le`: Ã or Â followed by a space, after a word, perhaps with a space between.
            if (y == 0xC3 || y == 0xC2), at(s, i + 2) == 0x20 { return true }
            if isSpace(y), let z = at(s, i + 2), z == 0xC3 || z == 0xC2, at(s, i + 3) == 0x20 { return true }
        }
        if isLowerASCII(x) || x == 0x2E || x == 0x2C || x == 0x3F || x == 0x21 {
            if y == 0xC2, let z = at(s, i + 2), z == 0x20 || !C.of(z).intersection([.startPunct, .endPunct]).isEmpty { return true }
        }
        return false
    }

    private static func matchesAt(_ s: [UInt32], _ i: Int) -> Bool {
        let x = s[i]
        let cx = C.of(x)
        if cx.contains(.c1) { return true }
        let y = at(s, i + 1)
        let cy = cls(s, i + 1)
        let cz = cls(s, i + 2)

        if i == 0, x == 0xC3 || x == 0xC2, y == 0x20 { return true }
        if !cx.isEmpty {
            if !cx.intersection(beforeBad).isEmpty, cy.contains(.bad) { return true }
            if cx.contains(.bad), !cy.intersection(afterBad).isEmpty { return true }
            if !cx.intersection([.lowerAccented, .lowerCommon, .box, .endPunct, .currency, .numeric]).isEmpty,
               cy.contains(.upperAccented) { return true }
            if !cx.intersection([.box, .endPunct, .currency, .numeric]).isEmpty, cy.contains(.lowerAccented) { return true }
            if !cx.intersection([.lowerAccented, .box, .endPunct]).isEmpty, cy.contains(.currency) { return true }
            if !cx.intersection([.upperAccented, .box]).isEmpty, !cy.intersection([.numeric, .law]).isEmpty { return true }
            if !cx.intersection([.lowerAccented, .upperAccented, .box, .currency, .endPunct]).isEmpty,
               cy.contains(.startPunct), cz.contains(.numeric) { return true }
            if !cx.intersection([.lowerAccented, .upperAccented, .currency, .numeric, .box, .law]).isEmpty,
               cy.contains(.endPunct), cz.contains(.startPunct) { return true }
            if !cx.intersection([.currency, .numeric, .box]).isEmpty, cy.contains(.startPunct) { return true }
            if cx.contains(.box), !cy.intersection([.kaomoji, .endPunct]).isEmpty { return true }
            if !cx.intersection([.lowerAccented, .upperAccented, .currency, .numeric, .startPunct, .endPunct, .law]).isEmpty,
               cy.contains(.box) { return true }
            if !cx.intersection(C.accented).isEmpty, !cy.intersection([.startPunct, .endPunct]).isEmpty,
               let z = at(s, i + 2), isWordChar(z) { return true }
            if cx.contains(.upperAccented), y == 0xB0 { return true }
            if cx.contains(.endPunct), y == 0xC2, let z = at(s, i + 2),
               z == 0x20 || !C.of(z).intersection([.startPunct, .endPunct]).isEmpty { return true }
        }
        if isSpace(x), cy.contains(.upperAccented), cz.contains(.currency) { return true }
        guard let y else { return false }
        switch x {
        case 0x152, 0x153:  // Œ œ not followed by a Latin letter
            return !isASCIILetter(y)
        case 0xC2, 0xC3, 0xCE, 0xD0:  // Â Ã Î Ð before typical second halves
            // (Œ and Ž too: `ÃŽ` is how windows-1252 shows the UTF-8 of Î.)
            if [0x20AC, 0x153, 0x160, 0x161, 0xA2, 0xA3, 0x178, 0x17E, 0xA0, 0xAD, 0xAE, 0xA9, 0xB0, 0xB7, 0xBB,
                0x2013, 0x2014, 0xB4, 0x152, 0x17D].contains(y) || !cy.intersection([.startPunct, .endPunct]).isEmpty { return true }
            if x == 0xC3, y == 0xA1 || y == 0x2026 { return true }  // Ã¡ is á, Ã… is Å
        case 0xD7:  // × before ² ³
            if y == 0xB2 || y == 0xB3 { return true }
        case 0xD8, 0xD9:  // Arabic read as windows-1252 needs four characters of evidence
            if let z = at(s, i + 2), z == 0xD8 || z == 0xD9, arabicPartner(y), let w = at(s, i + 3), arabicPartner(w) {
                return true
            }
        case 0xE0:  // à before what starts South Asian scripts' mojibake
            if [0xB2, 0xB5, 0xB9, 0xBC, 0xBD, 0xBE].contains(y) { return true }
        case 0x221A:  // √ in MacRoman mojibake
            if [0xB1, 0x2202, 0x2020, 0x2260, 0xAE, 0x2122, 0xB4, 0x2264, 0x2265, 0xA5, 0xB5, 0xF8].contains(y) { return true }
        case 0x2248:  // ≈
            if y == 0xB0 || y == 0xA2 { return true }
        case 0x201A:  // ‚
            if y == 0xC4, let z = at(s, i + 2),
               [0xEC, 0xEE, 0xEF, 0xF2, 0xF4, 0xFA, 0xF9, 0xFB, 0x2020, 0xB0, 0xA2, 0x3C0].contains(z) { return true }
            if y == 0xE2 || y == 0xF3, let z = at(s, i + 2), [0xE0, 0xE4, 0xB0, 0xEA].contains(z) { return true }
        case 0x432:  // вЂ: windows-1251 reading of U+20xx punctuation
            if y == 0x402 { return true }
        case 0x412, 0x413, 0x420, 0x421:  // В Г Р С around a symbol
            if let z = at(s, i + 2), [0x412, 0x413, 0x420, 0x421].contains(z),
               !cy.intersection(cyrGreekMiddle).isEmpty || y == 0xB0 || y == 0xB5 { return true }
            if x == 0x413, isGuVeDje(s, i) { return true }
        case 0x3B2:  // β€ in windows-1253
            if y == 0x20AC, let z = at(s, i + 2), [0x2122, 0xA0, 0x386, 0xAD, 0xAE, 0xB0].contains(z) { return true }
        case 0x392, 0x393, 0x39E, 0x39F:  // Β Γ Ξ Ο around a symbol
            if let z = at(s, i + 2), [0x392, 0x393, 0x39E, 0x39F].contains(z),
               !cy.intersection(cyrGreekMiddle).isEmpty || y == 0xB0 { return true }
        case 0x101:  // ā€ in windows-1257
            if y == 0x20AC { return true }
        default:
            break
        }
        return false
    }

    /// What windows-1251 shows for bytes 80–BF (UTF-8 continuation bytes).
    static let cp1251Continuation: Set<UInt32> = {
        guard let codec = SingleByteCodecs.named("windows-1251") else { return [] }
        return Set((0x80...0xBF).map { codec.decodeTable[$0] })
    }()

    private static func arabicPartner(_ v: UInt32) -> Bool {
        !C.of(v).intersection(arabicFollow).isEmpty || [0x178, 0x160, 0xAE, 0xB0, 0xB5, 0xBB].contains(v)
    }

    /// `ГўВЂВ` + one character + a Latin letter or space: windows-1251 over Latin-1 over windows-1252.
    private static func isGuVeDje(_ s: [UInt32], _ i: Int) -> Bool {
        let pattern: [UInt32] = [0x413, 0x45E, 0x412, 0x402, 0x412]
        guard i + 6 < s.count else { return false }
        for k in 0..<5 where s[i + k] != pattern[k] { return false }
        if s[i + 5] == 0x0A { return false }
        let last = s[i + 6]
        return isASCIILetter(last) || last == 0x20
    }
}
