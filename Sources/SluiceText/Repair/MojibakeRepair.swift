import SluiceCharset
/// One layer of mojibake undone: what the text had been wrongly decoded as.
public struct MojibakeStep: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The whole text was UTF-8 read as `charset`.
        case whole
        /// Only some runs inside the text were (mixed with correct text).
        case partial
        /// Latin-1 C1 controls that were meant as windows-1252 (`\u{93}` → `“`).
        case c1AsWindows1252
    }
    public var kind: Kind
    /// The charset the UTF-8 bytes were misread as (`windows-1252`); empty for `.partial`.
    public var charset: String
    /// Extra byte-level repairs this layer needed: `restore_a0`, `lossy_sequences`, `utf8_variants`.
    public var transcodes: [String]
}

/// Undoes UTF-8 mojibake: text whose UTF-8 bytes were decoded with a single-byte charset,
/// perhaps several times, perhaps only in parts.
///
/// Approach (after ftfy's `fix_encoding`): while the text looks bad (`MojibakeHeuristic`), find
/// the first charset in `SingleByteCodecs.mojibakeOrder` that can re-encode all of it to bytes
/// that decode as UTF-8; failing that, fix the runs that look like UTF-8 mojibake on their own.
/// Guarantees: text that does not look bad is returned unchanged (ASCII always is); the number of
/// layers is bounded (`maxLayers`), and so is the recursion into runs.
public enum MojibakeRepair {
    public static let maxLayers = 8

    public static func fix(_ text: String) -> (text: String, steps: [MojibakeStep]) {
        let r = fixReporting(text, depth: 0)
        return (r.text, r.steps)
    }

    static func fix(_ text: String, depth: Int) -> (text: String, steps: [MojibakeStep]) {
        let r = fixReporting(text, depth: depth)
        return (r.text, r.steps)
    }

    /// Like `fix`, and says whether the result still looks like mojibake (from the check the
    /// last round made anyway).
    static func fixReporting(_ text: String, depth: Int) -> (text: String, steps: [MojibakeStep], stillBad: Bool) {
        var current = text
        var steps: [MojibakeStep] = []
        var stillBad = false
        for _ in 0..<maxLayers {
            switch fixOneLayer(current, depth: depth) {
            case .fixed(let next, let step) where next != current:
                current = next
                steps.append(step)
                continue
            case .fixed, .clean:
                stillBad = false
            case .stuck:
                stillBad = true
            }
            break
        }
        return (current, steps, stillBad)
    }

    enum LayerResult {
        case fixed(String, MojibakeStep)
        /// Does not look like mojibake.
        case clean
        /// Looks like mojibake, but no repair explains it.
        case stuck
    }

