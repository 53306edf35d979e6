/// The parsed form of an ECMA-262 pattern (unicode mode, no flags), before compilation.
indirect enum RegexNode {
    case empty
    case char(UInt32)
    /// `.`: any code point except the line terminators.
    case dot
    case set(CharSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// A group; `capture` is its 1-based capture number for capturing groups.
    case group(RegexNode, capture: Int?)
    case quantified(RegexNode, min: Int, max: Int?, greedy: Bool)
    case lineStart, lineEnd
    case wordBoundary(negated: Bool)
    case backreference(Int)
    case namedBackreference(String)
    case look(RegexNode, ahead: Bool, negated: Bool)

    /// Whether the node can match the empty string (used to emit empty-iteration checks).
    var canMatchEmpty: Bool {
        switch self {
        case .empty, .lineStart, .lineEnd, .wordBoundary, .look, .backreference, .namedBackreference: return true
        case .char, .dot, .set: return false
        case .sequence(let items): return items.allSatisfy(\.canMatchEmpty)
        case .alternation(let items): return items.contains(where: \.canMatchEmpty)
        case .group(let n, _): return n.canMatchEmpty
        case .quantified(let n, let min, _, _): return min == 0 || n.canMatchEmpty
        }
    }
}

/// A set of code points: ranges plus Unicode predicates, optionally negated.
struct CharSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var predicates: [UnicodePredicate] = []
    var negatedPredicates: [UnicodePredicate] = []
    var negated = false

    func contains(_ c: UInt32) -> Bool {
        var hit = false
        for r in ranges where r.contains(c) { hit = true; break }
        if !hit {
            if !predicates.isEmpty || !negatedPredicates.isEmpty, let s = Unicode.Scalar(c) {
                for p in predicates where p.matches(s) { hit = true; break }
                if !hit { for p in negatedPredicates where !p.matches(s) { hit = true; break } }
            }
        }
        return hit != negated
    }

    mutating func add(_ other: CharSet) {
        if other.negated {
            // A negated escape such as \D or \P{L} inside a class: keep it as a negated predicate.
            negatedPredicates.append(.set(other.withNegated(false)))
        } else {
            ranges += other.ranges
            predicates += other.predicates
            negatedPredicates += other.negatedPredicates
        }
    }

    func withNegated(_ n: Bool) -> CharSet {
        var copy = self
        copy.negated = n
        return copy
    }

    static let digits = CharSet(ranges: [48...57])
    static let word = CharSet(ranges: [48...57, 65...90, 95...95, 97...122])
    static let space = CharSet(ranges: [
        9...13, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
}

/// A pattern that is not valid ECMA-262 (unicode mode) syntax.
public struct RegexSyntaxError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var offset: Int
    public var reason: String
    public var description: String { "invalid regular expression at offset \(offset): \(reason)" }
}

/// Parses ECMA-262 pattern syntax with the `u` flag's strict rules.
struct RegexParser {
    let pattern: String
    let cps: [UInt32]
    var pos = 0
    var captureCount = 0
    var groupNames: [String: Int] = [:]
    var depth = 0
    static let maxDepth = 200

    init(_ pattern: String) {
        self.pattern = pattern
        cps = pattern.unicodeScalars.map(\.value)
    }

    func error(_ reason: String) -> RegexSyntaxError { RegexSyntaxError(pattern: pattern, offset: pos, reason: reason) }

    var atEnd: Bool { pos >= cps.count }
    func peek(_ k: Int = 0) -> UInt32? { pos + k < cps.count ? cps[pos + k] : nil }
    func peekIs(_ s: String) -> Bool {
        let u = s.unicodeScalars.map(\.value)
        guard pos + u.count <= cps.count else { return false }
        return Array(cps[pos..<(pos + u.count)]) == u
    }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        prescanGroupNames()
        let node = try parseDisjunction()
        if !atEnd { throw error(cps[pos] == 41 ? "unmatched ')'" : "unexpected character") }
        try checkBackreferences(node)
        return node
    }

    /// Named groups may be referenced before they are defined, so collect names first.
    mutating func prescanGroupNames() {
        var i = 0, inClass = false, n = 0
        while i < cps.count {
            let c = cps[i]
            if c == 92 { i += 2; continue }
            if inClass { if c == 93 { inClass = false }; i += 1; continue }
            if c == 91 { inClass = true }
            if c == 40 {
                if i + 1 < cps.count, cps[i + 1] == 63 {
                    if i + 2 < cps.count, cps[i + 2] == 60, i + 3 < cps.count, cps[i + 3] != 61, cps[i + 3] != 33 {
                        n += 1
                        var j = i + 3, name = ""
                        while j < cps.count, cps[j] != 62, let s = Unicode.Scalar(cps[j]) { name.unicodeScalars.append(s); j += 1 }
                        if groupNames[name] == nil { groupNames[name] = n }
                    }
                } else {
                    n += 1
                }
            }
            i += 1
        }
    }

    func checkBackreferences(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .backreference(let n): if n > captureCount { throw error("backreference \\\(n) to a group that does not exist") }
        case .sequence(let items), .alternation(let items): for i in items { try checkBackreferences(i) }
        case .group(let n, _), .quantified(let n, _, _, _), .look(let n, _, _): try checkBackreferences(n)
        default: break
        }
    }

    mutating func parseDisjunction() throws(RegexSyntaxError) -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        if depth > RegexParser.maxDepth { throw error("nesting too deep") }
        var alternatives = [try parseAlternative()]
        while peek() == 124 {  // |
            pos += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    mutating func parseAlternative() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != 124, c != 41 {
            items.append(try parseTerm())
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .sequence(items)
        }
    }

    mutating func parseTerm() throws(RegexSyntaxError) -> RegexNode {
        guard let c = peek() else { throw error("unexpected end") }
        var quantifiable = true
        let atom: RegexNode
        switch c {
        case 94: pos += 1; atom = .lineStart; quantifiable = false  // ^
        case 36: pos += 1; atom = .lineEnd; quantifiable = false  // $
        case 46: pos += 1; atom = .dot
        case 91: atom = .set(try parseClass())
        case 40: (atom, quantifiable) = try parseGroup()
        case 92:
            if peek(1) == 98 { pos += 2; atom = .wordBoundary(negated: false); quantifiable = false }
            else if peek(1) == 66 { pos += 2; atom = .wordBoundary(negated: true); quantifiable = false }
            else { atom = try parseAtomEscape() }
        case 42, 43, 63: throw error("nothing to repeat")
        case 123:
            throw error("a lone '{' is not allowed in unicode mode")
        case 125, 93: throw error("a lone '\(c == 125 ? "}" : "]")' is not allowed in unicode mode")
        default:
            pos += 1
            atom = .char(c)
        }
        return try parseQuantifier(atom, quantifiable: quantifiable)
    }

    mutating func parseQuantifier(_ atom: RegexNode, quantifiable: Bool) throws(RegexSyntaxError) -> RegexNode {
        guard let c = peek() else { return atom }
        var minCount = 0, maxCount: Int? = nil
        switch c {
        case 42: pos += 1
        case 43: pos += 1; minCount = 1
        case 63: pos += 1; maxCount = 1
        case 123:
            pos += 1
            guard let lo = parseDecimal() else { throw error("malformed {} quantifier") }
            minCount = lo
            maxCount = lo
            if peek() == 44 {
                pos += 1
                maxCount = parseDecimal()
            }
            guard peek() == 125 else { throw error("malformed {} quantifier") }
            pos += 1
            if let m = maxCount, m < minCount { throw error("numbers out of order in {} quantifier") }
        default:
            return atom
        }
        guard quantifiable else { throw error("nothing to repeat") }
        var greedy = true
        if peek() == 63 { pos += 1; greedy = false }
        return .quantified(atom, min: minCount, max: maxCount, greedy: greedy)
    }

    /// A decimal number, saturated at 100,000 (larger counts behave the same on bounded input).
    mutating func parseDecimal() -> Int? {
        var v: Int? = nil
        while let c = peek(), c >= 48, c <= 57 {
            v = min((v ?? 0) * 10 + Int(c - 48), 100_000)
            pos += 1
        }
        return v
    }

    mutating func parseGroup() throws(RegexSyntaxError) -> (RegexNode, Bool) {
        pos += 1  // (
        if peek() == 63 {  // ?
            pos += 1
            switch peek() {
            case 58:  // :
                pos += 1
                let inner = try parseDisjunction()
                try expectClose()
                return (.group(inner, capture: nil), true)
            case 61, 33:  // = !
                let negated = peek() == 33
                pos += 1
                let inner = try parseDisjunction()
                try expectClose()
                return (.look(inner, ahead: true, negated: negated), false)
            case 60:  // <
                pos += 1
                if peek() == 61 || peek() == 33 {
                    let negated = peek() == 33
                    pos += 1
                    let inner = try parseDisjunction()
                    try expectClose()
                    return (.look(inner, ahead: false, negated: negated), false)
                }
                let name = try parseGroupName()
                captureCount += 1
                let index = captureCount
                let inner = try parseDisjunction()
                try expectClose()
                _ = name
                return (.group(inner, capture: index), true)
            default:
                throw error("invalid group")
            }
        }
        captureCount += 1
        let index = captureCount
        let inner = try parseDisjunction()
        try expectClose()
        return (.group(inner, capture: index), true)
    }

    mutating func parseGroupName() throws(RegexSyntaxError) -> String {
        var name = ""
        while let c = peek(), c != 62 {
            guard let s = Unicode.Scalar(c), s.properties.isIDContinue || s == "$" else { throw error("invalid group name") }
            if name.isEmpty, !(s.properties.isIDStart || s == "$" || s == "_") { throw error("invalid group name") }
            name.unicodeScalars.append(s)
            pos += 1
        }
        guard peek() == 62, !name.isEmpty else { throw error("invalid group name") }
        pos += 1
        return name
    }

    mutating func expectClose() throws(RegexSyntaxError) {
        guard peek() == 41 else { throw error("missing ')'") }
        pos += 1
    }

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
