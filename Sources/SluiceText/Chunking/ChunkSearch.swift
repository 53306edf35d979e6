/// The greedy cut: from each chunk's start, the farthest end that fits at the strongest
/// boundary level reachable; overlaps step back over whole words.
struct ChunkSearch<M: SizeMeasure> {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Gains sentence and word boundaries where a chunk needs them.
    private(set) var layout: ChunkLayout
    let measure: M
    let maxSize: Int
    let overlap: Int
    /// Whether chunks are trimmed: whitespace at a chunk's edges then does not count.
    let trim: Bool

    private var trimmer: WhitespaceTrimmer { WhitespaceTrimmer(bytes: bytes, map: layout.map) }
    private var map: BoundaryMap { layout.map }

    init(bytes: UnsafeBufferPointer<UInt8>, layout: ChunkLayout, measure: M, maxSize: Int, overlap: Int, trim: Bool) {
        self.bytes = bytes
        self.layout = layout
        self.measure = measure
        self.maxSize = maxSize
        self.overlap = overlap
        self.trim = trim
    }

    var count: Int { bytes.count }

    /// Contiguous spans covering the text: `spans[0].lowerBound == 0`, the last ends at `count`,
    /// each starts after the previous start and no later than the previous end, and ends after
    /// the previous end (an overlap is `spans[i].lowerBound..<spans[i-1].upperBound`).
    mutating func spans() -> [Range<Int>] {
        let n = count
        guard n > 0 else { return [] }
        var out: [Range<Int>] = []
        var start = 0
        var prevEnd = 0
        while prevEnd < n {
            var s = start
            var e = farthestEnd(from: s)
            if s < prevEnd && e <= prevEnd {
                s = prevEnd
                e = farthestEnd(from: s)
            }
            out.append(s..<e)
            prevEnd = e
            start = overlap > 0 ? overlapStart(from: s, to: e) : e
        }
        return out
    }

    @inline(__always) private func fits(_ a: Int, _ b: Int) -> Bool { measure.size(a, b) <= maxSize }

    /// The end of the chunk that starts at `a`: always `> a`.
    ///
    /// When trimming, the size that counts is that of the span without its whitespace edges, so
    /// the reach is measured from the first non-whitespace and may end in whitespace.
    mutating func farthestEnd(from a: Int) -> Int {
        let n = count
        let from = trim ? trimmer.skipForward(a, limit: n) : a
        if from >= n { return n }
        var r = measure.reach(from, maxSize)
        while r > from && r < n && !map.isGraphemeStart(r) { r -= 1 }
        let top = trim ? trimmer.skipForward(r, limit: n) : r
        if top >= n && (!measure.estimates || fitsTrimmed(from, n)) { return n }
        // Lines and stronger boundaries are known everywhere; sentences and words are found
        // only when none of those fits (they are weaker, so they could not win otherwise).
        if let best = strongestFitting(a, top, from, atLeast: ChunkLayout.Level.line) { return best }
        if top > a { layout.ensureDetail(bytes, (a + 1)...top) }
        if let best = strongestFitting(a, top, from, atLeast: 1) { return best }
        return clusterEnd(from: a, reach: r)
    }

    /// The farthest offset in `(a, top]` at the highest level (`minLevel` or more) that fits.
    private func strongestFitting(_ a: Int, _ top: Int, _ from: Int, atLeast minLevel: Int) -> Int? {
        var best = -1
        var bestLevel = minLevel - 1
        layout.map.flags.withUnsafeBufferPointer { f in
            guard let base = f.baseAddress else { return }
            var i = top
            while i > a {
                // Skip eight offsets at a time where no level is set (most of a text).
                if i - 8 > a && UnsafeRawPointer(base + i - 7).loadUnaligned(as: UInt64.self) & 0x7F7F_7F7F_7F7F_7F7F == 0 {
                    i -= 8
                    continue
                }
                let flag = f[i]
                let l = Int(flag & BoundaryMap.levelMask)
                if l > bestLevel && flag & BoundaryMap.insideBit == 0 && (!measure.estimates || fitsTrimmed(from, i)) {
                    best = i
                    bestLevel = l
                }
                i -= 1
            }
        }
        return best > a ? best : nil
    }

    /// Whether `from..<b` fits once its trailing whitespace is left out (when trimming).
    private func fitsTrimmed(_ from: Int, _ b: Int) -> Bool {
        fits(from, trim ? trimmer.skipBackward(b, floor: from) : b)
    }

    /// No semantic boundary fits: the farthest grapheme cluster boundary that does, else (one
    /// cluster larger than the limit) the farthest scalar boundary, else one scalar.
    private func clusterEnd(from a: Int, reach r: Int) -> Int {
        func snapCluster(_ x: Int) -> Int {
            var g = x
            while g > a && !map.isGraphemeStart(g) { g -= 1 }
            return g
        }
        var g = snapCluster(r)
        if measure.estimates && g > a && !fits(a, g) {
            g = snapCluster(lastFitting(a, g) { snapCluster($0) == a || fits(a, snapCluster($0)) })
        }
        if g > a { return g }
        func snapScalar(_ x: Int) -> Int {
            var s = min(x, count)
            while s > a && s < count && UTF8Facts.isContinuation(bytes[s]) { s -= 1 }
            return s
        }
        let s = snapScalar(lastFitting(a, min(r, count)) { snapScalar($0) == a || fits(a, snapScalar($0)) })
        if s > a && fits(a, s) { return s }
        return a + UTF8Facts.decode(bytes, a).1
    }

    /// Where the chunk after `s..<e` starts: the earliest word (or stronger) boundary in
    /// `(s, e)` from which at most `overlap` remains to `e`; `e` when there is none.
    mutating func overlapStart(from s: Int, to e: Int) -> Int {
        guard e < count, e - s > 1 else { return e }
        // The size of `q..<e` shrinks as `q` grows: find the first `q` within the overlap.
        var lo = s + 1, hi = e
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if measure.size(mid, e) <= overlap { hi = mid } else { lo = mid + 1 }
        }
        var q = lo
        if q <= e { layout.ensureDetail(bytes, q...e) }
        while q < e && !(map.level(q) > 0 && map.isGraphemeStart(q) && measure.size(q, e) <= overlap) { q += 1 }
        return q
    }
}
