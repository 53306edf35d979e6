/// Token counts of spans, from one tokenization of the whole text.
///
/// `before[i]` counts the tokens of pre-tokens that start before offset `i`, `upTo[i]` those of
/// pre-tokens that end at or before `i`; they agree exactly at offsets between pre-tokens.
/// A span between two such offsets is counted from the tables when the tokenizer's counts are
/// local; any other span is tokenized on its own.
struct TokenMeasure: SizeMeasure {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokenizer: HFTokenizer
    let before: [Int32]
    let upTo: [Int32]
    let local: Bool

    init(_ p: UnsafeBufferPointer<UInt8>, tokenizer: HFTokenizer) {
        bytes = p
        self.tokenizer = tokenizer
        local = tokenizer.countsAreLocal
        let n = p.count
        var before = [Int32](repeating: 0, count: n + 1)
        var upTo = [Int32](repeating: 0, count: n + 1)
        var startAdd = [Int32](repeating: 0, count: n + 1)
        var endAdd = [Int32](repeating: 0, count: n + 1)
        for piece in tokenizer.pieces(p) {
            startAdd[min(piece.start + 1, n)] += Int32(piece.count)
            endAdd[piece.end] += Int32(piece.count)
        }
        var b: Int32 = 0, u: Int32 = 0
        for i in 0...n {
            b += startAdd[i]
            u += endAdd[i]
            before[i] = b
            upTo[i] = u
        }
        self.before = before
        self.upTo = upTo
    }

    var estimates: Bool { !local }

    @inline(__always) private func aligned(_ i: Int) -> Bool { before[i] == upTo[i] }

    func size(_ a: Int, _ b: Int) -> Int {
        guard b > a else { return 0 }
        if local && aligned(a) && aligned(b) { return Int(upTo[b] - upTo[a]) }
        var a = a, b = b
        while a > 0 && UTF8Facts.isContinuation(bytes[a]) { a -= 1 }
        while b < bytes.count && UTF8Facts.isContinuation(bytes[b]) { b += 1 }
        return tokenizer.count(UnsafeBufferPointer(rebasing: bytes[a..<b]))
    }

    func reach(_ a: Int, _ limit: Int) -> Int {
        let base = upTo[a], lim = Int32(clamping: limit)
        return lastFitting(a, before.count - 1) { before[$0] - base <= lim }
    }
}