    /// One layer.
    static func fixOneLayer(_ text: String, depth: Int) -> LayerResult {
        if !MojibakeHeuristic.mightBeBad(text) { return .clean }
        let scalars = scalarValues(text)
        if !MojibakeHeuristic.isBad(scalars) { return .clean }

        let encoder = MojibakeEncoder.shared
        let mask = encoder.encodableMask(scalars)
        // Whether latin-1 and windows-1252 could encode the whole text (flags, not a set of
        // names: this runs for every string that looks bad).
        var possibleLatin1 = false, possibleWindows1252 = false
        // By index: copying every codec (tables and all) to skip most of them cost more than the test.
        for k in encoder.codecs.indices where mask & (1 << UInt16(k)) != 0 {
            let codec = encoder.codecs[k]
            var bytes = encoder.encode(scalars, codec: k)
            if codec.name == "latin-1" { possibleLatin1 = true } else if codec.name == "windows-1252" { possibleWindows1252 = true }
            // The common case first: the bytes are UTF-8 as they are. The byte-level repairs below
            // only ever change invalid UTF-8 (a lead byte before a space or `?`), except a lone
            // 1A, which the sloppy codecs use for U+FFFD, so that case takes the long way.
            if !(codec.sloppy && bytes.contains(0x1A)), let fixed = String(validating: bytes, as: UTF8.self) {
                return .fixed(fixed, MojibakeStep(kind: .whole, charset: codec.name, transcodes: []))
            }
            var transcodes: [String] = []
            if codec.name != "macroman", UTF8Bytes.hasAlteredA0(bytes) {
                let restored = UTF8Bytes.restoreA0(bytes)
                if restored != bytes { transcodes.append("restore_a0"); bytes = restored }
            }
            if codec.sloppy, bytes.contains(0x1A) || bytes.contains(0x3F) {
                let replaced = UTF8Bytes.replaceLossy(bytes)
                if replaced != bytes { transcodes.append("lossy_sequences"); bytes = replaced }
            }
            if let fixed = String(validating: bytes, as: UTF8.self) {
                return .fixed(fixed, MojibakeStep(kind: .whole, charset: codec.name, transcodes: transcodes))
            }
            if bytes.contains(0xED) || bytes.contains(0xC0), let fixed = UTF8Bytes.decode(bytes, variants: true) {
                transcodes.append("utf8_variants")
                return .fixed(fixed, MojibakeStep(kind: .whole, charset: codec.name, transcodes: transcodes))
            }
        }

        if depth < 4, let fixed = fixRuns(scalars, depth: depth), fixed != text {
            return .fixed(fixed, MojibakeStep(kind: .partial, charset: "", transcodes: []))
        }

        if possibleLatin1 {
            if possibleWindows1252 { return .stuck }
            if let strict = SingleByteCodecs.strictWindows1252, let latin1 = SingleByteCodecs.named("latin-1"),
               let bytes = encodeAll(scalars, latin1), let fixed = strict.decode(bytes), fixed != text {
                return .fixed(fixed, MojibakeStep(kind: .c1AsWindows1252, charset: "latin-1", transcodes: []))
            }
        }
        if scalars.contains(where: { $0 >= 0x80 && $0 <= 0x9F }), let w1252 = SingleByteCodecs.named("windows-1252") {
            var view = String.UnicodeScalarView()
            for v in scalars {
                let mapped = (v >= 0x80 && v <= 0x9F) ? (w1252.scalar(UInt8(v)) ?? v) : v
                if let s = Unicode.Scalar(mapped) { view.append(s) }
            }
            let fixed = String(view)
            if fixed != text { return .fixed(fixed, MojibakeStep(kind: .c1AsWindows1252, charset: "", transcodes: [])) }
        }
        return .stuck
    }

    static func encodeAll(_ scalars: [UInt32], _ codec: SingleByteCodec) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(scalars.count)
        for v in scalars {
            guard let b = codec.encode(v) else { return nil }
            out.append(b)
        }
        return out
    }

    /// Fixes each run that looks like UTF-8 mojibake on its own, leaving the text around it.
    private static func fixRuns(_ s: [UInt32], depth: Int) -> String? {
        let runs = UTF8MojibakeRuns.find(s)
        if runs.isEmpty { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 2)
        var pos = 0
        var changed = false
        for r in runs {
            appendUTF8(s[pos..<r.lowerBound], to: &out)
            let piece = s[r]
            var replaced = false
            if piece.count < s.count, MojibakeHeuristic.isBad(Array(piece)) {
                var bytes: [UInt8] = []
                appendUTF8(piece, to: &bytes)
                let original = String(decoding: bytes, as: UTF8.self)
                let fixed = fix(original, depth: depth + 1).text
                if fixed != original {
                    out.append(contentsOf: fixed.utf8)
                    replaced = true
                    changed = true
                }
            }
            if !replaced { appendUTF8(piece, to: &out) }
            pos = r.upperBound
        }
        appendUTF8(s[pos...], to: &out)
        return changed ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Appends scalar values (all valid: they came from a String) as UTF-8.
    static func appendUTF8(_ values: ArraySlice<UInt32>, to out: inout [UInt8]) {
        for v in values {
            switch v {
            case 0..<0x80:
                out.append(UInt8(v))
            case 0x80..<0x800:
                out.append(0xC0 | UInt8(v >> 6)); out.append(0x80 | UInt8(v & 0x3F))
            case 0x800..<0x10000:
                out.append(0xE0 | UInt8(v >> 12)); out.append(0x80 | UInt8((v >> 6) & 0x3F)); out.append(0x80 | UInt8(v & 0x3F))
            default:
                out.append(0xF0 | UInt8(v >> 18)); out.append(0x80 | UInt8((v >> 12) & 0x3F))
                out.append(0x80 | UInt8((v >> 6) & 0x3F)); out.append(0x80 | UInt8(v & 0x3F))
            }
        }
    }
}
