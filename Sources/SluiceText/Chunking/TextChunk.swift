/// One chunk of a text.
///
/// Guarantees (for a chunk produced by `Chunker.chunks(of:)` from `source`):
/// - `text` is exactly the source's Unicode scalars `start..<end` (and its UTF-8 bytes
///   `byteStart..<byteEnd`); when trimming is on, that is the chunk's span without its leading
///   and trailing whitespace.
/// - `size <= maxSize`, counted in the chunker's unit on `text` itself.
/// - `start`/`end` fall on grapheme cluster boundaries, except where a single cluster is larger
///   than `maxSize` (only possible with `bytes` or `tokens`), which is then cut between scalars.
public struct TextChunk: Sendable, Hashable {
    /// 0-based position among the document's chunks.
    public var index: Int
    public var text: String
    /// Offset of the first Unicode scalar (code point), 0-based, in the source text.
    public var start: Int
    /// Offset one past the last Unicode scalar.
    public var end: Int
    /// The same span in UTF-8 bytes.
    public var byteStart: Int
    public var byteEnd: Int
    /// Size of `text` in the chunker's unit.
    public var size: Int
    /// Markdown headings enclosing the chunk's start, outermost first (empty for other strategies).
    public var headingPath: [String]

    public init(index: Int, text: String, start: Int, end: Int, byteStart: Int, byteEnd: Int, size: Int, headingPath: [String]) {
        self.index = index
        self.text = text
        self.start = start
        self.end = end
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.size = size
        self.headingPath = headingPath
    }
}
