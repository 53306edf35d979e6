/// How a text is cut into chunks.
public enum ChunkStrategy: String, Sendable, CaseIterable {
    /// Paragraphs, then lines, then sentences, then words, then grapheme clusters: at each chunk
    /// the largest of these units that fits wins, and as many of them as fit are packed together.
    case recursive
    /// Markdown structure first: front matter, then sections (a heading starts one; higher
    /// headings are stronger boundaries), then blocks. Fenced code blocks, tables and list items
    /// are kept whole unless a single one exceeds the limit. Then lines, sentences, words.
    case markdown
    /// Unicode sentences (UAX #29) packed up to the limit; a single longer sentence falls back
    /// to words, then grapheme clusters.
    case sentence
}

/// The unit `max_size`, `min_size`, `overlap` and each chunk's `size` are counted in.
public enum ChunkSizeUnit: String, Sendable, CaseIterable {
    /// Extended grapheme clusters (user-perceived characters, Swift `Character`s).
    case chars
    /// UTF-8 bytes.
    case bytes
    /// Maximal runs of non-whitespace (Unicode White_Space) characters.
    case words
    /// Tokens of a Hugging Face `tokenizer.json` tokenizer, without special tokens.
    case tokens
}

/// The options of a `Chunker`.
public struct ChunkerOptions: Sendable, Hashable {
    public var strategy: ChunkStrategy
    public var unit: ChunkSizeUnit
    /// Hard limit: no chunk is larger, in `unit`.
    public var maxSize: Int
    /// Chunks smaller than this are merged into a neighbour when the merged chunk still fits.
    public var minSize: Int
    /// How much of the end of a chunk is repeated at the start of the next, at most (in `unit`).
    public var overlap: Int
    /// Whether each chunk's leading and trailing whitespace is left out of its text (and its
    /// offsets). Chunks that are only whitespace are then left out.
    public var trim: Bool

    public init(strategy: ChunkStrategy = .recursive, unit: ChunkSizeUnit = .chars, maxSize: Int,
                minSize: Int = 0, overlap: Int = 0, trim: Bool = true) {
        self.strategy = strategy
        self.unit = unit
        self.maxSize = maxSize
        self.minSize = minSize
        self.overlap = overlap
        self.trim = trim
    }

    /// The smallest `max_size` for a unit: a single Unicode scalar must always fit, so that a
    /// hard limit can be kept whatever the text (a scalar is up to 4 UTF-8 bytes, and up to 5
    /// tokens: 4 byte-level or byte-fallback tokens and a prefix space).
    public static func minimumMaxSize(for unit: ChunkSizeUnit) -> Int {
        switch unit {
        case .chars, .words: return 1
        case .bytes: return 4
        case .tokens: return 8
        }
    }
}

/// Why a `Chunker` cannot be built with these options.
public struct ChunkerOptionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The option at fault, as spelled in pipelines (`max_size`).
    public var option: String
    public var message: String
    public var description: String { "\(option): \(message)" }
}

extension ChunkerOptions {
    /// Every problem with these options, in a fixed order (empty when they are usable).
    public func problems(hasTokenizer: Bool) -> [ChunkerOptionsError] {
        var out: [ChunkerOptionsError] = []
        let least = Self.minimumMaxSize(for: unit)
        if maxSize < least {
            out.append(.init(option: "max_size", message: "must be at least \(least) when counting \(unit.rawValue), not \(maxSize)"))
        }
        if minSize < 0 {
            out.append(.init(option: "min_size", message: "must not be negative"))
        } else if minSize > maxSize {
            out.append(.init(option: "min_size", message: "must not be larger than max_size (\(maxSize))"))
        }
        if overlap < 0 {
            out.append(.init(option: "overlap", message: "must not be negative"))
        } else if overlap >= maxSize && maxSize >= least {
            out.append(.init(option: "overlap", message: "must be smaller than max_size (\(maxSize)), or no chunk could add new text"))
        }
        if unit == .tokens && !hasTokenizer {
            out.append(.init(option: "tokenizer", message: "unit 'tokens' needs a tokenizer.json file"))
        }
        return out
    }
}
