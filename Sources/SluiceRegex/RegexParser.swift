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
}
