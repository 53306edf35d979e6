/// A compiled ECMA-262 regular expression (unicode mode, no flags), as JSON Schema's `pattern`,
/// `patternProperties` and `format: "regex"` use it.
///
/// Guarantees: matching works on Unicode code points; `\d`, `\w` and `\b` are ASCII-only and `\s`
/// is ECMA's white space set; `.` excludes line terminators; `$` matches only at the very end
/// (no multiline flag). Matching is a backtracking machine with an explicit stack (no recursion
/// on input length) and a step budget, so no pattern and input can hang or overflow the stack:
/// past the budget `RegexBudgetExceeded` is thrown.
public final class ECMARegex: Sendable {
    public let pattern: String
    let programs: [RegexProgram]
    let sets: [CharSet]
    let slotCount: Int
    /// The number of capturing groups (`(…)` and `(?<name>…)`).
    public let captureCount: Int
    /// Named groups and their 1-based numbers.
    public let groupNames: [String: Int]
    let registerCount: Int
    /// The pattern begins with `^` on every path, so only position 0 can match.
    let anchored: Bool
    /// The automaton for ASCII input, when the pattern is plain enough to have one.
    let dfa: RegexDFA?

    public convenience init(_ pattern: String) throws(RegexSyntaxError) {
        try self.init(pattern, automaton: true)
    }

    /// `automaton: false` skips building the ASCII automaton, for patterns that are only
    /// checked for syntax (`format: regex` on instance strings), so that instance data never
    /// pays for (or can inflate) its construction.
    public init(_ pattern: String, automaton: Bool) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern)
        let root = try parser.parse()
        var compiler = RegexCompiler()
        do { try compiler.compile(root) } catch {
            throw RegexSyntaxError(pattern: pattern, offset: 0, reason: "pattern too large to compile")
        }
        self.pattern = pattern
        programs = compiler.programs
        sets = compiler.sets
        slotCount = 2 * (parser.captureCount + 1)
        captureCount = parser.captureCount
        groupNames = parser.groupNames
        registerCount = compiler.registerCount
        anchored = ECMARegex.startsAnchored(root)
        dfa = automaton ? RegexDFA(root) : nil
    }

    static func startsAnchored(_ node: RegexNode) -> Bool {
        switch node {
        case .lineStart: return true
        case .sequence(let items): return items.first.map(startsAnchored) ?? false
        case .alternation(let alts): return alts.allSatisfy(startsAnchored)
        case .group(let inner, _): return startsAnchored(inner)
        default: return false
        }
    }

    /// The default budget for one search: generous for linear work on long strings, small
    /// against exponential backtracking.
    public static func defaultBudget(forLength n: Int) -> Int { 1_000_000 + 64 * n }

    /// Whether the pattern matches anywhere in `text` (ECMA `RegExp.prototype.test`).
    public func isMatch(in text: String, budget: Int? = nil) throws(RegexBudgetExceeded) -> Bool {
        try isMatch(in: text, budget: budget, scratch: RegexScratch())
    }

    /// The answer of the automaton for ASCII text, or nil when the pattern has none or the text
    /// is not ASCII (then the backtracking machine decides).
    @inline(__always)
    public func quickMatch(_ text: String) -> Bool? {
        guard let dfa else { return nil }
        return text.utf8.withContiguousStorageIfAvailable { dfa.matches($0) } ?? nil
    }

    /// The same, reusing `scratch`'s buffers (one scratch per thread of work, never shared).
    public func isMatch(in text: String, budget: Int?, scratch: RegexScratch) throws(RegexBudgetExceeded) -> Bool {
        // ASCII text (the common case) is matched on its UTF-8 bytes directly.
        var exceeded: RegexBudgetExceeded? = nil
        let direct = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for b in bytes where b >= 0x80 { return nil }
            if let dfa, let result = dfa.matches(bytes) { return result }
            do throws(RegexBudgetExceeded) { return try run(bytes, budget: budget, scratch: scratch) } catch {
                exceeded = error
                return false
            }
        }
        if let exceeded { throw exceeded }
        if let result = direct ?? nil { return result }
        var input: [UInt32] = []
        swap(&input, &scratch.input)
        defer { swap(&input, &scratch.input) }
        input.removeAll(keepingCapacity: true)
        for s in text.unicodeScalars { input.append(s.value) }
        return try input.withUnsafeBufferPointer { buffer throws(RegexBudgetExceeded) -> Bool in
            try run(buffer, budget: budget, scratch: scratch)
        }
    }

    func run<Unit: FixedWidthInteger & UnsignedInteger>(_ input: UnsafeBufferPointer<Unit>, budget: Int?,
                                                        scratch: RegexScratch) throws(RegexBudgetExceeded) -> Bool {
        var machine = RegexMachine<Unit>(regex: self, budget: budget ?? ECMARegex.defaultBudget(forLength: input.count), scratch: scratch)
        defer { machine.release(to: scratch) }
        return try machine.search(input)
    }
}

/// Reusable buffers for regex matching, so that the many matches of one validation allocate once.
public final class RegexScratch {
    var input: [UInt32] = []
    var slots: [Int] = []
    var registers: [Int] = []
    var stack: [RegexFrame] = []
    public init() {}
}

/// The search was stopped because it needed more steps than its budget.
public struct RegexBudgetExceeded: Error, Sendable {
    public var pattern: String
}
