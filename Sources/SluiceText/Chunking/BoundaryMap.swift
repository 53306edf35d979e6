import Foundation

/// Where a text may be cut, and how strongly each place separates what is on either side.
///
/// One byte per UTF-8 offset `0...count`: bit 7 is set where no grapheme cluster starts (inside
/// a UTF-8 sequence or a cluster), so cutting is allowed only where it is clear; bits 0-6 hold
/// the boundary level (0: no semantic boundary; higher is stronger: word, sentence, line,
/// section start...). Plain ASCII text needs no writes for clusters.
struct BoundaryMap {
    static let insideBit: UInt8 = 0x80
    static let levelMask: UInt8 = 0x7F

    var flags: [UInt8]
    /// Offsets where no cluster starts, ascending (for counting clusters by subtraction).
    private(set) var nonStarts: [Int] = []

    init(byteCount: Int) {
        flags = [UInt8](repeating: 0, count: byteCount + 1)
    }

    var count: Int { flags.count - 1 }

    @inline(__always) func isGraphemeStart(_ i: Int) -> Bool { flags[i] & Self.insideBit == 0 }
    @inline(__always) func level(_ i: Int) -> Int { Int(flags[i] & Self.levelMask) }

    /// Raises the level at `i` to at least `level`.
    @inline(__always) mutating func raise(_ i: Int, to level: Int) {
        let old = flags[i] & Self.levelMask
        if level > old { flags[i] = (flags[i] & Self.insideBit) | UInt8(level) }
    }

    /// Sets the level at `i` to exactly `level` (lowering it if need be).
    @inline(__always) mutating func setLevel(_ i: Int, to level: Int) {
        flags[i] = (flags[i] & Self.insideBit) | UInt8(level)
    }

    /// Sets the level of every position strictly inside `range` to 0: for blocks kept whole.
    mutating func clearLevels(inside range: Range<Int>) {
        guard range.count > 1 else { return }
        for i in (range.lowerBound + 1)..<range.upperBound { flags[i] &= Self.insideBit }
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

    /// The start of the scalar that contains offset `i`.
    @inline(__always) static func scalarStart(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var k = i
        while k > 0 && k < p.count && isContinuation(p[k]) { k -= 1 }
        return k
    }
}

extension BoundaryMap {
    /// Marks every offset where no extended grapheme cluster starts.
    ///
    /// Between two ASCII bytes there is always a cluster boundary except inside CR LF, so blocks
    /// of eight ASCII bytes without CR are skipped, and only the stretches around non-ASCII text
    /// go through the standard library's grapheme breaking, each started and ended at a
    /// boundary known from that rule.
    mutating func markGraphemes(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return }
        var found: [Int] = []
        flags.withUnsafeMutableBufferPointer { f in
            var lastKnown = 0
            var i = 0
            while i < n {
                if i + 8 <= n && (i == 0 || (p[i - 1] < 0x80 && p[i - 1] != 0x0D)) {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    // No high bit and no 0x0D byte in the block: all cluster starts.
                    let x = word ^ 0x0D0D_0D0D_0D0D_0D0D
                    let hasCR = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                    if word & 0x8080_8080_8080_8080 == 0 && hasCR == 0 {
                        i += 8
                        lastKnown = i - 1
                        continue
                    }
                }
                let b = p[i]
                if b < 0x80 && (i == 0 || p[i - 1] < 0x80) {
                    if b == 0x0A && i > 0 && p[i - 1] == 0x0D {
                        f[i] |= Self.insideBit
                        found.append(i)
                    } else {
                        lastKnown = i
                    }
                    i += 1
                    continue
                }
                var j = i + 1
                while j < n && !(p[j] < 0x80 && p[j - 1] < 0x80 && !(p[j] == 0x0A && p[j - 1] == 0x0D)) { j += 1 }
                if Self.onlySimpleScalars(p, lastKnown..<j) {
                    // Each scalar is a cluster (CR LF aside): only continuation bytes are inside.
                    for k in lastKnown..<j where f[k] & Self.insideBit == 0 {
                        if UTF8Facts.isContinuation(p[k]) || (p[k] == 0x0A && k > 0 && p[k - 1] == 0x0D) {
                            f[k] |= Self.insideBit
                            found.append(k)
                        }
                    }
                    i = j
                    lastKnown = j
                    continue
                }
                let stretch = String(decoding: UnsafeBufferPointer(rebasing: p[lastKnown..<j]), as: UTF8.self)
                var starts: [Int] = []
                var offset = lastKnown
                var idx = stretch.startIndex
                while idx < stretch.endIndex {
                    starts.append(offset)
                    let next = stretch.index(after: idx)
                    offset += stretch.utf8.distance(from: idx, to: next)
                    idx = next
                }
                var s = 0
                for k in lastKnown..<j {
                    if s < starts.count && starts[s] == k { s += 1; continue }
                    if f[k] & Self.insideBit != 0 { continue }  // the LF of a CR LF just before
                    f[k] |= Self.insideBit
                    found.append(k)
                }
                i = j
                lastKnown = j
            }
        }
        nonStarts = found
    }

