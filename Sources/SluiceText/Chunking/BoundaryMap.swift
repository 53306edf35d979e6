/// Where a text may be cut, and how strongly each place separates what is on either side.
///
/// One byte per UTF-8 offset `0...count`: bit 7 says a grapheme cluster starts there (cutting
/// there keeps clusters whole), bits 0-6 hold the boundary level (0: only a grapheme boundary;
/// higher is a stronger semantic boundary, such as a word, sentence, line or section start).
struct BoundaryMap {
    static let graphemeBit: UInt8 = 0x80
    static let levelMask: UInt8 = 0x7F

    var flags: [UInt8]

    init(byteCount: Int) {
        flags = [UInt8](repeating: 0, count: byteCount + 1)
    }

    var count: Int { flags.count - 1 }

    @inline(__always) func isGraphemeStart(_ i: Int) -> Bool { flags[i] & Self.graphemeBit != 0 }
    @inline(__always) func level(_ i: Int) -> Int { Int(flags[i] & Self.levelMask) }

    /// Raises the level at `i` to at least `level`.
    @inline(__always) mutating func raise(_ i: Int, to level: Int) {
        let old = flags[i] & Self.levelMask
        if level > old { flags[i] = (flags[i] & Self.graphemeBit) | UInt8(level) }
    }

    /// Sets the level of every position strictly inside `range` to 0, keeping grapheme bits:
    /// used for blocks that must stay whole.
    mutating func clearLevels(inside range: Range<Int>) {
        guard range.count > 1 else { return }
        for i in (range.lowerBound + 1)..<range.upperBound { flags[i] &= Self.graphemeBit }
    }
}

/// Byte-level facts about UTF-8 text that the chunker needs.
enum UTF8Facts {
    @inline(__always) static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Decodes the scalar starting at `i` (the text is valid UTF-8); returns it and its length.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2) }
        if b0 < 0xF0 {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        return (((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
            | (UInt32(p[i + 3]) & 0x3F), 4)
    }

    /// Unicode White_Space.
    @inline(__always) static func isWhitespace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

extension BoundaryMap {
    /// Marks the start of every extended grapheme cluster (and the end of the text).
    ///
    /// Between two ASCII bytes there is always a cluster boundary except inside CR LF, so only
    /// the stretches around non-ASCII text go through the standard library's grapheme breaking,
    /// each started and ended at a boundary known from that rule.
    mutating func markGraphemes(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        flags[n] |= Self.graphemeBit
        var lastKnown = 0
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 && (i == 0 || p[i - 1] < 0x80) {
                if !(b == 0x0A && i > 0 && p[i - 1] == 0x0D) {
                    flags[i] |= Self.graphemeBit
                    lastKnown = i
                }
                i += 1
                continue
            }
            // A stretch with non-ASCII text: from the last known boundary to the next position
            // between two ASCII bytes that are not CR LF.
            var j = i + 1
            while j < n && !(p[j] < 0x80 && p[j - 1] < 0x80 && !(p[j] == 0x0A && p[j - 1] == 0x0D)) { j += 1 }
            let stretch = String(decoding: UnsafeBufferPointer(rebasing: p[lastKnown..<j]), as: UTF8.self)
            var offset = lastKnown
            var idx = stretch.startIndex
            while idx < stretch.endIndex {
                flags[offset] |= Self.graphemeBit
                let next = stretch.index(after: idx)
                offset += stretch.utf8.distance(from: idx, to: next)
                idx = next
            }
            i = j
            lastKnown = j
        }
    }

    /// Word starts (level `word`), line starts (level `line`) and paragraph starts (the first
    /// non-blank line after a blank one, level `paragraph`). Separators stay with what precedes.
    mutating func markWordsLinesParagraphs(_ p: UnsafeBufferPointer<UInt8>, word: Int, line: Int, paragraph: Int) {
        let n = p.count
        var prevWhite = true
        var lineBlank = true  // the current line so far holds only whitespace
        var sawBlankLine = false  // a blank line ended since the last non-blank line
        var lineStart = 0
        var i = 0
        while i < n {
            let (v, len) = UTF8Facts.decode(p, i)
            let white = UTF8Facts.isWhitespace(v)
            if !white {
                if prevWhite && i > 0 { raise(i, to: word) }
                if lineBlank {
                    lineBlank = false
                    if sawBlankLine && lineStart > 0 { raise(lineStart, to: paragraph) }
                    sawBlankLine = false
                }
            }
            let isBreak = v == 0x0A || (v == 0x0D && !(i + 1 < n && p[i + 1] == 0x0A)) || v == 0x2028 || v == 0x2029 || v == 0x85
            if isBreak {
                if lineBlank && lineStart > 0 { sawBlankLine = true }
                if i + len < n { raise(i + len, to: line) }
                lineStart = i + len
                lineBlank = true
            }
            prevWhite = white
            i += len
        }
    }
}
