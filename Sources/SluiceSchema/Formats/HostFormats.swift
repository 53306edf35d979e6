import Foundation

extension Formats {
    static let labelSeparators: Set<Unicode.Scalar> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

    /// `hostname` (RFC 1123, with `xn--` labels checked as IDNA A-labels) and `idn-hostname`
    /// (RFC 5890-5893: U-labels with the IDNA2008 code point, context and bidi rules).
    static func isHostname(_ text: String, international: Bool) -> Bool {
        guard !text.isEmpty else { return false }
        var copy = text
        if let plain = copy.withUTF8(plainASCIIHostname) { return plain }
        var labels: [String] = []
        var current = ""
        for s in text.unicodeScalars {
            if s == "." || (international && labelSeparators.contains(s)) {
                labels.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(s)
            }
        }
        labels.append(current)
        var total = labels.count - 1
        var decoded: [[UInt32]] = []
        for label in labels {
            guard !label.isEmpty else { return false }
            let ascii = label.unicodeScalars.allSatisfy { $0.isASCII }
            if ascii {
                guard label.utf8.count <= 63, label.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" }),
                      !label.hasPrefix("-"), !label.hasSuffix("-")
                else { return false }
                total += label.utf8.count
                if label.lowercased().hasPrefix("xn--") {
                    let tail = String(label.lowercased().dropFirst(4))
                    guard let u = Punycode.decode(tail), u.contains(where: { $0 >= 128 }),
                          Punycode.encode(u) == tail, isULabel(u)
                    else { return false }
                    decoded.append(u)
                } else {
                    if international, label.unicodeScalars.count >= 4,
                       Array(label.unicodeScalars)[2] == "-", Array(label.unicodeScalars)[3] == "-" { return false }
                    decoded.append(label.unicodeScalars.map(\.value))
                }
            } else {
                guard international else { return false }
                let u = label.unicodeScalars.map(\.value)
                guard isULabel(u), let a = Punycode.encode(u), a.utf8.count + 4 <= 63 else { return false }
                total += a.utf8.count + 4
                decoded.append(u)
            }
        }
        guard total <= 253 else { return false }
        return bidiRuleHolds(decoded)
    }

    /// The common case without allocation: an ASCII name with no `xn--` label. nil when the
    /// name needs the full IDNA path.
    static func plainASCIIHostname(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard b.count <= 253 else { return b.allSatisfy({ $0 < 0x80 }) ? false : nil }
        var labelStart = 0
        var i = 0
        while i <= b.count {
            if i == b.count || b[i] == UInt8(ascii: ".") {
                let length = i - labelStart
                guard length >= 1, length <= 63, b[labelStart] != UInt8(ascii: "-"), b[i - 1] != UInt8(ascii: "-") else { return false }
                // `xn--` (and any `??--`) labels take the full path.
                if length >= 4, b[labelStart + 2] == UInt8(ascii: "-"), b[labelStart + 3] == UInt8(ascii: "-") { return nil }
                labelStart = i + 1
            } else {
                let c = b[i]
                if c >= 0x80 { return nil }
                let ok = (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) || (c >= 48 && c <= 57) || c == UInt8(ascii: "-")
                if !ok { return false }
            }
            i += 1
        }
        return true
    }

    // MARK: IDNA2008 (RFC 5891 / 5892), derived from the Unicode properties Swift exposes

    enum IDNAClass { case pvalid, contextJ, contextO, disallowed }

    static func idnaClass(_ v: UInt32) -> IDNAClass {
        switch v {
        case 0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007: return .pvalid
        case 0xB7, 0x375, 0x5F3, 0x5F4, 0x30FB, 0x660...0x669, 0x6F0...0x6F9: return .contextO
        case 0x640, 0x7FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B: return .disallowed
        case 0x200C, 0x200D: return .contextJ
        case 0x61...0x7A, 0x30...0x39, 0x2D: return .pvalid
        case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return .disallowed
        case 0x20D0...0x20FF, 0x1D100...0x1D24F: return .disallowed
        default: break
        }
        guard let s = Unicode.Scalar(v) else { return .disallowed }
        let p = s.properties
        if p.generalCategory == .unassigned || p.changesWhenCaseFolded || isNFKCUnstable(s) || p.isDefaultIgnorableCodePoint
            || p.isWhitespace || p.isNoncharacterCodePoint { return .disallowed }
        switch p.generalCategory {
        case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber: return .pvalid
        default: return .disallowed
        }
    }

    /// The code point changes under NFKC (RFC 5892 "Unstable").
    static func isNFKCUnstable(_ s: Unicode.Scalar) -> Bool {
        let text = String(Character(s))
        return text.precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(text.unicodeScalars) == false
    }

