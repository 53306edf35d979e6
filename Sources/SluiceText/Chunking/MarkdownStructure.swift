/// A markdown heading: where its line starts, its depth (1-6) and its text.
struct MarkdownHeading: Sendable, Hashable {
    var position: Int
    var depth: Int
    var title: String
}

/// The block structure of a markdown text that chunking respects: front matter, headings
/// (ATX and setext), block starts, list items, and the blocks that must stay whole when they
/// fit (fenced code blocks, tables and their rows, list items). A line scanner, not a full
/// CommonMark parser: block quotes, HTML blocks and indented code are treated as paragraphs.
struct MarkdownStructure {
    enum Level {
        static let listItem = 4
        static let block = 5
        /// A heading of depth `d` starts a section at level `headingBase - d` (h1 strongest).
        static let headingBase = 12
        static let frontMatter = 12
        /// The first block after a heading: as strong as a sentence end (`ChunkLayout.Level.sentence`).
        static let afterHeading = 2
    }

    private(set) var headings: [MarkdownHeading] = []
    private(set) var blockStarts: [Int] = []
    private(set) var itemStarts: [Int] = []
    /// Spans that are kept whole when they fit: front matter, fences, tables, rows, list items.
    private(set) var atomic: [Range<Int>] = []
    private(set) var frontMatterEnd = 0

    struct Line {
        var start: Int
        var contentEnd: Int
        var end: Int
    }

    init(_ p: UnsafeBufferPointer<UInt8>) {
        let lines = Self.lines(p)
        var i = parseFrontMatter(p, lines)

        var inParagraph = false
        var paragraphStart = 0
        var paragraphLines: [Line] = []
        var afterBlank = true
        var fence: (start: Int, char: UInt8, length: Int)? = nil
        var item: (start: Int, contentIndent: Int, lastEnd: Int)? = nil

        func closeItem() {
            if let it = item { atomic.append(it.start..<it.lastEnd) }
            item = nil
        }

        while i < lines.count {
            let line = lines[i]
            i += 1
            if let f = fence {
                if Self.isClosingFence(p, line, char: f.char, length: f.length) {
                    atomic.append(f.start..<line.contentEnd)
                    fence = nil
                    if item != nil { item?.lastEnd = line.contentEnd }
                }
                continue
            }
            let (indent, first) = Self.indentation(p, line)
            if first >= line.contentEnd {  // blank
                afterBlank = true
                inParagraph = false
                continue
            }
            defer { afterBlank = false }
            let starter = Self.blockStarter(p, line, indent: indent, first: first)

            if let it = item {
                let continues = indent >= it.contentIndent || (!afterBlank && inParagraph && starter == nil)
                if continues {
                    item?.lastEnd = line.contentEnd
                    if case .fence(let c, let len)? = starter { fence = (line.start, c, len) }
                    inParagraph = starter == nil
                    continue
                }
                closeItem()
            }

            switch starter {
            case .heading(let depth)?:
                blockStarts.append(line.start)
                headings.append(MarkdownHeading(position: line.start, depth: depth, title: Self.atxTitle(p, line, first: first)))
                inParagraph = false
            case .fence(let c, let len)?:
                blockStarts.append(line.start)
                fence = (line.start, c, len)
                inParagraph = false
            case .thematicBreak?:
                if inParagraph && !afterBlank && Self.isSetextUnderline(p, line, first: first) {
                    headings.append(MarkdownHeading(position: paragraphStart, depth: 2, title: Self.text(p, paragraphLines)))
                } else {
                    blockStarts.append(line.start)
                }
                inParagraph = false
            case .listItem(let contentIndent)?:
                if item == nil { blockStarts.append(line.start) }
                itemStarts.append(line.start)
                item = (line.start, contentIndent, line.contentEnd)
                inParagraph = true
                paragraphLines = []
            case nil:
                if inParagraph && !afterBlank && Self.isSetextUnderline(p, line, first: first) {
                    headings.append(MarkdownHeading(position: paragraphStart, depth: 1, title: Self.text(p, paragraphLines)))
                    inParagraph = false
                    continue
                }
                if i < lines.count, p[first] != UInt8(ascii: ">"), Self.contains(p, line, UInt8(ascii: "|")),
                   Self.isDelimiterRow(p, lines[i]) {
                    blockStarts.append(line.start)
                    var end = line.contentEnd
                    atomic.append(line.start..<line.contentEnd)
                    while i < lines.count {
                        let row = lines[i]
                        let (_, f) = Self.indentation(p, row)
                        guard f < row.contentEnd, Self.contains(p, row, UInt8(ascii: "|")) else { break }
                        atomic.append(row.start..<row.contentEnd)
                        end = row.contentEnd
                        i += 1
                    }
                    atomic.append(line.start..<end)
                    inParagraph = false
                    continue
                }
                if !inParagraph || afterBlank {
                    blockStarts.append(line.start)
                    paragraphStart = line.start
                    paragraphLines = []
                }
                paragraphLines.append(line)
                inParagraph = true
            }
        }
        if let f = fence { atomic.append(f.start..<p.count) }
        closeItem()
    }

    /// Raises the map's levels at section, block and item starts, and keeps each heading with
    /// what follows it: the cut right after a heading is only as strong as a sentence end, so a
    /// chunk that starts with a heading takes the next block, or its first sentences, when
    /// they fit, and ends after the bare heading only when not even a sentence does.
    func apply(to map: inout BoundaryMap) {
        if frontMatterEnd > 0 && frontMatterEnd < map.count { map.raise(frontMatterEnd, to: Level.frontMatter) }
        for b in blockStarts where b > 0 { map.raise(b, to: Level.block) }
        for s in itemStarts where s > 0 { map.raise(s, to: Level.listItem) }
        for h in headings where h.position > 0 { map.raise(h.position, to: Level.headingBase - h.depth) }
        let headingStarts = Set(headings.map(\.position))
        let starts = (blockStarts + itemStarts).sorted()
        for h in headings {
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] <= h.position { lo = mid + 1 } else { hi = mid }
            }
            if lo < starts.count, !headingStarts.contains(starts[lo]), starts[lo] < map.count {
                map.setLevel(starts[lo], to: Level.afterHeading)
            }
        }
    }

    // MARK: - Front matter

    /// YAML (`---` ... `---` or `...`) or TOML (`+++` ... `+++`) front matter on the first line.
    private mutating func parseFrontMatter(_ p: UnsafeBufferPointer<UInt8>, _ lines: [Line]) -> Int {
        guard let first = lines.first else { return 0 }
        let opener = Self.trimmedText(p, first)
        guard opener == "---" || opener == "+++" else { return 0 }
        for (k, line) in lines.enumerated().dropFirst() {
            let t = Self.trimmedText(p, line)
            if t == opener || (opener == "---" && t == "...") {
                frontMatterEnd = line.end
                atomic.append(0..<line.contentEnd)
                return k + 1
            }
        }
        return 0
    }
}