    /// Whether every scalar in `range` forms a cluster of its own whatever surrounds it: ASCII,
    /// Latin, Greek, Cyrillic letters and common punctuation, none of which is an extending,
    /// joining, prepended, spacing-mark, Hangul or regional-indicator character.
    static func onlySimpleScalars(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var k = range.lowerBound
        while k < range.upperBound {
            let (v, len) = UTF8Facts.decode(p, k)
            switch v {
            case 0..<0x300, 0x370..<0x483, 0x2010..<0x2028, 0x2030..<0x2060, 0x2070..<0x20D0, 0x2100..<0x2300: break
            default: return false
            }
            k += len
        }
        return true
    }

    /// Line starts (after LF, level `line`) and paragraph starts (the first non-blank line after
    /// a blank one, level `paragraph`).
    mutating func markLinesAndParagraphs(_ p: UnsafeBufferPointer<UInt8>, line: Int, paragraph: Int) {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return }
        flags.withUnsafeMutableBufferPointer { f in
            func raise(_ i: Int, _ level: Int) {
                if Int(f[i] & Self.levelMask) < level { f[i] = (f[i] & Self.insideBit) | UInt8(level) }
            }
            var sawBlank = false
            var i = 0
            while i < n {
                guard let hit = memchr(base + i, 0x0A, n - i) else { break }
                let start = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                i = start
                guard start < n else { break }
                // Is the line that starts here blank (only spaces, tabs, CR)?
                var k = start
                while k < n && (p[k] == 0x20 || p[k] == 0x09 || p[k] == 0x0D || p[k] == 0x0B || p[k] == 0x0C) { k += 1 }
                if k < n && p[k] == 0x0A {
                    sawBlank = true
                    continue
                }
                raise(start, sawBlank ? paragraph : line)
                sawBlank = false
            }
        }
    }

    /// Word starts (a non-whitespace scalar after whitespace) in `range`, at level `word`.
    mutating func markWords(_ p: UnsafeBufferPointer<UInt8>, in range: Range<Int>, word: Int) {
        guard !range.isEmpty else { return }
        var i = UTF8Facts.scalarStart(p, range.lowerBound)
        var prevWhite = true
        if i > 0 {
            let before = UTF8Facts.scalarStart(p, i - 1)
            prevWhite = UTF8Facts.isWhitespace(UTF8Facts.decode(p, before).0)
        }
        while i < range.upperBound && i < p.count {
            let (v, len) = UTF8Facts.decode(p, i)
            let white = UTF8Facts.isWhitespace(v)
            if !white && prevWhite && i > 0 { raise(i, to: word) }
            prevWhite = white
            i += len
        }
    }
}