    static func isMark(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func isVirama(_ v: UInt32) -> Bool {
        Unicode.Scalar(v).map { $0.properties.canonicalCombiningClass == .virama } ?? false
    }

    static func isGreek(_ v: UInt32) -> Bool { (0x370...0x3FF).contains(v) || (0x1F00...0x1FFF).contains(v) }
    static func isHebrew(_ v: UInt32) -> Bool { (0x591...0x5F4).contains(v) || (0xFB1D...0xFB4F).contains(v) }
    static func isKanaOrHan(_ v: UInt32) -> Bool {
        (0x3041...0x309F).contains(v) || (0x30A0...0x30FA).contains(v) || (0x30FC...0x30FF).contains(v)
            || (0x31F0...0x31FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x20000...0x3134F).contains(v) || v == 0x3005 || v == 0x3006 || v == 0x3007
    }

    /// Joining type for the ZWNJ rule: Arabic-script letters join on both sides (D), marks are
    /// transparent (T). An approximation of Unicode's Joining_Type, which Swift does not expose.
    static func joiningType(_ v: UInt32) -> Character {
        if isMark(v) { return "T" }
        let arabic = (0x620...0x64A).contains(v) || (0x66E...0x6D3).contains(v) || (0x6FA...0x6FC).contains(v)
            || (0x750...0x77F).contains(v) || (0x8A0...0x8C9).contains(v) || (0x712...0x72F).contains(v)
        if !arabic { return "U" }
        // Letters that join only to the right (R).
        return rightJoining.contains { $0.contains(v) } ? "R" : "D"
    }

    static let rightJoining: [ClosedRange<UInt32>] = [
        0x622...0x625, 0x627...0x627, 0x629...0x629, 0x62F...0x632, 0x648...0x648, 0x671...0x673, 0x675...0x677,
        0x688...0x699, 0x6C0...0x6C0, 0x6C3...0x6CB, 0x6CD...0x6CD, 0x6CF...0x6CF, 0x6D2...0x6D3,
    ]

    static func isULabel(_ u: [UInt32]) -> Bool {
        guard let first = u.first, let last = u.last else { return false }
        if first == 0x2D || last == 0x2D { return false }
        if u.count >= 4, u[2] == 0x2D, u[3] == 0x2D { return false }
        if isMark(first) { return false }
        let hasArabicIndic = u.contains { (0x660...0x669).contains($0) }
        let hasExtended = u.contains { (0x6F0...0x6F9).contains($0) }
        for (i, v) in u.enumerated() {
            switch idnaClass(v) {
            case .disallowed: return false
            case .pvalid: continue
            case .contextJ:
                if i > 0, isVirama(u[i - 1]) { continue }
                guard v == 0x200C else { return false }
                // (L|D) T* ZWNJ T* (R|D)
                var j = i - 1
                while j >= 0, joiningType(u[j]) == "T" { j -= 1 }
                guard j >= 0, "LD".contains(joiningType(u[j])) else { return false }
                var k = i + 1
                while k < u.count, joiningType(u[k]) == "T" { k += 1 }
                guard k < u.count, "RD".contains(joiningType(u[k])) else { return false }
            case .contextO:
                switch v {
                case 0xB7:
                    guard i > 0, i + 1 < u.count, u[i - 1] == 0x6C, u[i + 1] == 0x6C else { return false }
                case 0x375:
                    guard i + 1 < u.count, isGreek(u[i + 1]) else { return false }
                case 0x5F3, 0x5F4:
                    guard i > 0, isHebrew(u[i - 1]) else { return false }
                case 0x30FB:
                    guard u.contains(where: { $0 != 0x30FB && isKanaOrHan($0) }) else { return false }
                case 0x660...0x669:
                    if hasExtended { return false }
                default:
                    if hasArabicIndic { return false }
                }
            }
        }
        return true
    }

    // MARK: Bidi rule (RFC 5893), with bidi classes approximated from script blocks

    enum BidiClass { case l, r, al, an, en, es, cs, et, on, bn, nsm }

    static func bidiClass(_ v: UInt32) -> BidiClass {
        switch v {
        case 0x30...0x39, 0x6F0...0x6F9, 0xB2, 0xB3, 0xB9: return .en
        case 0x660...0x669, 0x66B, 0x66C: return .an
        case 0x2B, 0x2D: return .es
        case 0x2C, 0x2E, 0x2F, 0x3A, 0xA0: return .cs
        case 0x23, 0x24, 0x25, 0xA2...0xA5, 0xB0, 0xB1: return .et
        default: break
        }
        if isMark(v), let s = Unicode.Scalar(v), s.properties.generalCategory != .spacingMark { return .nsm }
        if (0x590...0x5FF).contains(v) || (0x7C0...0x7FF).contains(v) || (0xFB1D...0xFB4F).contains(v) || (0x800...0x85F).contains(v) { return .r }
        if (0x600...0x6FF).contains(v) || (0x700...0x74F).contains(v) || (0x750...0x77F).contains(v) || (0x8A0...0x8FF).contains(v)
            || (0xFB50...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) { return .al }
        guard let s = Unicode.Scalar(v) else { return .on }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .spacingMark, .decimalNumber, .letterNumber:
            return .l
        case .format: return .bn
        default: return .on
        }
    }

    static func bidiRuleHolds(_ labels: [[UInt32]]) -> Bool {
        let isBidiDomain = labels.contains { $0.contains { [.r, .al, .an].contains(bidiClass($0)) } }
        guard isBidiDomain else { return true }
        for label in labels {
            let classes = label.map(bidiClass)
            guard let first = classes.first else { return false }
            var end = classes.count - 1
            while end > 0, classes[end] == .nsm { end -= 1 }
            switch first {
            case .r, .al:
                let allowed: Set<BidiClass> = [.r, .al, .an, .en, .es, .cs, .et, .on, .bn, .nsm]
                guard classes.allSatisfy(allowed.contains), [.r, .al, .en, .an].contains(classes[end]) else { return false }
                if classes.contains(.en) && classes.contains(.an) { return false }
            case .l:
                let allowed: Set<BidiClass> = [.l, .en, .es, .cs, .et, .on, .bn, .nsm]
                guard classes.allSatisfy(allowed.contains), [.l, .en].contains(classes[end]) else { return false }
            default:
                return false
            }
        }
        return true
    }
}
