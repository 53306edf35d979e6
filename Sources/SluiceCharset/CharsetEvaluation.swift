import Foundation

/// A labelled evaluation set for charset detection, built from sample text: each sample is
/// encoded (with iconv) into every charset its language is written in, and detection is scored
/// against the label.
///
/// Two measures: `exact` (the detected charset is the label) and `equivalent` (decoding with the
/// detected charset gives the original text: windows-1252 and ISO-8859-1 are the same charset
/// for text without the bytes where they differ, so naming either is right).
public enum CharsetEvaluation {
    public struct Sample: Sendable {
        public var language: String
        public var charset: TextCharset
        /// `paragraph` (a whole sample line) or `sentence` (one sentence of it: less evidence).
        public var unit: String
        public var text: String
        public var bytes: [UInt8]
    }

    public struct Tally: Sendable {
        public var total = 0
        public var exact = 0
        public var equivalent = 0
        /// Decoded to other text with confidence ≥ 0.9: the failure that must stay rare.
        public var wrongConfident = 0
        /// Refused (`UndecodableText`) at the evaluation's `minConfidence`.
        public var refused = 0
        public init() {}

        public mutating func add(_ t: Tally) {
            total += t.total; exact += t.exact; equivalent += t.equivalent
            wrongConfident += t.wrongConfident; refused += t.refused
        }
    }

    /// Charsets a language's samples are encoded into.
    public static func charsets(for language: String) -> [TextCharset] {
        let unicode: [TextCharset] = [.utf8, .utf16LE, .utf16BE]
        switch language {
        case "fr", "de", "es", "pt", "it": return unicode + [.windows1252, .iso8859_1, .iso8859_15]
        case "ro": return unicode + [.windows1250, .iso8859_2, .iso8859_16]
        case "pl", "cs", "sk", "hu", "hr": return unicode + [.windows1250, .iso8859_2]
        case "nl", "sv", "da", "fi": return unicode + [.windows1252, .iso8859_15]
        case "sl": return unicode + [.windows1250, .iso8859_2]
        case "ru": return unicode + [.windows1251, .koi8R, .ibm866, .iso8859_5, .xMacCyrillic]
        case "bg": return unicode + [.windows1251, .koi8R, .iso8859_5]
        case "uk": return unicode + [.windows1251, .koi8U, .xMacCyrillic]
        case "mk": return unicode + [.windows1251, .iso8859_5]
        case "el": return unicode + [.windows1253, .iso8859_7]
        case "he": return unicode + [.windows1255, .iso8859_8]
        case "ar": return unicode + [.windows1256, .iso8859_6]
        case "fa": return unicode + [.windows1256]
        case "tr": return unicode + [.windows1254]
        case "lt", "lv": return unicode + [.windows1257, .iso8859_13, .iso8859_4]
        case "et": return unicode + [.windows1257, .iso8859_13]
        case "th": return unicode + [.windows874]
        case "vi": return unicode + [.windows1258]
        case "is": return unicode + [.iso8859_10, .windows1252]
        case "en": return unicode + [.windows1252, .iso8859_1, .iso8859_15]
        case "ja": return unicode + [.shiftJIS, .eucJP, .iso2022JP]
        case "zh-Hans": return unicode + [.gb18030]
        case "zh-Hant": return unicode + [.big5]
        case "ko": return unicode + [.eucKR, .iso2022KR]
        default: return unicode
        }
    }

    /// The standard iconv name used to encode samples (the plain standard, not the vendor
    /// supersets the decoder uses).
    static func encoderName(_ c: TextCharset) -> String {
        switch c {
        case .shiftJIS: return "SHIFT_JIS"
        case .eucJP: return "EUC-JP"
        case .big5: return "BIG5"
        case .eucKR: return "EUC-KR"
        case .iso2022JP: return "ISO-2022-JP"
        case .koi8U: return "KOI8-U"
        default: return c.iconvName
        }
    }

    /// Builds the set from `lang<TAB>text` lines (`#` starts a comment). UTF-16 samples carry no
    /// byte order mark, so they test detection, not BOM sniffing.
    public static func build(fromTSV tsv: String) -> [Sample] {
        var out: [Sample] = []
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let lang = String(parts[0]), text = String(parts[1])
            var units = [("paragraph", text)]
            units += sentences(text).filter { $0.unicodeScalars.count >= 20 }.map { ("sentence", $0) }
            for (unit, t) in units {
                for c in charsets(for: lang) {
                    guard let bytes = IconvDecoder.convert(Array(t.utf8), from: "UTF-8", to: encoderName(c)) else { continue }
                    out.append(Sample(language: lang, charset: c, unit: unit, text: t, bytes: bytes))
                }
            }
        }
        return out
    }

    /// Paragraphs (blank-line separated) of an English corpus that hold characters beyond
    /// ASCII (pure ASCII would be trivially UTF-8), as `en` samples; at most `limit`.
    public static func build(fromCorpus text: String, limit: Int = 40) -> [Sample] {
        var tsv = ""
        var taken = 0
        for para in text.components(separatedBy: "\n\n") where taken < limit {
            let flat = para.split(whereSeparator: \.isNewline).joined(separator: " ")
            guard flat.unicodeScalars.count >= 80, flat.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { continue }
            tsv += "en\t\(flat)\n"
            taken += 1
        }
        return build(fromTSV: tsv).filter { $0.unit == "paragraph" }
    }

    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ".!?。！？".contains(ch) {
                let t = current.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { result.append(t) }
                current = ""
            }
        }
        let t = current.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { result.append(t) }
        return result
    }

    /// Runs detection on every sample; tallies per label charset and unit.
    /// `minConfidence` as the file input uses it (0.5): a refusal is not a wrong decode.
    public static func evaluate(_ samples: [Sample], minConfidence: Double = 0,
                                misses: ((Sample, DecodedText?) -> Void)? = nil) -> [String: Tally] {
        var tallies: [String: Tally] = [:]
        for s in samples {
            let key = "\(s.charset.name) \(s.unit)"
            var t = tallies[key] ?? Tally()
            t.total += 1
            let r = CharsetDetector.decode(s.bytes, minConfidence: minConfidence)
            if case .success(let d) = r {
                if d.charset == s.charset { t.exact += 1 }
                // String equality is canonical equivalence: windows-1258's decomposed letters match.
                if d.text == s.text {
                    t.equivalent += 1
                } else {
                    if d.confidence >= 0.9 { t.wrongConfident += 1 }
                    misses?(s, d)
                }
            } else {
                t.refused += 1
                misses?(s, nil)
            }
            tallies[key] = t
        }
        return tallies
    }
}
