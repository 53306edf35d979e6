/// Trimming by whole grapheme clusters made only of whitespace, so that trimming never cuts a
/// cluster (a space followed by a combining mark is not trimmed).
struct WhitespaceTrimmer {
    let bytes: UnsafeBufferPointer<UInt8>
    let map: BoundaryMap

    /// `span` without its leading and trailing whitespace clusters (empty when all whitespace).
    func trimmed(_ span: Range<Int>) -> Range<Int> {
        let a = skipForward(span.lowerBound, limit: span.upperBound)
        return a..<skipBackward(span.upperBound, floor: a)
    }

    /// The first offset at or after `a` (at most `limit`) not inside leading whitespace clusters.
    func skipForward(_ a: Int, limit: Int) -> Int {
        var a = a
        while a < limit {
            if bytes[a] > 0x20 && bytes[a] < 0x80 { return a }  // fast path: visible ASCII
            var g = a
            var allWhite = true
            repeat {
                let (v, len) = UTF8Facts.decode(bytes, g)
                if !UTF8Facts.isWhitespace(v) { allWhite = false }
                g += len
            } while g < limit && !map.isGraphemeStart(g)
            guard allWhite else { return a }
            a = g
        }
        return a
    }

    /// The offset at or before `b` (at least `floor`) before its trailing whitespace clusters.
    func skipBackward(_ b: Int, floor: Int) -> Int {
        var b = b
        while b > floor {
            if bytes[b - 1] > 0x20 && bytes[b - 1] < 0x80 { return b }
            var g = b - 1
            while g > floor && !map.isGraphemeStart(g) { g -= 1 }
            var k = g
            while k < b {
                let (v, len) = UTF8Facts.decode(bytes, k)
                if !UTF8Facts.isWhitespace(v) { return b }
                k += len
            }
            b = g
        }
        return b
    }
}
