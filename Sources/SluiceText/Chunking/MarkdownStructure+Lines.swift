/// Line-level recognisers for `MarkdownStructure`.
extension MarkdownStructure {
    enum Starter: Equatable {
        case heading(Int)
        case fence(UInt8, Int)
        case thematicBreak
        case listItem(contentIndent: Int)
    }

    fileprivate static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    static func lines(_ p: UnsafeBufferPointer<UInt8>) -> [Line] {
        var out: [Line] = []
        var s = 0
        var i = 0
        let n = p.count
        while i < n {
            if p[i] == 0x0A {
                var ce = i
                if ce > s && p[ce - 1] == 0x0D { ce -= 1 }
                out.append(Line(start: s, contentEnd: ce, end: i + 1))
                s = i + 1
            }
            i += 1
        }
        if s < n { out.append(Line(start: s, contentEnd: n, end: n)) }
        return out
    }

    /// Leading indentation in columns (a tab counts 4) and the offset of the first other byte.
    static func indentation(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> (Int, Int) {
        var cols = 0
        var i = line.start
        while i < line.contentEnd && (p[i] == space || p[i] == tab) {
            cols += p[i] == tab ? 4 - cols % 4 : 1
            i += 1
        }
        // Whitespace-only lines (including other Unicode spaces) count as blank.
        var j = i
        while j < line.contentEnd && (p[j] == space || p[j] == tab || p[j] == 0x0B || p[j] == 0x0C) { j += 1 }
        return (cols, j >= line.contentEnd ? line.contentEnd : i)
    }

    static func blockStarter(_ p: UnsafeBufferPointer<UInt8>, _ line: Line, indent: Int, first: Int) -> Starter? {
        guard indent <= 3 else { return nil }
        let end = line.contentEnd
        let c = p[first]
        func run(_ ch: UInt8, from i: Int) -> Int {
            var k = i
            while k < end && p[k] == ch { k += 1 }
            return k - i
        }
        if c == UInt8(ascii: "#") {
            let n = run(c, from: first)
            if n <= 6 && (first + n == end || p[first + n] == space || p[first + n] == tab) { return .heading(n) }
            return nil
        }
        if c == UInt8(ascii: "`") || c == UInt8(ascii: "~") {
            let n = run(c, from: first)
            if n >= 3 {
                if c == UInt8(ascii: "`") && (first + n..<end).contains(where: { p[$0] == c }) { return nil }
                return .fence(c, n)
            }
            return nil
        }
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "_") {
            var count = 0
            var onlyMarks = true
            for k in first..<end {
                if p[k] == c { count += 1 } else if p[k] != space && p[k] != tab { onlyMarks = false; break }
            }
            if onlyMarks && count >= 3 { return .thematicBreak }
        }
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+") {
            return listContent(p, after: first + 1, end: end, indent: indent, width: 1)
        }
        if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
            var k = first
            while k < end && k - first < 9 && p[k] >= UInt8(ascii: "0") && p[k] <= UInt8(ascii: "9") { k += 1 }
            if k < end && (p[k] == UInt8(ascii: ".") || p[k] == UInt8(ascii: ")")) {
                return listContent(p, after: k + 1, end: end, indent: indent, width: k + 1 - first)
            }
        }
        return nil
    }

    private static func listContent(_ p: UnsafeBufferPointer<UInt8>, after i: Int, end: Int, indent: Int, width: Int) -> Starter? {
        if i == end { return .listItem(contentIndent: indent + width + 1) }
        guard p[i] == space || p[i] == tab else { return nil }
        var k = i
        while k < end && k - i < 4 && p[k] == space { k += 1 }
        return .listItem(contentIndent: indent + width + max(1, k - i))
    }

    static func isClosingFence(_ p: UnsafeBufferPointer<UInt8>, _ line: Line, char: UInt8, length: Int) -> Bool {
        let (indent, first) = indentation(p, line)
        guard indent <= 3, first < line.contentEnd else { return false }
        var k = first
        while k < line.contentEnd && p[k] == char { k += 1 }
        guard k - first >= length else { return false }
        while k < line.contentEnd && (p[k] == space || p[k] == tab) { k += 1 }
        return k == line.contentEnd
    }

    static func isSetextUnderline(_ p: UnsafeBufferPointer<UInt8>, _ line: Line, first: Int) -> Bool {
        let c = p[first]
        guard c == UInt8(ascii: "=") || c == UInt8(ascii: "-") else { return false }
        var k = first
        while k < line.contentEnd && p[k] == c { k += 1 }
        while k < line.contentEnd && (p[k] == space || p[k] == tab) { k += 1 }
        return k == line.contentEnd
    }

    /// `|---|:--:|`, `--- | ---`: cells of dashes with optional colons, at least one pipe.
    static func isDelimiterRow(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> Bool {
        var sawPipe = false, sawDash = false
        for k in line.start..<line.contentEnd {
            switch p[k] {
            case UInt8(ascii: "|"): sawPipe = true
            case UInt8(ascii: "-"): sawDash = true
            case UInt8(ascii: ":"), space, tab: break
            default: return false
            }
        }
        return sawPipe && sawDash
    }

    static func contains(_ p: UnsafeBufferPointer<UInt8>, _ line: Line, _ byte: UInt8) -> Bool {
        (line.start..<line.contentEnd).contains { p[$0] == byte }
    }

    static func trimmedText(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> String {
        trimmed(String(decoding: UnsafeBufferPointer(rebasing: p[line.start..<line.contentEnd]), as: UTF8.self))
    }

    /// `## Title ##` → `Title`.
    static func atxTitle(_ p: UnsafeBufferPointer<UInt8>, _ line: Line, first: Int) -> String {
        var s = first
        while s < line.contentEnd && p[s] == UInt8(ascii: "#") { s += 1 }
        var e = line.contentEnd
        while e > s && (p[e - 1] == space || p[e - 1] == tab) { e -= 1 }
        var h = e
        while h > s && p[h - 1] == UInt8(ascii: "#") { h -= 1 }
        if h < e && (h == s || p[h - 1] == space || p[h - 1] == tab) { e = h }
        return trimmed(String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self))
    }

    static func text(_ p: UnsafeBufferPointer<UInt8>, _ lines: [Line]) -> String {
        lines.map { trimmedText(p, $0) }.joined(separator: " ")
    }
}

extension MarkdownStructure {
    fileprivate static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let s = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let e = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[s...e])
    }
}
