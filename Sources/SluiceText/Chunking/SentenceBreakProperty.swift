/// The Sentence_Break property of UAX #29, derived from the Unicode properties the standard
/// library exposes (the property's own data file is defined in terms of the same properties).
enum SentenceBreakClass: UInt8 {
    case other, cr, lf, sep, extend, format, sp, lower, upper, oLetter, numeric, aTerm, sTerm, close, sContinue

    var isParaSep: Bool { self == .cr || self == .lf || self == .sep }
    var isSATerm: Bool { self == .aTerm || self == .sTerm }

    static let ascii: [SentenceBreakClass] = {
        var t = [SentenceBreakClass](repeating: .other, count: 128)
        t[0x09] = .sp; t[0x0B] = .sp; t[0x0C] = .sp; t[0x20] = .sp
        t[0x0A] = .lf; t[0x0D] = .cr
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = .lower }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = .upper }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = .numeric }
        t[0x2E] = .aTerm
        t[0x21] = .sTerm; t[0x3F] = .sTerm
        for c in "\"'()[]{}".utf8 { t[Int(c)] = .close }
        for c in ",-:".utf8 { t[Int(c)] = .sContinue }
        return t
    }()

    @inline(__always) static func of(_ v: UInt32) -> SentenceBreakClass {
        if v < 0x80 { return ascii[Int(v)] }
        return nonASCII(v)
    }

    static func nonASCII(_ v: UInt32) -> SentenceBreakClass {
        switch v {
        case 0x85, 0x2028, 0x2029: return .sep
        case 0x200C, 0x200D: return .extend
        case 0x2024, 0xFE52, 0xFF0E: return .aTerm
        case 0xA0: return .sp
        case 0x37E, 0x589, 0x60C, 0x60D, 0x7F8, 0x1802, 0x1808, 0x2013, 0x2014, 0x3001, 0xFE10, 0xFE11,
             0xFE13, 0xFE31, 0xFE32, 0xFE50, 0xFE51, 0xFE55, 0xFE58, 0xFE63, 0xFF0C, 0xFF0D, 0xFF1A, 0xFF64:
            return .sContinue
        case 0x2E42, 0x275B...0x2760, 0x1F676...0x1F678, 0x301D...0x301F: return .close
        default: break
        }
        guard let s = Unicode.Scalar(v) else { return .other }
        let p = s.properties
        let gc = p.generalCategory
        if p.isGraphemeExtend || gc == .spacingMark { return .extend }
        if gc == .format { return .format }
        if p.isWhitespace { return .sp }
        if p.isLowercase { return .lower }
        if p.isUppercase || gc == .titlecaseLetter { return .upper }
        if p.isAlphabetic { return .oLetter }
        if gc == .decimalNumber { return .numeric }
        if p.isSentenceTerminal { return .sTerm }
        switch gc {
        case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation: return .close
        default: return .other
        }
    }
}
