/// Escapes and character classes (unicode mode).
extension RegexParser {
    mutating func parseAtomEscape() throws(RegexSyntaxError) -> RegexNode {
        pos += 1  // backslash
        guard let c = peek() else { throw error("\\ at end of pattern") }
        if c >= 49 && c <= 57 {  // backreference \1..\9...
            var n = 0
            while let d = peek(), d >= 48, d <= 57 { n = min(n * 10 + Int(d - 48), 100_000); pos += 1 }
            return .backreference(n)
        }
        if c == 107 {  // \k<name>
            pos += 1
            guard peek() == 60 else { throw error("invalid named reference") }
            pos += 1
            let name = try parseGroupName()
            guard let index = groupNames[name] else { throw error("reference to an unknown group name") }
            return .backreference(index)
        }
        switch try parseClassEscape(inClass: false) {
        case .char(let v): return .char(v)
        case .set(let s): return .set(s)
        }
    }

    enum EscapeResult { case char(UInt32), set(CharSet) }

    /// Escapes valid both inside and outside classes (unicode mode).
    mutating func parseClassEscape(inClass: Bool) throws(RegexSyntaxError) -> EscapeResult {
        guard let c = peek() else { throw error("\\ at end of pattern") }
        pos += 1
        switch c {
        case 100: return .set(.digits)  // d
        case 68: return .set(CharSet.digits.withNegated(true))  // D
        case 119: return .set(.word)  // w
        case 87: return .set(CharSet.word.withNegated(true))  // W
        case 115: return .set(.space)  // s
        case 83: return .set(CharSet.space.withNegated(true))  // S
        case 116: return .char(9)
        case 110: return .char(10)
        case 118: return .char(11)
        case 102: return .char(12)
        case 114: return .char(13)
        case 48:  // \0 not followed by a digit
            if let d = peek(), d >= 48, d <= 57 { throw error("octal escapes are not allowed in unicode mode") }
            return .char(0)
        case 98 where inClass: return .char(8)
        case 45 where inClass: return .char(45)
        case 99:  // \cX
            guard let l = peek(), (65...90).contains(l) || (97...122).contains(l) else { throw error("invalid control escape") }
            pos += 1
            return .char(l % 32)
        case 120:  // \xHH
            guard let v = parseHex(count: 2) else { throw error("invalid \\x escape") }
            return .char(v)
        case 117:  // \uHHHH, \u{H...}
            return .char(try parseUnicodeEscape())
        case 112, 80:  // \p{...} \P{...}
            guard peek() == 123 else { throw error("\\p needs {property}") }
            pos += 1
            var name = ""
            while let ch = peek(), ch != 125, let s = Unicode.Scalar(ch) { name.unicodeScalars.append(s); pos += 1 }
            guard peek() == 125 else { throw error("unterminated \\p{") }
            pos += 1
            guard let pred = UnicodePredicate(propertyExpression: name) else { throw error("unknown Unicode property '\(name)'") }
            return .set(CharSet(predicates: [pred], negated: c == 80))
        default:
            // Identity escapes: only syntax characters and '/' in unicode mode.
            if let s = Unicode.Scalar(c), "^$\\.*+?()[]{}|/".unicodeScalars.contains(s) { return .char(c) }
            throw error("invalid escape '\\\(Unicode.Scalar(c).map { String($0) } ?? "?")'")
        }
    }

    mutating func parseHex(count: Int) -> UInt32? {
        guard pos + count <= cps.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<count {
            guard cps[pos + k] < 128, let h = hexValue(UInt8(cps[pos + k])) else { return nil }
            v = v * 16 + UInt32(h)
        }
        pos += count
        return v
    }

    mutating func parseUnicodeEscape() throws(RegexSyntaxError) -> UInt32 {
        if peek() == 123 {
            pos += 1
            var v: UInt32 = 0, any = false
            while let c = peek(), c != 125 {
                guard c < 128, let h = hexValue(UInt8(c)) else { throw error("invalid \\u{} escape") }
                v = v * 16 + UInt32(h)
                any = true
                if v > 0x10FFFF { throw error("\\u{} escape out of range") }
                pos += 1
            }
            guard any, peek() == 125 else { throw error("invalid \\u{} escape") }
            pos += 1
            return v
        }
        guard let hi = parseHex(count: 4) else { throw error("invalid \\u escape") }
        // A surrogate pair written as two escapes is one code point.
        if (0xD800...0xDBFF).contains(hi), peek() == 92, peek(1) == 117 {
            let save = pos
            pos += 2
            if let lo = parseHex(count: 4), (0xDC00...0xDFFF).contains(lo) {
                return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            pos = save
        }
        return hi
    }

    mutating func parseClass() throws(RegexSyntaxError) -> CharSet {
        pos += 1  // [
        var set = CharSet()
        if peek() == 94 { set.negated = true; pos += 1 }
        while true {
            guard let c = peek() else { throw error("unterminated character class") }
            if c == 93 { pos += 1; break }
            let first = try parseClassAtom()
            if peek() == 45, let next = peek(1), next != 93 {  // a range a-b
                pos += 1
                let second = try parseClassAtom()
                guard case .char(let lo) = first, case .char(let hi) = second else {
                    throw error("a class escape cannot bound a range in unicode mode")
                }
                guard lo <= hi else { throw error("range out of order in character class") }
                set.ranges.append(lo...hi)
                continue
            }
            switch first {
            case .char(let v): set.ranges.append(v...v)
            case .set(let s): set.add(s)
            }
        }
        return set
    }

    mutating func parseClassAtom() throws(RegexSyntaxError) -> EscapeResult {
        guard let c = peek() else { throw error("unterminated character class") }
        if c == 92 {
            pos += 1
            return try parseClassEscape(inClass: true)
        }
        pos += 1
        return .char(c)
    }
}

/// The value of an ASCII hex digit (also used by SluiceSchema's URI checks).
public func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 48...57: return b - 48
    case 65...70: return b - 55
    case 97...102: return b - 87
    default: return nil
    }
}
