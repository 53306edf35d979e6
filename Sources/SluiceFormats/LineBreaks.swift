/// Line structure in decoded text: a line ends at `\n`, `\r\n` or a lone `\r` (old Mac files, and
/// what some exporters still write). Readers that look for lines use these, never a search for
/// `"\n"` alone (in a Swift `String`, `"\r\n"` is one `Character` that is not equal to `"\n"`).
extension Substring {
    /// The first line (without its break) and the text after the break; nil when empty.
    func splitFirstLine() -> (line: Substring, rest: Substring)? {
        let bytes = utf8
        guard !bytes.isEmpty else { return nil }
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == 0x0A { return (self[startIndex..<i], self[bytes.index(after: i)...]) }
            if b == 0x0D {
                let next = bytes.index(after: i)
                if next != bytes.endIndex, bytes[next] == 0x0A { return (self[startIndex..<i], self[bytes.index(after: next)...]) }
                return (self[startIndex..<i], self[next...])
            }
            bytes.formIndex(after: &i)
        }
        return (self, self[endIndex...])
    }

    /// Every line, without breaks, in order (a final break does not start an empty line).
    var lines: [Substring] {
        var out: [Substring] = []
        var rest = self
        while let (line, after) = rest.splitFirstLine() {
            out.append(line)
            rest = after
        }
        return out
    }

    /// The text without its one final line break (`\n`, `\r\n` or `\r`), if it has one: the break
    /// ends the file's last line and is not part of the document's text.
    func droppingFinalLineBreak() -> Substring {
        let bytes = utf8
        guard let last = bytes.last else { return self }
        if last == 0x0A {
            let beforeLF = bytes.index(before: bytes.endIndex)
            if beforeLF != bytes.startIndex, bytes[bytes.index(before: beforeLF)] == 0x0D {
                return self[startIndex..<bytes.index(before: beforeLF)]
            }
            return self[startIndex..<beforeLF]
        }
        if last == 0x0D { return self[startIndex..<bytes.index(before: bytes.endIndex)] }
        return self
    }

    /// The text with every `\r\n` and lone `\r` turned into `\n` (line numbers stay the same).
    func withLFLineBreaks() -> String {
        guard utf8.contains(0x0D) else { return String(self) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for b in utf8 {
            if b == 0x0D {
                out.append(0x0A)
                previousCR = true
                continue
            }
            if b == 0x0A && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
