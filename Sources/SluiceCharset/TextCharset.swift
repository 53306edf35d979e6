import Foundation

/// The charsets `CharsetDetector` can detect and decode: every encoding of the WHATWG Encoding
/// Standard (names as the standard writes them, lowercased), plus UTF-32, ISO-8859-1 as itself
/// (WHATWG reads it as windows-1252) and ISO-2022-KR (WHATWG maps it to "replacement").
public enum TextCharset: String, Sendable, CaseIterable, Hashable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case utf32LE = "utf-32le"
    case utf32BE = "utf-32be"
    case windows1252 = "windows-1252"
    case iso8859_1 = "iso-8859-1"
    case iso8859_15 = "iso-8859-15"
    case windows1250 = "windows-1250"
    case iso8859_2 = "iso-8859-2"
    case windows1251 = "windows-1251"
    case koi8R = "koi8-r"
    case shiftJIS = "shift_jis"
    case eucJP = "euc-jp"
    case gb18030 = "gb18030"
    case big5 = "big5"
    case eucKR = "euc-kr"
    case ibm866 = "ibm866"
    case iso8859_3 = "iso-8859-3"
    case iso8859_4 = "iso-8859-4"
    case iso8859_5 = "iso-8859-5"
    case iso8859_6 = "iso-8859-6"
    case iso8859_7 = "iso-8859-7"
    case iso8859_8 = "iso-8859-8"
    case iso8859_8I = "iso-8859-8-i"
    case iso8859_10 = "iso-8859-10"
    case iso8859_13 = "iso-8859-13"
    case iso8859_14 = "iso-8859-14"
    case iso8859_16 = "iso-8859-16"
    case koi8U = "koi8-u"
    case macintosh = "macintosh"
    case windows874 = "windows-874"
    case windows1253 = "windows-1253"
    case windows1254 = "windows-1254"
    case windows1255 = "windows-1255"
    case windows1256 = "windows-1256"
    case windows1257 = "windows-1257"
    case windows1258 = "windows-1258"
    case xMacCyrillic = "x-mac-cyrillic"
    case xUserDefined = "x-user-defined"
    case gbk = "gbk"
    case iso2022JP = "iso-2022-jp"
    case iso2022KR = "iso-2022-kr"

    /// The name as Sluice writes it (WHATWG-style lowercase label).
    public var name: String { rawValue }

    /// glibc iconv's name for it (the converter that decodes it, or builds its table).
    var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .utf32LE: return "UTF-32LE"
        case .utf32BE: return "UTF-32BE"
        case .windows1252: return "CP1252"
        case .iso8859_1: return "ISO-8859-1"
        case .iso8859_15: return "ISO-8859-15"
        case .windows1250: return "CP1250"
        case .iso8859_2: return "ISO-8859-2"
        case .windows1251: return "CP1251"
        case .koi8R: return "KOI8-R"
        // The Microsoft variants are what real files use (they add NEC and IBM extensions, and
        // map 0x5C to the backslash the way Windows does).
        case .shiftJIS: return "CP932"
        case .eucJP: return "EUC-JP-MS"
        case .gb18030, .gbk: return "GB18030"
        // The base of our own Big5 table (`Big5Table`): HKSCS as WHATWG's index has it, plus the
        // standard Big5 characters glibc's BIG5-HKSCS rejects.
        case .big5: return "BIG5-HKSCS"
        case .eucKR: return "CP949"
        case .ibm866: return "IBM866"
        case .iso8859_3: return "ISO-8859-3"
        case .iso8859_4: return "ISO-8859-4"
        case .iso8859_5: return "ISO-8859-5"
        case .iso8859_6: return "ISO-8859-6"
        case .iso8859_7: return "ISO-8859-7"
        // -8-i is the same bytes in logical order; the difference is only in display.
        case .iso8859_8, .iso8859_8I: return "ISO-8859-8"
        case .iso8859_10: return "ISO-8859-10"
        case .iso8859_13: return "ISO-8859-13"
        case .iso8859_14: return "ISO-8859-14"
        case .iso8859_16: return "ISO-8859-16"
        // WHATWG's koi8-u is KOI8-RU (ў and Ў at 0xAE and 0xBE).
        case .koi8U: return "KOI8-RU"
        case .macintosh: return "MACINTOSH"
        case .windows874: return "CP874"
        case .windows1253: return "CP1253"
        case .windows1254: return "CP1254"
        case .windows1255: return "CP1255"
        case .windows1256: return "CP1256"
        case .windows1257: return "CP1257"
        case .windows1258: return "CP1258"
        case .xMacCyrillic: return "MAC-UK"
        case .xUserDefined: return "ISO-8859-1"
        // JP-2 is a superset that also takes the half-width katakana escapes WHATWG allows.
        case .iso2022JP: return "ISO-2022-JP-2"
        case .iso2022KR: return "ISO-2022-KR"
        }
    }

    /// Where our table differs from glibc's converter (WHATWG's index is the reference).
    var tablePatches: [UInt8: UInt32] {
        switch self {
        case .macintosh: return [0xC6: 0x2206, 0xF0: 0xF8FF]
        case .xMacCyrillic: return [0xFF: 0x20AC]
        case .xUserDefined:
            var d: [UInt8: UInt32] = [:]
            for b in 0x80...0xFF { d[UInt8(b)] = 0xF780 + UInt32(b - 0x80) }
            return d
        default: return [:]
        }
    }

    var isSingleByte: Bool {
        switch self {
        case .utf8, .utf16LE, .utf16BE, .utf32LE, .utf32BE, .shiftJIS, .eucJP, .gb18030, .gbk, .big5, .eucKR, .iso2022JP, .iso2022KR:
            return false
        default: return true
        }
    }

    var isUnicode: Bool {
        switch self {
        case .utf8, .utf16LE, .utf16BE, .utf32LE, .utf32BE: return true
        default: return false
        }
    }

    /// The languages whose text this charset usually carries, for scoring a decode.
    var languages: [LanguageProfile.ID] {
        let western: [LanguageProfile.ID] = [.fr, .de, .es, .pt, .it, .nl, .sv, .da, .fi, .ca]
        switch self {
        case .windows1252, .iso8859_1, .iso8859_15, .macintosh: return western
        case .windows1250, .iso8859_2: return [.pl, .cs, .sk, .hu, .ro, .hr, .sl, .de]
        case .iso8859_16: return [.ro, .pl, .hu, .hr, .sl, .de, .fr, .it]
        case .windows1251: return [.ru, .uk, .bg, .sr, .mk]
        case .iso8859_5, .xMacCyrillic: return [.ru, .uk, .bg, .sr, .mk]
        case .koi8R: return [.ru, .bg]
        case .koi8U: return [.uk, .ru]
        case .ibm866: return [.ru, .uk, .bg]
        case .windows1253, .iso8859_7: return [.el]
        case .windows1255, .iso8859_8, .iso8859_8I: return [.he]
        case .windows1256: return [.ar, .fa]
        case .iso8859_6: return [.ar]
        case .windows1254: return [.tr]
        case .windows1257, .iso8859_13, .iso8859_4: return [.lt, .lv, .et]
        case .windows874: return [.th]
        case .windows1258: return [.vi]
        case .iso8859_3: return [.mt, .tr]
        case .iso8859_10: return [.is, .da, .sv, .fi]
        case .iso8859_14: return [.ga, .cy]
        case .shiftJIS, .eucJP, .iso2022JP: return [.ja]
        case .gb18030, .gbk: return [.zhHans, .zhHant]
        case .big5: return [.zhHant]
        case .eucKR, .iso2022KR: return [.ko]
        default: return []
        }
    }

    /// Whether the charset carries Latin-script languages (its letters beyond ASCII are accented
    /// Latin ones).
    var isLatinScript: Bool { languages.first.flatMap { LanguageProfile.all[$0]?.script } == .latin }

    /// The legacy charsets tried when the bytes are not Unicode, in order of preference on a
    /// tie (the first is what browsers assume for unlabelled Western text). ISO-2022-JP/KR are
    /// found by their escape sequences, not by ranking; gbk decodes as gb18030, ISO-8859-8-i as
    /// ISO-8859-8, and x-user-defined is never guessed; ISO-8859-14 (Celtic) is decoded when
    /// declared but not guessed: Irish in it is byte for byte Latin-1, and its Welsh letters
    /// made Baltic text read as Welsh.
    static let legacyCandidates: [TextCharset] = [
        .windows1252, .iso8859_15, .iso8859_1, .windows1250, .iso8859_2, .windows1251, .koi8R,
        .shiftJIS, .eucJP, .gb18030, .big5, .eucKR,
        .windows1253, .iso8859_7, .windows1255, .iso8859_8, .windows1256, .iso8859_6, .windows1254,
        .windows1257, .iso8859_13, .iso8859_4, .windows874, .windows1258, .iso8859_16, .iso8859_10,
        .iso8859_3, .iso8859_5, .koi8U, .ibm866, .xMacCyrillic, .macintosh,
    ]

    /// Parses a charset label as written in headers and documents (`latin1`, `x-sjis`,
    /// `ks_c_5601-1987`, `UTF8`): every label of the WHATWG Encoding Standard (see
    /// `TextCharset+Labels.swift`) and a few more. Returns nil for labels Sluice does not decode.
    public init?(label: String) {
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
        guard let c = Self.labels[l] else { return nil }
        self = c
    }
}
