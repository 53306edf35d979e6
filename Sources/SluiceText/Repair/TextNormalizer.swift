import Foundation

/// The Unicode normalisation form to apply.
public enum UnicodeForm: String, Sendable, CaseIterable {
    case none, nfc, nfkc
}

/// Which normalisations `TextNormalizer` applies; each can be switched off.
public struct NormalizationOptions: Sendable, Hashable {
    public var unicodeForm: UnicodeForm = .nfc
    /// Removes C0 controls except tab, newline and carriage return (which line-ending
    /// normalisation handles), DEL, C1 controls, and the deprecated format controls
    /// U+206A–U+206F and U+FFF9–U+FFFC.
    public var removeControlChars = true
    /// CRLF, CR, NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR become `\n`.
    public var normalizeLineEndings = true
    /// Removes byte order marks (U+FEFF) anywhere, ZERO WIDTH SPACE (U+200B), WORD JOINER
    /// (U+2060) and MONGOLIAN VOWEL SEPARATOR (U+180E). Joiners (U+200C, U+200D) are kept: emoji
    /// and Indic scripts need them.
    public var removeZeroWidth = true
    /// Decodes `&amp;`, `&eacute;`, `&#233;`, `&#xE9;` (see `HTMLEntityTable` for the names
    /// covered). Skipped for text that looks like HTML markup (it has a tag), because there the
    /// entities are meaningful.
    public var decodeHTMLEntities = true
    /// Curly quotes to straight ones (`‘’‚‛` → `'`, `“”„‟` → `"`). Off by default: it loses
    /// information.
    public var straightenQuotes = false

    public init() {}
}

/// Applies the switchable normalisations and counts what each changed.
public enum TextNormalizer {
    /// Normalises `text`; returns it unchanged (and no fixes) when nothing applies.
    public static func normalize(_ text: String, options: NormalizationOptions) -> (text: String, fixes: [RepairFix]) {
        var fixes: [RepairFix] = []
        var current = text
        if options.decodeHTMLEntities, current.utf8.contains(UInt8(ascii: "&")), !looksLikeMarkup(current) {
            let (decoded, n) = decodeEntities(current)
            if n > 0 { current = decoded; fixes.append(RepairFix(.htmlEntities, count: n)) }
        }
        var controls = 0, lineEndings = 0, zeroWidth = 0, quotes = 0
        var needsScalarPass = false
        for b in current.utf8 where b < 0x20 || b >= 0x7F {
            if b != 0x09 && b != 0x0A { needsScalarPass = true; break }
        }
        if needsScalarPass {
            var out = String.UnicodeScalarView()
            let scalars = Array(current.unicodeScalars)
            var i = 0
            while i < scalars.count {
                let s = scalars[i]
                let v = s.value
                i += 1
                if options.normalizeLineEndings {
                    if v == 0x0D {
                        if i < scalars.count, scalars[i].value == 0x0A { i += 1 }
                        out.append("\n"); lineEndings += 1; continue
                    }
                    if v == 0x85 || v == 0x2028 || v == 0x2029 { out.append("\n"); lineEndings += 1; continue }
                }
                if options.removeZeroWidth, v == 0xFEFF || v == 0x200B || v == 0x2060 || v == 0x180E {
                    zeroWidth += 1; continue
                }
                if options.removeControlChars, isUnwantedControl(v) { controls += 1; continue }
                if options.straightenQuotes {
                    if v == 0x2018 || v == 0x2019 || v == 0x201A || v == 0x201B { out.append("'"); quotes += 1; continue }
                    if v == 0x201C || v == 0x201D || v == 0x201E || v == 0x201F { out.append("\""); quotes += 1; continue }
                }
                out.append(s)
            }
            if controls + lineEndings + zeroWidth + quotes > 0 { current = String(out) }
        }
        if lineEndings > 0 { fixes.append(RepairFix(.lineEndings, count: lineEndings)) }
        if zeroWidth > 0 { fixes.append(RepairFix(.zeroWidth, count: zeroWidth)) }
        if controls > 0 { fixes.append(RepairFix(.controlChars, count: controls)) }
        if quotes > 0 { fixes.append(RepairFix(.quotes, count: quotes)) }
        if options.unicodeForm != .none, let normalized = normalizeForm(current, options.unicodeForm) {
            current = normalized
            fixes.append(RepairFix(options.unicodeForm == .nfc ? .nfc : .nfkc))
        }
        return (current, fixes)
    }

