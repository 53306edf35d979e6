/// A `tokenizer.json` pre-tokenizer: splits normalized text into the pieces the model encodes.
indirect enum TokenizerPreTokenizer: Sendable {
    /// Splits on whitespace (removed) and isolates each punctuation character.
    case bert
    /// `\w+|[^\w\s]+`.
    case whitespace
    /// Splits on whitespace.
    case whitespaceSplit
    /// GPT-2 byte-level: optional prefix space, then the GPT-2 split pattern.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// SentencePiece style: spaces become `replacement` (▁), which is prepended (`always`, or
    /// `first`: only at the start of the text) and, with `split`, starts every piece.
    case metaspace(replacement: UInt32, prepend: MetaspacePrepend, split: Bool)
    case sequence([TokenizerPreTokenizer])

    enum MetaspacePrepend: Sendable { case always, first, never }

    /// Whether the pieces of a span that starts and ends between pieces are exactly the pieces
    /// of the whole text inside it (the split looks at no context beyond each piece).
    var isLocal: Bool {
        switch self {
        case .bert, .whitespace, .whitespaceSplit: return true
        case .byteLevel, .metaspace: return false
        case .sequence(let items): return items.allSatisfy(\.isLocal)
        }
    }

    var isByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .sequence(let items): return items.contains { $0.isByteLevel }
        default: return false
        }
    }

    /// Splits `ranges` (index ranges into `text.scalars`) further. `text` may gain a prefix
    /// (space or ▁); `atTextStart` says whether it begins the whole text (not after an added token).
    func split(_ text: inout NormalizedText, _ ranges: [Range<Int>], atTextStart: Bool) -> [Range<Int>] {
        switch self {
        case .sequence(let items):
            var r = ranges
            for item in items { r = item.split(&text, r, atTextStart: atTextStart) }
            return r
        case .metaspace(let replacement, let prepend, let split):
            for k in 0..<text.count where text.scalars[k] == 0x20 { text.scalars[k] = replacement }
            var r = ranges
            let prefix = prepend == .always || (prepend == .first && atTextStart)
            if prefix, text.count > 0, text.scalars[0] != replacement {
                var t = NormalizedText()
                t.append(replacement, text.sourceStart[0], text.sourceStart[0])
                for k in 0..<text.count { t.append(text.scalars[k], text.sourceStart[k], text.sourceEnd[k]) }
                text = t
                r = r.map { ($0.lowerBound == 0 ? 0 : $0.lowerBound + 1)..<($0.upperBound + 1) }
            }
            guard split else { return r }
            var out: [Range<Int>] = []
            for range in r {
                var start = range.lowerBound
                for k in range where k > start && text.scalars[k] == replacement {
                    out.append(start..<k)
                    start = k
                }
                if start < range.upperBound { out.append(start..<range.upperBound) }
            }
            return out
        case .byteLevel(let addPrefixSpace, let useRegex):
            var r = ranges
            if addPrefixSpace, text.count > 0, text.scalars[0] != 0x20 {
                var t = NormalizedText()
                t.append(0x20, text.sourceStart[0], text.sourceStart[0])
                for k in 0..<text.count { t.append(text.scalars[k], text.sourceStart[k], text.sourceEnd[k]) }
                text = t
                r = r.map { ($0.lowerBound == 0 ? 0 : $0.lowerBound + 1)..<($0.upperBound + 1) }
            }
            guard useRegex else { return r }
            var out: [Range<Int>] = []
            for range in r { Self.gpt2Split(text.scalars, range, into: &out) }
            return out
        default:
            var out: [Range<Int>] = []
            for range in ranges { splitSimple(text.scalars, range, into: &out) }
            return out
        }
    }

    private func splitSimple(_ s: [UInt32], _ range: Range<Int>, into out: inout [Range<Int>]) {
        var start = -1
        func flush(_ k: Int) { if start >= 0 { out.append(start..<k); start = -1 } }
        var k = range.lowerBound
        switch self {
        case .bert:
            while k < range.upperBound {
                let v = s[k]
                if UnicodeFacts.isWhitespace(v) { flush(k) }
                else if UnicodeFacts.isBertPunctuation(v) { flush(k); out.append(k..<(k + 1)) }
                else if start < 0 { start = k }
                k += 1
            }
        case .whitespaceSplit:
            while k < range.upperBound {
                if UnicodeFacts.isWhitespace(s[k]) { flush(k) } else if start < 0 { start = k }
                k += 1
            }
        default:  // whitespace: runs of \w, runs of [^\w\s]
            var kind = 0  // 1: word run, 2: other run
            while k < range.upperBound {
                let v = s[k]
                let c = UnicodeFacts.isWhitespace(v) ? 0 : (UnicodeFacts.isWordChar(v) ? 1 : 2)
                if c != kind { flush(k); kind = c; if c != 0 { start = k } }
                k += 1
            }
        }
        flush(range.upperBound)
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    static func gpt2Split(_ s: [UInt32], _ range: Range<Int>, into out: inout [Range<Int>]) {
        let end = range.upperBound
        var i = range.lowerBound
        func isOther(_ v: UInt32) -> Bool { !UnicodeFacts.isWhitespace(v) && !UnicodeFacts.isLetter(v) && !UnicodeFacts.isNumber(v) }
        func runEnd(_ from: Int, _ pred: (UInt32) -> Bool) -> Int {
            var k = from
            while k < end && pred(s[k]) { k += 1 }
            return k
        }
        while i < end {
            let c = s[i]
            if c == 0x27, i + 1 < end {  // contractions
                let a = s[i + 1]
                if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { out.append(i..<(i + 2)); i += 2; continue }
                if i + 2 < end {
                    let b = s[i + 2]
                    if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {
                        out.append(i..<(i + 3)); i += 3; continue
                    }
                }
            }
            let j = (c == 0x20 && i + 1 < end) ? i + 1 : i
            let d = s[j]
            if UnicodeFacts.isLetter(d) { let k = runEnd(j, UnicodeFacts.isLetter); out.append(i..<k); i = k; continue }
            if UnicodeFacts.isNumber(d) { let k = runEnd(j, UnicodeFacts.isNumber); out.append(i..<k); i = k; continue }
            if isOther(d) { let k = runEnd(j, isOther); out.append(i..<k); i = k; continue }
            // Whitespace: a run followed by non-space gives up its last character to the next piece.
            let k = runEnd(i, UnicodeFacts.isWhitespace)
            if k == end || k - i == 1 { out.append(i..<k); i = k } else { out.append(i..<(k - 1)); i = k - 1 }
        }
    }
}
