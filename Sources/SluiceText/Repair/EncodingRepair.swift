/// Options of a text repair: mojibake repair plus the normalisations.
public struct EncodingRepairOptions: Sendable, Hashable {
    public var fixMojibake = true
    public var normalization = NormalizationOptions()
    public init() {}
}

/// What a repair did to one string.
public struct EncodingRepairResult: Sendable, Hashable {
    /// The repaired text (the input itself when nothing changed).
    public var text: String
    /// Every change, in the order applied; empty when the text was left alone.
    public var fixes: [RepairFix]
    /// How sure the mojibake repair is, 0...1: 1 when none was needed or the result looks clean;
    /// lower when the result still looks like mojibake (0.5) or only runs inside the text were
    /// fixed (0.8).
    public var confidence: Double
    /// The text holds U+FFFD: characters were lost before we saw it (or in a lossy sequence we
    /// repaired around). It cannot be restored.
    public var hasReplacementCharacters: Bool

    public var changed: Bool { !fixes.isEmpty }
}

/// Repairs one string: mojibake first, then the normalisations.
///
/// Guarantees: text with nothing to fix is returned as is with no fixes (clean ASCII in one pass
/// over its UTF-8 bytes); text that does not look like mojibake is never re-decoded; the work
/// is linear in the text's length times a bounded number of layers.
public enum EncodingRepair {
    public static func repair(_ text: String, options: EncodingRepairOptions = EncodingRepairOptions()) -> EncodingRepairResult {
        if !mayChange(text, options) {
            return EncodingRepairResult(text: text, fixes: [], confidence: 1, hasReplacementCharacters: false)
        }
        return repairSteps(text, options: options)
    }

    /// False when no repair step can change `text`: one byte scan (two for text beyond ASCII).
    @inline(__always)
    public static func mayChange(_ text: String, _ options: EncodingRepairOptions) -> Bool {
        !isTriviallyClean(text, options) && RepairScan.needsWork(text, options)
    }

    /// Every step, without the up-front scan (tests check that the scan never skips a change).
    static func repairSteps(_ text: String, options: EncodingRepairOptions) -> EncodingRepairResult {
        var current = text
        var fixes: [RepairFix] = []
        var confidence = 1.0
        if options.fixMojibake {
            let (fixed, steps, stillBad) = MojibakeRepair.fixReporting(current, depth: 0)
            if !steps.isEmpty {
                current = fixed
                fixes.append(.mojibake(steps))
                if steps.contains(where: { $0.kind == .partial }) { confidence = 0.8 }
                if stillBad { confidence = 0.5 }
            }
        }
        // One scan instead of the normaliser's several when nothing in the text can need it.
        var normalizationOnly = options
        normalizationOnly.fixMojibake = false
        if RepairScan.needsWork(current, normalizationOnly) {
            let (normalized, nfixes) = TextNormalizer.normalize(current, options: options.normalization)
            current = normalized
            fixes += nfixes
        }
        let hasFFFD = withUTF8Buffer(current) { buf in
            buf.indices.contains { buf[$0] == 0xEF && $0 + 2 < buf.count && buf[$0 + 1] == 0xBF && buf[$0 + 2] == 0xBD }
        }
        return EncodingRepairResult(text: current, fixes: fixes, confidence: confidence, hasReplacementCharacters: hasFFFD)
    }

    /// One pass over the UTF-8: printable ASCII, tab and newline, and no `&` when entities are
    /// decoded, means no repair can apply.
    @inline(__always)
    static func isTriviallyClean(_ text: String, _ options: EncodingRepairOptions) -> Bool {
        let checkAmp = options.normalization.decodeHTMLEntities
        if let r = text.utf8.withContiguousStorageIfAvailable({ buf in scanClean(buf, checkAmp) }) { return r }
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { scanClean($0, checkAmp) } ?? false
    }

    @inline(__always)
    private static func scanClean(_ buf: UnsafeBufferPointer<UInt8>, _ checkAmp: Bool) -> Bool {
        // OR-ing bytes 8 at a time finds any non-ASCII byte; the rare controls and `&` need a
        // per-byte look only when the cheap test cannot rule them out.
        var i = 0
        let n = buf.count
        guard let base = buf.baseAddress else { return true }
        while i + 8 <= n {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { return false }
            // A byte below 0x20 (or 0x7F) or equal to `&` makes the word interesting.
            let lowBytes = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            let amp = w ^ 0x2626_2626_2626_2626
            let hasAmp = (amp &- 0x0101_0101_0101_0101) & ~amp & 0x8080_8080_8080_8080
            let del = w ^ 0x7F7F_7F7F_7F7F_7F7F
            let hasDel = (del &- 0x0101_0101_0101_0101) & ~del & 0x8080_8080_8080_8080
            if lowBytes != 0 || hasDel != 0 || (checkAmp && hasAmp != 0) {
                for k in i..<(i + 8) where !byteIsClean(buf[k], checkAmp) { return false }
            }
            i += 8
        }
        while i < n {
            if !byteIsClean(buf[i], checkAmp) { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    private static func byteIsClean(_ b: UInt8, _ checkAmp: Bool) -> Bool {
        if b >= 0x80 || b == 0x7F { return false }
        if b < 0x20 { return b == 0x09 || b == 0x0A }
        return !(checkAmp && b == 0x26)
    }
}
