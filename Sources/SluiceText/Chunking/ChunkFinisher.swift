/// Turns the search's spans into chunks: merges chunks under `min_size` into a neighbour,
/// trims whitespace, measures, and converts offsets to Unicode scalars.
struct ChunkFinisher<M: SizeMeasure> {
    let bytes: UnsafeBufferPointer<UInt8>
    let map: BoundaryMap
    let measure: M
    let options: ChunkerOptions

    private struct Piece {
        var span: Range<Int>  // as cut (what rebuilds the source)
        var text: Range<Int>  // as emitted (trimmed when trimming)
        var size: Int
    }

    func finish(_ spans: [Range<Int>], headings: [MarkdownHeading]) -> [TextChunk] {
        var pieces: [Piece] = []
        pieces.reserveCapacity(spans.count)
        for span in spans {
            let piece = self.piece(span)
            if options.minSize > 0, let last = pieces.last, last.size < options.minSize || piece.size < options.minSize {
                let merged = self.piece(last.span.lowerBound..<span.upperBound)
                if merged.size <= options.maxSize {
                    pieces[pieces.count - 1] = merged
                    continue
                }
            }
            pieces.append(piece)
        }
        if options.trim {
            // Whitespace-only pieces, and overlapping pieces whose new part was only whitespace.
            var reached = 0
            pieces.removeAll { piece in
                if piece.text.isEmpty || piece.text.upperBound <= reached { return true }
                reached = piece.text.upperBound
                return false
            }
        }

        let paths = HeadingPaths(headings)
        var startScalars = ScalarCounter(bytes)
        var endScalars = ScalarCounter(bytes)
        var out: [TextChunk] = []
        out.reserveCapacity(pieces.count)
        for (k, piece) in pieces.enumerated() {
            let r = piece.text
            out.append(TextChunk(
                index: k,
                text: String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self),
                start: startScalars.scalars(upTo: r.lowerBound),
                end: endScalars.scalars(upTo: r.upperBound),
                byteStart: r.lowerBound, byteEnd: r.upperBound,
                size: piece.size,
                headingPath: paths.path(at: r.lowerBound)))
        }
        return out
    }

    private func piece(_ span: Range<Int>) -> Piece {
        guard options.trim else { return Piece(span: span, text: span, size: measure.size(span.lowerBound, span.upperBound)) }
        let t = WhitespaceTrimmer(bytes: bytes, map: map).trimmed(span)
        return Piece(span: span, text: t, size: t.isEmpty ? 0 : measure.size(t.lowerBound, t.upperBound))
    }
}

/// Counts Unicode scalars from the start of the text to increasing UTF-8 offsets, in one pass.
struct ScalarCounter {
    let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var scalars = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Offsets must not decrease between calls.
    mutating func scalars(upTo target: Int) -> Int {
        if let base = bytes.baseAddress {
            // Eight bytes at a time: a scalar starts at every byte that is not 10xxxxxx.
            while offset + 8 <= target {
                let w = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                let continuation = w & ~(w << 1) & 0x8080_8080_8080_8080
                scalars += 8 - continuation.nonzeroBitCount
                offset += 8
            }
        }
        while offset < target {
            if !UTF8Facts.isContinuation(bytes[offset]) { scalars += 1 }
            offset += 1
        }
        return scalars
    }
}

/// The heading path in force at each offset of a markdown text.
struct HeadingPaths {
    private var positions: [Int] = []
    private var paths: [[String]] = []

    init(_ headings: [MarkdownHeading]) {
        var stack: [(depth: Int, title: String)] = []
        for h in headings.sorted(by: { $0.position < $1.position }) {
            while let last = stack.last, last.depth >= h.depth { stack.removeLast() }
            stack.append((h.depth, h.title))
            positions.append(h.position)
            paths.append(stack.map(\.title))
        }
    }

    func path(at offset: Int) -> [String] {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positions[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? [] : paths[lo - 1]
    }
}
