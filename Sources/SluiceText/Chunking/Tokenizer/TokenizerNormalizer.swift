import Foundation

/// Normalized text: scalars, each with the UTF-8 span of the source scalar it came from.
struct NormalizedText {
    var scalars: [UInt32] = []
    var sourceStart: [Int] = []
    var sourceEnd: [Int] = []

    mutating func append(_ v: UInt32, _ s: Int, _ e: Int) {
        scalars.append(v)
        sourceStart.append(s)
        sourceEnd.append(e)
    }

    var count: Int { scalars.count }
}

/// A `tokenizer.json` normalizer. Every supported normalizer except NFC/NFKC maps each source
/// scalar to zero or more scalars on its own; NFC/NFKC compose within grapheme clusters.
indirect enum TokenizerNormalizer: Sendable {
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    case lowercase
    case stripAccents
    case nfd, nfkd, nfc, nfkc
    case replace(pattern: String, content: String)
    case prepend(String)
    case sequence([TokenizerNormalizer])

    /// Whether each output scalar depends only on one source scalar (no composition, no
    /// insertion at the start of the text), so that spans normalize independently.
    var isPerScalar: Bool {
        switch self {
        case .bert, .lowercase, .stripAccents, .nfd, .nfkd: return true
        case .nfc, .nfkc, .replace, .prepend: return false
        case .sequence(let items): return items.allSatisfy(\.isPerScalar)
        }
    }

    func apply(_ text: NormalizedText, cache: inout ScalarCache) -> NormalizedText {
        switch self {
        case .sequence(let items):
            var t = text
            for item in items { t = item.apply(t, cache: &cache) }
            return t
        case .prepend(let s):
            guard text.count > 0 else { return text }
            var out = NormalizedText()
            for v in s.unicodeScalars { out.append(v.value, text.sourceStart[0], text.sourceStart[0]) }
            for k in 0..<text.count { out.append(text.scalars[k], text.sourceStart[k], text.sourceEnd[k]) }
            return out
        case .replace(let pattern, let content):
            return Self.replace(text, pattern: Array(pattern.unicodeScalars.map(\.value)), with: Array(content.unicodeScalars.map(\.value)))
        case .nfc, .nfkc:
            return Self.compose(text, compatibility: { if case .nfkc = self { return true } else { return false } }())
        default:
            var out = NormalizedText()
            out.scalars.reserveCapacity(text.count)
            out.sourceStart.reserveCapacity(text.count)
            out.sourceEnd.reserveCapacity(text.count)
            for k in 0..<text.count {
                let s = text.sourceStart[k], e = text.sourceEnd[k]
                mapScalar(text.scalars[k], cache: &cache) { out.append($0, s, e) }
            }
            return out
        }
    }

    /// The per-scalar normalizers.
    @inline(__always)
    private func mapScalar(_ v: UInt32, cache: inout ScalarCache, _ emit: (UInt32) -> Void) {
        switch self {
        case .bert(let clean, let chinese, let strip, let lower):
            if v < 0x80 {
                // Controls are removed before whitespace becomes a space, so VT and FF vanish.
                if clean && v != 0x09 && v != 0x0A && v != 0x0D && (v < 0x20 || v == 0x7F) { return }
                if clean && (v == 0x09 || v == 0x0A || v == 0x0D) { emit(0x20); return }
                emit(lower && v >= 0x41 && v <= 0x5A ? v + 0x20 : v)
                return
            }
            if clean {
                if v == 0xFFFD || UnicodeFacts.isOther(v) { return }
                if UnicodeFacts.isWhitespace(v) { emit(0x20); return }
            }
            if chinese && UnicodeFacts.isChineseChar(v) { emit(0x20); emit(v); emit(0x20); return }
            if strip {
                for d in cache.nfdWithoutMarks(v) {
                    if lower { for l in cache.lowercase(d) { emit(l) } } else { emit(d) }
                }
            } else if lower {
                for l in cache.lowercase(v) { emit(l) }
            } else {
                emit(v)
            }
        case .lowercase:
            if v < 0x80 { emit(v >= 0x41 && v <= 0x5A ? v + 0x20 : v) } else { for l in cache.lowercase(v) { emit(l) } }
        case .stripAccents:
            if v < 0x80 || !UnicodeFacts.isMark(v) { emit(v) }
        case .nfd:
            if v < 0x80 { emit(v) } else { for d in cache.decomposed(v, compatibility: false) { emit(d) } }
        case .nfkd:
            if v < 0x80 { emit(v) } else { for d in cache.decomposed(v, compatibility: true) { emit(d) } }
        default:
            emit(v)
        }
    }

    private static func replace(_ text: NormalizedText, pattern: [UInt32], with content: [UInt32]) -> NormalizedText {
        guard !pattern.isEmpty else { return text }
        var out = NormalizedText()
        var k = 0
        while k < text.count {
            if k + pattern.count <= text.count && Array(text.scalars[k..<(k + pattern.count)]) == pattern {
                let s = text.sourceStart[k], e = text.sourceEnd[k + pattern.count - 1]
                for c in content { out.append(c, s, e) }
                k += pattern.count
            } else {
                out.append(text.scalars[k], text.sourceStart[k], text.sourceEnd[k])
                k += 1
            }
        }
        return out
    }

    /// NFC/NFKC, composed one grapheme cluster at a time (composition never crosses clusters).
    private static func compose(_ text: NormalizedText, compatibility: Bool) -> NormalizedText {
        var out = NormalizedText()
        var scalars = String.UnicodeScalarView()
        for k in 0..<text.count { if let s = Unicode.Scalar(text.scalars[k]) { scalars.append(s) } else { scalars.append("\u{FFFD}") } }
        let string = String(scalars)
        var k = 0
        for cluster in string {
            let n = cluster.unicodeScalars.count
            let s = text.sourceStart[k], e = text.sourceEnd[k + n - 1]
            k += n
            if cluster.unicodeScalars.allSatisfy({ $0.isASCII }) {
                for v in cluster.unicodeScalars { out.append(v.value, s, e) }
                continue
            }
            let composed = compatibility ? String(cluster).precomposedStringWithCompatibilityMapping
                : String(cluster).precomposedStringWithCanonicalMapping
            for v in composed.unicodeScalars { out.append(v.value, s, e) }
        }
        return out
    }
}

