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
        if options.decodeHTMLEntities, withUTF8Buffer(current, { $0.contains(UInt8(ascii: "&")) }), !looksLikeMarkup(current) {
            let (decoded, n) = decodeEntities(current)
            if n > 0 { current = decoded; fixes.append(RepairFix(.htmlEntities, count: n)) }
        }
        var controls = 0, lineEndings = 0, zeroWidth = 0, quotes = 0
        let needsScalarPass = mayNeedScalarPass(current, options)
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

    /// Whether some byte could start something the scalar pass changes: a control byte, or the
    /// UTF-8 lead of C1 controls (C2), U+2028/2029, zero-width characters, quotes (E2),
    /// U+180E (E1) or U+FEFF and U+FFF9–FFFC (EF). Curly quotes and accented letters alone do
    /// not trigger the (slower) scalar pass unless quotes are straightened.
    @inline(__always)
    static func mayNeedScalarPass(_ text: String, _ o: NormalizationOptions) -> Bool {
        withUTF8Buffer(text) { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                i += 1
                if b < 0x20 {
                    if b != 0x09 && b != 0x0A { return true }
                } else if b == 0x7F {
                    return true
                } else if b >= 0xC2 {
                    switch b {
                    case 0xC2:
                        if i < n, buf[i] < 0xA0 { return true }
                    case 0xE2:
                        guard i + 1 < n else { return true }
                        let c1 = buf[i], c2 = buf[i + 1]
                        if c1 == 0x80 && (c2 == 0x8B || c2 == 0xA8 || c2 == 0xA9) { return true }
                        if c1 == 0x81 && (c2 == 0xA0 || (c2 >= 0xAA && c2 <= 0xAF)) { return true }
                        if o.straightenQuotes && c1 == 0x80 && c2 >= 0x98 && c2 <= 0x9F { return true }
                    case 0xE1, 0xEF:
                        return true
                    default:
                        break
                    }
                }
            }
            return false
        }
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
        if form == .nfkc {
            needs = withUTF8Buffer(text) { $0.contains { $0 >= 0xC2 } }
        } else {
            needs = withUTF8Buffer(text) { buf in
                // Decode scalars from the bytes directly (the text is valid UTF-8).
                var i = 0
                let n = buf.count
                while i < n {
                    let b = buf[i]
                    if b < 0x80 { i += 1; continue }
                    var v: UInt32
                    var len: Int
                    if b < 0xE0 { v = UInt32(b & 0x1F); len = 2 } else if b < 0xF0 { v = UInt32(b & 0x0F); len = 3 } else { v = UInt32(b & 0x07); len = 4 }
                    var k = 1
                    while k < len && i + k < n { v = v << 6 | UInt32(buf[i + k] & 0x3F); k += 1 }
                    if !nfcStable(v) { return true }
                    i += len
                }
                return false
            }
        }
        guard needs else { return nil }
        let out = form == .nfc ? text.precomposedStringWithCanonicalMapping : text.precomposedStringWithCompatibilityMapping
        // Compare scalars, not String ==, which treats canonically equivalent strings as equal.
        return out.unicodeScalars.elementsEqual(text.unicodeScalars) ? nil : out
    }

    /// True for scalars that NFC leaves alone whatever surrounds them (NFC_Quick_Check=Yes and
    /// not a character that combines with what precedes it), by ranges covering most real text;
    /// anything else sends the string through Foundation's normaliser.
    @inline(__always)
    static func nfcStable(_ v: UInt32) -> Bool {
        switch v {
        case 0..<0x300: return true
        case 0x400...0x482, 0x48A...0x52F: return true  // Cyrillic letters
        case 0x5D0...0x5EA, 0x620...0x64A: return true  // Hebrew and Arabic letters
        case 0x2002...0x2125, 0x2127...0x2129, 0x212C...0x2328, 0x232B...0x2BFF: return true  // punctuation, symbols
        case 0x3000...0x3098, 0x30A0...0x30FF: return true  // CJK punctuation, kana (not the voicing marks)
        case 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFFEF: return true
        case 0x1F300...0x1FAFF: return true  // emoji
        default: return false
        }
    }

    /// Whether the text holds an HTML tag: `<name` or `</name` where `name` is a known HTML
    /// element (`HTMLElementNames`, any case) followed by whitespace, `>` or `/`. Angle brackets
    /// around anything else (`<https://example.org>`, `<some time after 2038>`) are not markup.
    static func looksLikeMarkup(_ text: String) -> Bool {
        withUTF8Buffer(text) { buf in
            let n = buf.count
            var i = 0
            while i < n {
                guard buf[i] == 0x3C else { i += 1; continue }
                var j = i + 1
                if j < n, buf[j] == 0x2F { j += 1 }
                let start = j
                while j < n, j - start <= HTMLElementNames.maxLength, isNameByte(buf[j]) { j += 1 }
                let length = j - start
                if length > 0, length <= HTMLElementNames.maxLength, j == n || isTagEnd(buf[j]) {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<j]), as: UTF8.self).lowercased()
                    if HTMLElementNames.all.contains(name) { return true }
                }
                i += 1
            }
            return false
        }
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
    }

    private static func isTagEnd(_ b: UInt8) -> Bool {
        b == 0x3E || b == 0x2F || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
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
