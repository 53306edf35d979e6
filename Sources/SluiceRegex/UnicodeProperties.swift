/// A Unicode property test for `\p{...}`: general categories (short and long names, and the
/// `gc=`/`General_Category=` forms), common binary properties, and scripts by block ranges.
///
/// Swift's standard library exposes general categories and binary properties from the ICU data
/// it ships, so those are exact. It does not expose the Script property: `Script=`/`sc=`/`scx=`
/// use the main blocks of the most common scripts, an approximation that is documented here.
indirect enum UnicodePredicate: Sendable {
    case categories(Set<Unicode.GeneralCategory>)
    case binary(@Sendable (Unicode.Scalar.Properties) -> Bool)
    case ranges([ClosedRange<UInt32>])
    case any
    case set(CharSet)

    func matches(_ s: Unicode.Scalar) -> Bool {
        switch self {
        case .categories(let c): return c.contains(s.properties.generalCategory)
        case .binary(let f): return f(s.properties)
        case .ranges(let r): return r.contains { $0.contains(s.value) }
        case .any: return true
        case .set(let cs): return cs.contains(s.value)
        }
    }

    init?(propertyExpression expr: String) {
        if let eq = expr.firstIndex(of: "=") {
            let key = String(expr[..<eq]), value = String(expr[expr.index(after: eq)...])
            switch key {
            case "General_Category", "gc":
                guard let c = UnicodePredicate.categories[value] else { return nil }
                self = .categories(c)
            case "Script", "sc", "Script_Extensions", "scx":
                guard let r = UnicodePredicate.scripts[value] else { return nil }
                self = .ranges(r)
            default:
                return nil
            }
            return
        }
        if let c = UnicodePredicate.categories[expr] { self = .categories(c); return }
        if let b = UnicodePredicate.binaries[expr] { self = b; return }
        return nil
    }

    private static func cats(_ c: [Unicode.GeneralCategory]) -> Set<Unicode.GeneralCategory> { Set(c) }

    static let categories: [String: Set<Unicode.GeneralCategory>] = {
        typealias G = Unicode.GeneralCategory
        let letters: [G] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        let marks: [G] = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: [G] = [.decimalNumber, .letterNumber, .otherNumber]
        let punct: [G] = [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                          .initialPunctuation, .finalPunctuation, .otherPunctuation]
        let symbols: [G] = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let seps: [G] = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let other: [G] = [.control, .format, .surrogate, .privateUse, .unassigned]
        var m: [String: Set<G>] = [:]
        func add(_ names: [String], _ c: [G]) { for n in names { m[n] = Set(c) } }
        add(["L", "Letter"], letters)
        add(["LC", "Cased_Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter])
        add(["Lu", "Uppercase_Letter"], [.uppercaseLetter])
        add(["Ll", "Lowercase_Letter"], [.lowercaseLetter])
        add(["Lt", "Titlecase_Letter"], [.titlecaseLetter])
        add(["Lm", "Modifier_Letter"], [.modifierLetter])
        add(["Lo", "Other_Letter"], [.otherLetter])
        add(["M", "Mark", "Combining_Mark"], marks)
        add(["Mn", "Nonspacing_Mark"], [.nonspacingMark])
        add(["Mc", "Spacing_Mark"], [.spacingMark])
        add(["Me", "Enclosing_Mark"], [.enclosingMark])
        add(["N", "Number"], numbers)
        // `digit` is not an ECMA-262 name, but schemas in the wild (and the test suite) use it
        // for Nd, as Python's and Rust's engines accept it.
        add(["Nd", "Decimal_Number", "digit"], [.decimalNumber])
        add(["Nl", "Letter_Number"], [.letterNumber])
        add(["No", "Other_Number"], [.otherNumber])
        add(["P", "Punctuation", "punct"], punct)
        add(["Pc", "Connector_Punctuation"], [.connectorPunctuation])
        add(["Pd", "Dash_Punctuation"], [.dashPunctuation])
        add(["Ps", "Open_Punctuation"], [.openPunctuation])
        add(["Pe", "Close_Punctuation"], [.closePunctuation])
        add(["Pi", "Initial_Punctuation"], [.initialPunctuation])
        add(["Pf", "Final_Punctuation"], [.finalPunctuation])
        add(["Po", "Other_Punctuation"], [.otherPunctuation])
        add(["S", "Symbol"], symbols)
        add(["Sm", "Math_Symbol"], [.mathSymbol])
        add(["Sc", "Currency_Symbol"], [.currencySymbol])
        add(["Sk", "Modifier_Symbol"], [.modifierSymbol])
        add(["So", "Other_Symbol"], [.otherSymbol])
        add(["Z", "Separator"], seps)
        add(["Zs", "Space_Separator"], [.spaceSeparator])
        add(["Zl", "Line_Separator"], [.lineSeparator])
        add(["Zp", "Paragraph_Separator"], [.paragraphSeparator])
        add(["C", "Other"], other)
        add(["Cc", "Control", "cntrl"], [.control])
        add(["Cf", "Format"], [.format])
        add(["Cs", "Surrogate"], [.surrogate])
        add(["Co", "Private_Use"], [.privateUse])
        add(["Cn", "Unassigned"], [.unassigned])
        return m
    }()

    static let binaries: [String: UnicodePredicate] = {
        var m: [String: UnicodePredicate] = [:]
        func add(_ names: [String], _ f: @escaping @Sendable (Unicode.Scalar.Properties) -> Bool) { for n in names { m[n] = .binary(f) } }
        add(["Alphabetic", "Alpha"], { $0.isAlphabetic })
        add(["White_Space", "space"], { $0.isWhitespace })
        add(["Uppercase", "Upper"], { $0.isUppercase })
        add(["Lowercase", "Lower"], { $0.isLowercase })
        add(["Emoji"], { $0.isEmoji })
        add(["Emoji_Presentation", "EPres"], { $0.isEmojiPresentation })
        add(["Math"], { $0.isMath })
        add(["Hex_Digit", "Hex"], { $0.isHexDigit })
        add(["ASCII_Hex_Digit", "AHex"], { $0.isASCIIHexDigit })
        add(["ID_Start", "IDS"], { $0.isIDStart })
        add(["ID_Continue", "IDC"], { $0.isIDContinue })
        add(["XID_Start", "XIDS"], { $0.isXIDStart })
        add(["XID_Continue", "XIDC"], { $0.isXIDContinue })
        add(["Dash"], { $0.isDash })
        add(["Diacritic", "Dia"], { $0.isDiacritic })
        add(["Ideographic", "Ideo"], { $0.isIdeographic })
        add(["Noncharacter_Code_Point", "NChar"], { $0.isNoncharacterCodePoint })
        add(["Default_Ignorable_Code_Point", "DI"], { $0.isDefaultIgnorableCodePoint })
        add(["Cased"], { $0.isCased })
        add(["Case_Ignorable", "CI"], { $0.isCaseIgnorable })
        add(["Assigned"], { $0.generalCategory != .unassigned })
        m["ASCII"] = .ranges([0...0x7F])
        m["Any"] = .any
        return m
    }()

    static let scripts: [String: [ClosedRange<UInt32>]] = {
        var m: [String: [ClosedRange<UInt32>]] = [:]
        func add(_ names: [String], _ r: [ClosedRange<UInt32>]) { for n in names { m[n] = r } }
        add(["Latin", "Latn"], [0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6,
                                0xF8...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF3A, 0xFF41...0xFF5A])
        add(["Greek", "Grek"], [0x370...0x373, 0x375...0x377, 0x37A...0x37D, 0x37F...0x37F, 0x384...0x3E1, 0x3F0...0x3FF, 0x1F00...0x1FFF])
        add(["Cyrillic", "Cyrl"], [0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F])
        add(["Armenian", "Armn"], [0x531...0x58F, 0xFB13...0xFB17])
        add(["Hebrew", "Hebr"], [0x591...0x5F4, 0xFB1D...0xFB4F])
        add(["Arabic", "Arab"], [0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF])
        add(["Devanagari", "Deva"], [0x900...0x97F, 0xA8E0...0xA8FF])
        add(["Thai"], [0xE01...0xE5B])
        add(["Georgian", "Geor"], [0x10A0...0x10FF, 0x2D00...0x2D2F])
        add(["Hangul", "Hang"], [0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF])
        add(["Hiragana", "Hira"], [0x3041...0x309F, 0x1B001...0x1B11F])
        add(["Katakana", "Kana"], [0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F])
        add(["Han", "Hani"], [0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF,
                              0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x30000...0x3134F])
        return m
    }()
}