/// Memoized per-scalar Unicode mappings for one tokenization call.
struct ScalarCache {
    private var lower: [UInt32: [UInt32]] = [:]
    private var nfdStripped: [UInt32: [UInt32]] = [:]
    private var nfd: [UInt32: [UInt32]] = [:]
    private var nfkd: [UInt32: [UInt32]] = [:]

    mutating func lowercase(_ v: UInt32) -> [UInt32] {
        if v < 0x80 { return [v >= 0x41 && v <= 0x5A ? v + 0x20 : v] }
        if let r = lower[v] { return r }
        let r = Unicode.Scalar(v).map { $0.properties.lowercaseMapping.unicodeScalars.map(\.value) } ?? [v]
        lower[v] = r
        return r
    }

    mutating func decomposed(_ v: UInt32, compatibility: Bool) -> [UInt32] {
        if v < 0x80 { return [v] }
        if let r = (compatibility ? nfkd[v] : nfd[v]) { return r }
        var r = [v]
        if let s = Unicode.Scalar(v) {
            let str = String(Character(s))
            r = (compatibility ? str.decomposedStringWithCompatibilityMapping : str.decomposedStringWithCanonicalMapping)
                .unicodeScalars.map(\.value)
        }
        if compatibility { nfkd[v] = r } else { nfd[v] = r }
        return r
    }

    mutating func nfdWithoutMarks(_ v: UInt32) -> [UInt32] {
        if v < 0x80 { return [v] }
        if let r = nfdStripped[v] { return r }
        let r = decomposed(v, compatibility: false).filter { !UnicodeFacts.isNonspacingMark($0) }
        nfdStripped[v] = r
        return r
    }
}
