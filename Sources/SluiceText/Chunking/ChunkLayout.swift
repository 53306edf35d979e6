/// The boundary levels of a text for one strategy, and its markdown headings.
///
/// Lines, paragraphs and markdown structure are found for the whole text up front (one fast
/// scan); sentences and words only where a chunk finds no stronger boundary (`ensureDetail`).
struct ChunkLayout {
    var map: BoundaryMap
    var headings: [MarkdownHeading]
    /// Spans kept whole when they fit within the limit (markdown blocks).
    var atomic: [Range<Int>]
    /// Sentence and word boundaries are known in `detailFrom..<detailTo`.
    private var detailFrom = 0
    private var detailTo = 0
    /// Atomic spans that fit, by start: no boundary is ever marked inside them.
    private(set) var protected: [Range<Int>] = []
    private var longestProtected = 0

    enum Level {
        static let word = 1
        static let sentence = 2
        static let line = 3
        static let paragraph = 4
    }

    init(_ p: UnsafeBufferPointer<UInt8>, strategy: ChunkStrategy) {
        var map = BoundaryMap(byteCount: p.count)
        map.markGraphemes(p)
        headings = []
        atomic = []
        switch strategy {
        case .recursive:
            map.markLinesAndParagraphs(p, line: Level.line, paragraph: Level.paragraph)
        case .sentence:
            break
        case .markdown:
            map.markLinesAndParagraphs(p, line: Level.line, paragraph: Level.line)
            let structure = MarkdownStructure(p)
            structure.apply(to: &map)
            headings = structure.headings
            atomic = structure.atomic
        }
        self.map = map
    }

    /// Marks sentence and word boundaries at the offsets `range` (both ends included), except
    /// inside protected spans. Callers ask for ranges whose starts do not decrease.
    mutating func ensureDetail(_ p: UnsafeBufferPointer<UInt8>, _ range: ClosedRange<Int>) {
        let n = p.count
        var lo = max(range.lowerBound, 0)
        let hi = min(range.upperBound, n)
        guard lo <= hi else { return }
        if lo >= detailFrom && hi < detailTo { return }
        let contiguous = lo >= detailFrom && lo <= detailTo
        if contiguous { lo = max(lo, detailTo) }
        map.markWords(p, in: lo..<min(n, hi + 1), word: Level.word)
        // UAX #29 looks back over a terminator, closing punctuation and spaces: start a little
        // before (the line start, at most 256 bytes back) so that the state at `lo` is right.
        var s0 = lo
        while s0 > 0 && lo - s0 < 256 && p[s0 - 1] != 0x0A { s0 -= 1 }
        s0 = UTF8Facts.scalarStart(p, s0)
        SentenceSegmenter.boundaries(p, from: s0, to: min(n, hi + 1)) { if $0 >= lo { map.raise($0, to: Level.sentence) } }
        unmarkProtected(lo...hi)
        if contiguous { detailTo = max(detailTo, hi + 1) } else { detailFrom = lo; detailTo = hi + 1 }
    }

    private mutating func unmarkProtected(_ window: ClosedRange<Int>) {
        // The protected spans that start before the window's end, walking back while they can reach it.
        var lo = 0, hi = protected.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if protected[mid].lowerBound <= window.upperBound { lo = mid + 1 } else { hi = mid }
        }
        var k = lo - 1
        while k >= 0 && protected[k].lowerBound + longestProtected >= window.lowerBound {
            let span = protected[k]
            let a = max(span.lowerBound + 1, window.lowerBound), b = min(span.upperBound - 1, window.upperBound)
            if a <= b { for i in a...b { map.flags[i] &= BoundaryMap.insideBit } }
            k -= 1
        }
    }
}

extension ChunkLayout {
    /// Removes the semantic boundaries inside every atomic span that fits within `maxSize`.
    mutating func protectAtomicSpans<M: SizeMeasure>(_ measure: M, maxSize: Int) {
        for span in atomic where measure.size(span.lowerBound, span.upperBound) <= maxSize {
            map.clearLevels(inside: span)
            protected.append(span)
            longestProtected = max(longestProtected, span.count)
        }
        protected.sort { $0.lowerBound < $1.lowerBound }
    }
}
