/// Cuts texts into chunks by a strategy and a size unit.
///
/// Guarantees, for every text:
/// - every chunk's `size` (in `options.unit`, counted on the chunk's own text) is at most
///   `options.maxSize`;
/// - chunks come in text order; each chunk's text is the source's span `start..<end`; the
///   spans, each cut after the end of the one before (the overlap), rebuild the source exactly
///   (with `trim`, what lies between them is whitespace);
/// - cuts fall on grapheme cluster boundaries (unless one cluster alone exceeds the limit) and,
///   with `markdown`, never inside a fenced code block, table or list item that fits whole;
/// - the result depends only on the text and the options.
public struct Chunker: Sendable {
    public let options: ChunkerOptions
    public let tokenizer: HFTokenizer?

    /// Throws the first of `options.problems` when the options cannot be honoured.
    public init(options: ChunkerOptions, tokenizer: HFTokenizer? = nil) throws(ChunkerOptionsError) {
        if let first = options.problems(hasTokenizer: tokenizer != nil).first { throw first }
        self.options = options
        self.tokenizer = tokenizer
    }

    /// The chunks of `text`, in order, indexed from 0.
    public func chunks(of text: String) -> [TextChunk] {
        var text = text
        return text.withUTF8 { p in
            let layout = ChunkLayout(p, strategy: options.strategy)
            switch options.unit {
            case .bytes: return cut(p, layout, ByteMeasure(count: p.count))
            case .chars: return cut(p, layout, GraphemeMeasure(map: layout.map))
            case .words: return cut(p, layout, WordMeasure(p))
            case .tokens:
                // `init` guarantees a tokenizer for this unit.
                guard let tokenizer else { return cut(p, layout, GraphemeMeasure(map: layout.map)) }
                return cut(p, layout, TokenMeasure(p, tokenizer: tokenizer))
            }
        }
    }

    /// The size of `text` in the chunker's unit.
    public func size(of text: String) -> Int {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { mp in
            let p = UnsafeBufferPointer(mp)
            switch options.unit {
            case .bytes: return p.count
            case .words: return WordMeasure(p).size(0, p.count)
            case .chars: return text.count
            case .tokens: return tokenizer?.count(text) ?? 0
            }
        }
    }

    private func cut<M: SizeMeasure>(_ p: UnsafeBufferPointer<UInt8>, _ layout: ChunkLayout, _ measure: M) -> [TextChunk] {
        var layout = layout
        layout.protectAtomicSpans(measure, maxSize: options.maxSize)
        var search = ChunkSearch(bytes: p, layout: layout, measure: measure, maxSize: options.maxSize,
                                 overlap: options.overlap, trim: options.trim)
        let spans = search.spans()
        let finisher = ChunkFinisher(bytes: p, map: search.layout.map, measure: measure, options: options)
        return finisher.finish(spans, headings: search.layout.headings)
    }
}
