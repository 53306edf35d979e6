import Foundation

/// The charsets `CharsetDetector` can detect and decode.
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

    /// The name as Sluice writes it (WHATWG-style lowercase label).
    public var name: String { rawValue }

    /// glibc iconv's name for it.
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
        case .gb18030: return "GB18030"
        case .big5: return "BIG5-HKSCS"
        case .eucKR: return "CP949"
        }
    }

    var isSingleByte: Bool {
        switch self {
        case .windows1252, .iso8859_1, .iso8859_15, .windows1250, .iso8859_2, .windows1251, .koi8R: return true
        default: return false
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
        switch self {
        case .windows1252, .iso8859_1, .iso8859_15:
            return [.fr, .de, .es, .pt, .it, .nl, .sv, .da, .fi, .ca]
        case .windows1250, .iso8859_2:
            return [.pl, .cs, .sk, .hu, .ro, .hr, .sl, .de]
        case .windows1251:
            return [.ru, .uk, .bg, .sr]
        case .koi8R:
            return [.ru, .bg]
        case .shiftJIS, .eucJP:
            return [.ja]
        case .gb18030:
            return [.zhHans, .zhHant]
        case .big5:
            return [.zhHant]
        case .eucKR:
            return [.ko]
        default:
            return []
        }
    }

    /// The legacy charsets tried when the bytes are not Unicode, in order of preference on a
    /// tie (the first is what browsers assume for unlabelled Western text).
    static let legacyCandidates: [TextCharset] = [
        .windows1252, .iso8859_15, .iso8859_1, .windows1250, .iso8859_2, .windows1251, .koi8R,
        .shiftJIS, .eucJP, .gb18030, .big5, .eucKR,
    ]

    /// Parses a charset label as written in headers and documents (`latin1`, `x-sjis`,
    /// `ks_c_5601-1987`, `UTF8`). Returns nil for labels Sluice does not decode.
    public init?(label: String) {
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": self = .utf8
        case "utf-16le", "utf-16", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2": self = .utf16LE
        case "utf-16be", "unicodefffe": self = .utf16BE
        case "utf-32le", "utf-32": self = .utf32LE
        case "utf-32be": self = .utf32BE
        case "windows-1252", "cp1252", "x-cp1252", "ascii", "us-ascii", "ansi_x3.4-1968", "iso-ir-100": self = .windows1252
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso_8859-1:1987": self = .iso8859_1
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9", "l9", "csisolatin9": self = .iso8859_15
        case "windows-1250", "cp1250", "x-cp1250": self = .windows1250
        case "iso-8859-2", "iso8859-2", "iso_8859-2", "latin2", "latin-2", "l2", "csisolatin2": self = .iso8859_2
        case "windows-1251", "cp1251", "x-cp1251": self = .windows1251
        case "koi8-r", "koi8r", "koi8", "cskoi8r", "koi": self = .koi8R
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932", "ms932": self = .shiftJIS
        case "euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese": self = .eucJP
        case "gb18030", "gbk", "gb2312", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312", "chinese",
             "iso-ir-58", "gb_2312-80": self = .gb18030
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5": self = .big5
        case "euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "cp949",
             "csksc56011987", "korean", "iso-ir-149": self = .eucKR
        default: return nil
        }
    }
}
