/// A token of the mapping language with the UTF-8 offsets it spans.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// `%name`
        case metadata(String)
        /// A number's text, as written.
        case number(String, isInteger: Bool)
        /// A `"…"` string: text pieces and the offsets of `{{ … }}` expressions inside it.
        case string([StringPiece])
        /// `r'…'`: no escapes, no interpolation (regex patterns).
        case rawString(String)
        /// Punctuation and operators: `.`, `[`, `==`, `??`, ...
        case symbol(String)
        /// A line break or `;`: ends a statement.
        case newline
        case end
    }
    var kind: Kind
    var start: Int
    var end: Int
}

enum StringPiece: Sendable, Equatable {
    case text(String)
    /// The UTF-8 offsets of an interpolated expression's source.
    case code(Range<Int>)
}

/// A lexing problem: where and what.
struct LexError: Error {
    var at: Int
    var message: String
}

/// Turns mapping source into tokens, on demand. Works on UTF-8 bytes; every token knows its
/// offsets, so errors point at the exact place.
struct MapLexer {
    let bytes: [UInt8]
    var pos: Int
    let end: Int

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        pos = range.lowerBound
        end = range.upperBound
    }

    private static let twoCharSymbols: Set<String> = ["==", "!=", "<=", ">=", "&&", "||", "??"]
    private static let oneCharSymbols: Set<UInt8> = Set("=<>!+-*/.[](){},:".utf8)

    mutating func next() throws(LexError) -> Token {
        skipSpaceAndComments()
        guard pos < end else { return Token(kind: .end, start: end, end: end) }
        let start = pos
        let c = bytes[pos]
        if c == 10 || c == 59 { // \n ;
            pos += 1
            return Token(kind: .newline, start: start, end: pos)
        }
        if c == UInt8(ascii: "r"), pos + 1 < end, bytes[pos + 1] == UInt8(ascii: "'") {
            pos += 2
            let from = pos
            while pos < end, bytes[pos] != UInt8(ascii: "'") { pos += 1 }
            guard pos < end else { throw LexError(at: start, message: "raw string r'…' is not closed") }
            let text = String(decoding: bytes[from..<pos], as: UTF8.self)
            pos += 1
            return Token(kind: .rawString(text), start: start, end: pos)
        }
        if isIdentStart(c) {
            while pos < end, isIdentPart(bytes[pos]) { pos += 1 }
            return Token(kind: .identifier(String(decoding: bytes[start..<pos], as: UTF8.self)), start: start, end: pos)
        }
        if c == UInt8(ascii: "%") {
            pos += 1
            let from = pos
            while pos < end, isIdentPart(bytes[pos]) { pos += 1 }
            guard pos > from else { throw LexError(at: start, message: "'%' must be followed by a metadata name such as %file_stem") }
            return Token(kind: .metadata(String(decoding: bytes[from..<pos], as: UTF8.self)), start: start, end: pos)
        }
        if isDigit(c) { return try number(start) }
        if c == UInt8(ascii: "\"") { return try string(start) }
        if pos + 1 < end {
            let two = String(decoding: bytes[pos..<pos + 2], as: UTF8.self)
            if Self.twoCharSymbols.contains(two) {
                pos += 2
                return Token(kind: .symbol(two), start: start, end: pos)
            }
        }
        if Self.oneCharSymbols.contains(c) {
            pos += 1
            return Token(kind: .symbol(String(UnicodeScalar(c))), start: start, end: pos)
        }
        if c == UInt8(ascii: "&") || c == UInt8(ascii: "|") {
            throw LexError(at: start, message: "'\(UnicodeScalar(c))' alone is not an operator (write '\(UnicodeScalar(c))\(UnicodeScalar(c))')")
        }
        let scalar = String(decoding: bytes[start..<min(end, start + utf8Length(c))], as: UTF8.self)
        throw LexError(at: start, message: "unexpected character '\(scalar)'")
    }

    private mutating func skipSpaceAndComments() {
        while pos < end {
            let c = bytes[pos]
            if c == 32 || c == 9 || c == 13 {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while pos < end, bytes[pos] != 10 { pos += 1 }
            } else if c == UInt8(ascii: "\\"), pos + 1 < end, bytes[pos + 1] == 10 {
                pos += 2 // a line continued
            } else {
                return
            }
        }
    }

    private mutating func number(_ start: Int) throws(LexError) -> Token {
        var isInteger = true
        while pos < end, isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
        if pos + 1 < end, bytes[pos] == UInt8(ascii: "."), isDigit(bytes[pos + 1]) {
            isInteger = false
            pos += 1
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < end, isDigit(bytes[pos]) else { throw LexError(at: start, message: "number with an empty exponent") }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, isIdentStart(bytes[pos]) { throw LexError(at: start, message: "a number cannot run into a name") }
        let text = String(decoding: bytes[start..<pos].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        return Token(kind: .number(text, isInteger: isInteger), start: start, end: pos)
    }

    /// `"text {{ expr }} text"` with escapes `\" \\ \n \t \r \{ \u{HEX}`.
    private mutating func string(_ start: Int) throws(LexError) -> Token {
        pos += 1
        var pieces: [StringPiece] = []
        var buffer: [UInt8] = []
        func flush() {
            if !buffer.isEmpty { pieces.append(.text(String(decoding: buffer, as: UTF8.self))); buffer.removeAll() }
        }
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                flush()
                return Token(kind: .string(pieces), start: start, end: pos)
            }
            if c == 10 { throw LexError(at: start, message: "string is not closed on its line (write \\n for a line break)") }
            if c == UInt8(ascii: "{"), pos + 1 < end, bytes[pos + 1] == UInt8(ascii: "{") {
                flush()
                let from = pos + 2
                var p = from
                while p + 1 < end, !(bytes[p] == UInt8(ascii: "}") && bytes[p + 1] == UInt8(ascii: "}")) {
                    if bytes[p] == 10 || bytes[p] == UInt8(ascii: "\"") { break }
                    p += 1
                }
                guard p + 1 < end, bytes[p] == UInt8(ascii: "}"), bytes[p + 1] == UInt8(ascii: "}") else {
                    throw LexError(at: pos, message: "'{{' without a closing '}}' in the string")
                }
                pieces.append(.code(from..<p))
                pos = p + 2
                continue
            }
            if c == UInt8(ascii: "\\") {
                guard pos + 1 < end else { break }
                let e = bytes[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "\""): buffer.append(e)
                case UInt8(ascii: "\\"): buffer.append(e)
                case UInt8(ascii: "{"): buffer.append(e)
                case UInt8(ascii: "n"): buffer.append(10)
                case UInt8(ascii: "t"): buffer.append(9)
                case UInt8(ascii: "r"): buffer.append(13)
                case UInt8(ascii: "u"):
                    guard pos < end, bytes[pos] == UInt8(ascii: "{") else { throw LexError(at: pos - 2, message: "write \\u{HEX}") }
                    var v: UInt32 = 0
                    var digits = 0
                    pos += 1
                    while pos < end, let h = hexDigit(bytes[pos]), digits < 6 { v = v * 16 + h; digits += 1; pos += 1 }
                    guard pos < end, bytes[pos] == UInt8(ascii: "}"), digits > 0, let scalar = UnicodeScalar(v), v != 0 else {
                        throw LexError(at: pos, message: "invalid \\u{…} escape (1 to 6 hex digits of a Unicode scalar other than NUL)")
                    }
                    pos += 1
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw LexError(at: pos - 2, message: "unknown escape '\\\(UnicodeScalar(e))' (known: \\\" \\\\ \\n \\t \\r \\{ \\u{HEX}; for regexes use r'…')")
                }
                continue
            }
            buffer.append(c)
            pos += 1
        }
        throw LexError(at: start, message: "string is not closed")
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    private func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 65...70: return UInt32(c - 55)
        case 97...102: return UInt32(c - 87)
        default: return nil
        }
    }
    private func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