    /// C0 except tab, LF and CR; DEL; C1; deprecated format controls; interlinear annotation and
    /// the object replacement character.
    @inline(__always)
    static func isUnwantedControl(_ v: UInt32) -> Bool {
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        if v >= 0x7F && v <= 0x9F { return true }
        return (v >= 0x206A && v <= 0x206F) || (v >= 0xFFF9 && v <= 0xFFFC)
    }

    /// The normalised text, or nil when it is already in that form. Text whose scalars are all
    /// below U+0300 is in NFC already (every such character has NFC_Quick_Check=Yes), so the
    /// Foundation call is skipped for it.
    static func normalizeForm(_ text: String, _ form: UnicodeForm) -> String? {
        var needs = false
        for s in text.unicodeScalars where s.value >= 0x300 {
            if form == .nfkc || s.value < 0xAC00 || s.value > 0xD7A3 { needs = true; break }
        }
        if form == .nfkc && !needs {
            // Below U+0300, NFKC still changes a few compatibility characters (ª, ², ½, NBSP...).
            needs = text.unicodeScalars.contains(where: { $0.value >= 0xA0 })
        }
        guard needs else { return nil }
        let out = form == .nfc ? text.precomposedStringWithCanonicalMapping : text.precomposedStringWithCompatibilityMapping
        // Compare scalars, not String ==, which treats canonically equivalent strings as equal.
        return out.unicodeScalars.elementsEqual(text.unicodeScalars) ? nil : out
    }

    /// Whether the text has something that looks like an HTML tag (`<p`, `</`, `<!`).
    static func looksLikeMarkup(_ text: String) -> Bool {
        var prevLT = false
        for b in text.utf8 {
            if prevLT, (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2F || b == 0x21 { return true }
            prevLT = b == 0x3C
        }
        return false
    }

    /// Decodes character references; returns the text and how many were decoded. A reference
    /// needs its `;` (browsers' legacy forms without it are too ambiguous in plain text).
    static func decodeEntities(_ text: String) -> (String, Int) {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var count = 0
        var i = 0
        while i < s.count {
            if s[i] == "&", let (scalar, len) = entity(at: i, in: s) {
                out.append(scalar)
                count += 1
                i += len
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return count > 0 ? (String(out), count) : (text, 0)
    }

    private static func entity(at start: Int, in s: [Unicode.Scalar]) -> (Unicode.Scalar, Int)? {
        var j = start + 1
        guard j < s.count else { return nil }
        if s[j] == "#" {
            j += 1
            var hex = false
            if j < s.count, s[j] == "x" || s[j] == "X" { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while j < s.count, digits < 8, let d = hex ? hexDigit(s[j]) : decDigit(s[j]) {
                value = value * (hex ? 16 : 10) + d
                digits += 1
                j += 1
            }
            guard digits > 0, j < s.count, s[j] == ";" else { return nil }
            // NUL, surrogates and out-of-range values are not characters: leave the text alone.
            guard value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, j + 1 - start)
        }
        var name = ""
        while j < s.count, name.unicodeScalars.count <= HTMLEntityTable.maxNameLength,
              s[j].properties.isASCIIHexDigit || (s[j].isASCII && s[j].properties.isAlphabetic) {
            name.unicodeScalars.append(s[j])
            j += 1
        }
        guard !name.isEmpty, j < s.count, s[j] == ";", let v = HTMLEntityTable.named[name],
              let scalar = Unicode.Scalar(v) else { return nil }
        return (scalar, j + 1 - start)
    }

    private static func decDigit(_ c: Unicode.Scalar) -> UInt32? {
        c.value >= 0x30 && c.value <= 0x39 ? c.value - 0x30 : nil
    }

    private static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }
}
