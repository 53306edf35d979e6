/// Sizes of spans of one text, in one unit. Positions are UTF-8 offsets.
protocol SizeMeasure {
    /// The exact size of the span `a..<b`, as the unit counts that span's text on its own.
    func size(_ a: Int, _ b: Int) -> Int
    /// The farthest `b >= a` whose estimated size from `a` is at most `limit`. For every unit but
    /// context-dependent tokenizers the estimate is exact; otherwise callers check with `size`.
    func reach(_ a: Int, _ limit: Int) -> Int
    /// Whether `size` must be checked after `reach` (the estimate may be off at some positions).
    var estimates: Bool { get }
}

extension SizeMeasure {
    var estimates: Bool { false }
}

/// Largest `b` in `lo...hi` with `fits(b)`, for a predicate true up to some point and false after.
@inline(__always)
func lastFitting(_ lo: Int, _ hi: Int, _ fits: (Int) -> Bool) -> Int {
    var lo = lo, hi = hi
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    return lo
}

struct ByteMeasure: SizeMeasure {
    let count: Int
    func size(_ a: Int, _ b: Int) -> Int { b - a }
    func reach(_ a: Int, _ limit: Int) -> Int { limit >= count - a ? count : a + limit }
}

/// Grapheme clusters: the span's bytes minus the offsets where no cluster starts.
struct GraphemeMeasure: SizeMeasure {
    let nonStarts: [Int]
    let count: Int

    init(map: BoundaryMap) {
        nonStarts = map.nonStarts
        count = map.count
    }

    /// How many non-start offsets are below `x`.
    @inline(__always) private func below(_ x: Int) -> Int {
        var lo = 0, hi = nonStarts.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if nonStarts[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func size(_ a: Int, _ b: Int) -> Int { b <= a ? 0 : (b - a) - (below(b) - below(a)) }

    func reach(_ a: Int, _ limit: Int) -> Int {
        let hi = limit >= count - a ? count : a + limit
        let base = below(a)
        // Fast path: every byte up to `hi` (included) starts a cluster.
        if nonStarts.isEmpty || (below(hi) == base && (hi == count || below(hi + 1) == base)) { return hi }
        return lastFitting(a, count) { ($0 - a) - (below($0) - base) <= limit }
    }
}

/// Words are maximal runs of non-whitespace; a span that starts inside a word counts it.
struct WordMeasure: SizeMeasure {
    let prefix: [Int32]
    let insideWord: [Bool]

    init(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        var t = [Int32](repeating: 0, count: n + 1)
        var inside = [Bool](repeating: false, count: n + 1)
        var c: Int32 = 0
        var prevWhite = true
        var i = 0
        while i < n {
            let (v, len) = UTF8Facts.decode(p, i)
            let white = UTF8Facts.isWhitespace(v)
            for k in i..<(i + len) { t[k] = c; inside[k] = !prevWhite && !white }
            if !white && prevWhite { c += 1 }
            prevWhite = white
            i += len
        }
        t[n] = c
        prefix = t
        insideWord = inside
    }

    func size(_ a: Int, _ b: Int) -> Int {
        guard b > a else { return 0 }
        return Int(prefix[b] - prefix[a]) + (insideWord[a] ? 1 : 0)
    }

    func reach(_ a: Int, _ limit: Int) -> Int {
        let extra: Int32 = insideWord[a] ? 1 : 0
        let base = prefix[a], lim = Int32(clamping: limit)
        return lastFitting(a, prefix.count - 1) { prefix[$0] - base + extra <= lim }
    }
}
