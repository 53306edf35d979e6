/// The boundary levels of a text for one strategy, and its markdown headings.
struct ChunkLayout {
    var map: BoundaryMap
    var headings: [MarkdownHeading]
    /// Spans kept whole when they fit within the limit (markdown blocks).
    var atomic: [Range<Int>]

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
            map.markWordsLinesParagraphs(p, word: Level.word, line: Level.line, paragraph: Level.paragraph)
            SentenceSegmenter.boundaries(p) { map.raise($0, to: Level.sentence) }
        case .sentence:
            map.markWordsLinesParagraphs(p, word: Level.word, line: Level.word, paragraph: Level.word)
            SentenceSegmenter.boundaries(p) { map.raise($0, to: Level.sentence) }
        case .markdown:
            map.markWordsLinesParagraphs(p, word: Level.word, line: Level.line, paragraph: Level.line)
            SentenceSegmenter.boundaries(p) { map.raise($0, to: Level.sentence) }
            let structure = MarkdownStructure(p)
            structure.apply(to: &map)
            headings = structure.headings
            atomic = structure.atomic
        }
        self.map = map
    }
}

extension ChunkLayout {
    /// Removes the semantic boundaries inside every atomic span that fits within `maxSize`.
    mutating func protectAtomicSpans<M: SizeMeasure>(_ measure: M, maxSize: Int) {
        for span in atomic where measure.size(span.lowerBound, span.upperBound) <= maxSize {
            map.clearLevels(inside: span)
        }
    }
}
