/// Character classes as the Hugging Face `tokenizers` library defines them.
enum UnicodeFacts {
    static func scalar(_ v: UInt32) -> Unicode.Scalar? { Unicode.Scalar(v) }

    /// Rust `char::is_whitespace`: the White_Space property.
    @inline(__always) static func isWhitespace(_ v: UInt32) -> Bool { UTF8Facts.isWhitespace(v) }

    /// General category C* (control, format, unassigned, private use, surrogate).
    static func isOther(_ v: UInt32) -> Bool {
        guard let s = scalar(v) else { return true }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isNonspacingMark(_ v: UInt32) -> Bool {
        scalar(v)?.properties.generalCategory == .nonspacingMark
    }

    /// General category M* (what the StripAccents normalizer removes; BERT's removes only Mn).
    static func isMark(_ v: UInt32) -> Bool {
        switch scalar(v)?.properties.generalCategory {
        case .nonspacingMark?, .spacingMark?, .enclosingMark?: return true
        default: return false
        }
    }

    /// The CJK ideograph blocks BERT surrounds with spaces.
    static func isChineseChar(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// BERT punctuation: ASCII punctuation or general category P*.
    static func isBertPunctuation(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x21 && v <= 0x2F) || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60) || (v >= 0x7B && v <= 0x7E)
        }
        guard let s = scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// `\p{L}`.
    static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        guard let s = scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `\p{N}`.
    static func isNumber(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        guard let s = scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// Regex `\w` (Unicode): alphabetic, marks, decimal digits, connector punctuation, joiners.
    static func isWordChar(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        guard let s = scalar(v) else { return false }
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
