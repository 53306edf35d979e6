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
