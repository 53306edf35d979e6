/// One instruction of the backtracking machine.
enum RegexOp: Sendable {
    case char(UInt32)
    case dot
    /// A character class: ASCII members as a 128-bit map (checked without touching the set
    /// table), others through `sets[index]`.
    case set(low: UInt64, high: UInt64, index: Int)
    /// Try `first`; on failure resume at `second` with the same position.
    case split(Int, Int)
    case jump(Int)
    /// Store the position in capture slot n.
    case save(Int)
    case lineStart, lineEnd
    case wordBoundary(negated: Bool)
    case backreference(Int)
    case look(program: Int, negated: Bool)
    case counterInit(Int)
    /// Loop head of a counted repetition: below `min` iterate, at `max` exit, else branch.
    case counterLoop(counter: Int, min: Int, max: Int, greedy: Bool, body: Int, exit: Int)
    case counterIncrement(Int)
    /// Remember the position in register n (start of an iteration).
    case mark(Int)
    /// Fail an iteration that consumed nothing once the minimum is reached (ECMA-262 RepeatMatcher).
    case progress(register: Int, counter: Int?, min: Int)
    /// A quantified single character (a class, `.` or one code point) in a forward program:
    /// consumes greedily (or lazily) with one backtrack frame instead of one per iteration.
    /// `kind`: 0 class (bitmap + `sets[index]`), 1 dot, 2 the code point `index`.
    case charLoop(kind: UInt8, low: UInt64, high: UInt64, index: Int, min: Int, max: Int, greedy: Bool)
    case match
}

struct RegexProgram: Sendable {
    var ops: [RegexOp]
    /// Lookbehind bodies run right to left.
    var backward: Bool
}

/// Turns a parsed pattern into programs for `RegexMachine`: program 0 is the pattern itself,
/// the others are lookaround bodies.
struct RegexCompiler {
    var programs: [RegexProgram] = []
    var sets: [CharSet] = []
    var registerCount = 0
    static let maxOps = 200_000

    struct TooLarge: Error {}

    mutating func compile(_ root: RegexNode) throws(TooLarge) {
        programs.append(RegexProgram(ops: [], backward: false))
        var ops: [RegexOp] = []
        try emit(root, into: &ops, backward: false)
        ops.append(.match)
        programs[0].ops = ops
    }

    mutating func newRegister() -> Int {
        registerCount += 1
        return registerCount - 1
    }

    mutating func emit(_ node: RegexNode, into ops: inout [RegexOp], backward: Bool) throws(TooLarge) {
        if ops.count > RegexCompiler.maxOps { throw TooLarge() }
        switch node {
        case .empty: break
        case .char(let c): ops.append(.char(c))
        case .dot: ops.append(.dot)
        case .set(let s):
            sets.append(s)
            let (low, high) = RegexCompiler.asciiBitmap(s)
            ops.append(.set(low: low, high: high, index: sets.count - 1))
        case .sequence(let items):
            for item in backward ? items.reversed() : items { try emit(item, into: &ops, backward: backward) }
        case .alternation(let alternatives):
            var jumpsToEnd: [Int] = []
            for (i, alt) in alternatives.enumerated() {
                if i < alternatives.count - 1 {
                    let split = ops.count
                    ops.append(.split(0, 0))
                    try emit(alt, into: &ops, backward: backward)
                    jumpsToEnd.append(ops.count)
                    ops.append(.jump(0))
                    ops[split] = .split(split + 1, ops.count)
                } else {
                    try emit(alt, into: &ops, backward: backward)
                }
            }
            for j in jumpsToEnd { ops[j] = .jump(ops.count) }
        case .group(let inner, let capture):
            if let k = capture { ops.append(.save(backward ? 2 * k + 1 : 2 * k)) }
            try emit(inner, into: &ops, backward: backward)
            if let k = capture { ops.append(.save(backward ? 2 * k : 2 * k + 1)) }
        case .quantified(let inner, let minCount, let maxCount, let greedy):
            try emitQuantified(inner, min: minCount, max: maxCount, greedy: greedy, into: &ops, backward: backward)
        case .lineStart: ops.append(.lineStart)
        case .lineEnd: ops.append(.lineEnd)
        case .wordBoundary(let negated): ops.append(.wordBoundary(negated: negated))
        case .backreference(let k): ops.append(.backreference(k))
        case .namedBackreference: break  // resolved to numbers by the parser
        case .look(let inner, let ahead, let negated):
            let index = programs.count
            programs.append(RegexProgram(ops: [], backward: !ahead))
            var sub: [RegexOp] = []
            try emit(inner, into: &sub, backward: !ahead)
            sub.append(.match)
            programs[index].ops = sub
            ops.append(.look(program: index, negated: negated))
        }
    }

    /// A loop op template for a node that matches exactly one code point, else nil.
    mutating func singleCharacter(_ node: RegexNode) -> RegexOp? {
        switch node {
        case .char(let c): return .charLoop(kind: 2, low: 0, high: 0, index: Int(c), min: 0, max: 0, greedy: true)
        case .dot: return .charLoop(kind: 1, low: 0, high: 0, index: 0, min: 0, max: 0, greedy: true)
        case .set(let s):
            sets.append(s)
            let (low, high) = RegexCompiler.asciiBitmap(s)
            return .charLoop(kind: 0, low: low, high: high, index: sets.count - 1, min: 0, max: 0, greedy: true)
        case .group(let inner, nil): return singleCharacter(inner)
        default: return nil
        }
    }

    static func asciiBitmap(_ s: CharSet) -> (UInt64, UInt64) {
        var low: UInt64 = 0, high: UInt64 = 0
        for c in 0..<128 where s.contains(UInt32(c)) {
            if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
        }
        return (low, high)
    }

    mutating func emitQuantified(_ inner: RegexNode, min minCount: Int, max maxCount: Int?, greedy: Bool,
                                 into ops: inout [RegexOp], backward: Bool) throws(TooLarge) {
        if maxCount == 0 { return }
        if !backward, let single = singleCharacter(inner) {
            var op = single
            if case .charLoop(let kind, let low, let high, let index, _, _, _) = op {
                op = .charLoop(kind: kind, low: low, high: high, index: index, min: minCount, max: maxCount ?? Int.max, greedy: greedy)
            }
            ops.append(op)
            return
        }
        let nullable = inner.canMatchEmpty
        if minCount == 0 && maxCount == 1 {
            let split = ops.count
            ops.append(.split(0, 0))
            try emit(inner, into: &ops, backward: backward)
            ops[split] = greedy ? .split(split + 1, ops.count) : .split(ops.count, split + 1)
            return
        }
        if minCount == 0 && maxCount == nil {
            let head = ops.count
            ops.append(.split(0, 0))
            var register: Int? = nil
            if nullable {
                let r = newRegister()
                register = r
                ops.append(.mark(r))
            }
            try emit(inner, into: &ops, backward: backward)
            if let r = register { ops.append(.progress(register: r, counter: nil, min: 0)) }
            ops.append(.jump(head))
            ops[head] = greedy ? .split(head + 1, ops.count) : .split(ops.count, head + 1)
            return
        }
        if minCount == 1 && maxCount == nil && !nullable {
            let body = ops.count
            try emit(inner, into: &ops, backward: backward)
            let split = ops.count
            ops.append(greedy ? .split(body, split + 1) : .split(split + 1, body))
            return
        }
        let counter = newRegister()
        let mark = newRegister()
        ops.append(.counterInit(counter))
        let head = ops.count
        ops.append(.jump(0))
        let body = ops.count
        ops.append(.mark(mark))
        try emit(inner, into: &ops, backward: backward)
        if nullable { ops.append(.progress(register: mark, counter: counter, min: minCount)) }
        ops.append(.counterIncrement(counter))
        ops.append(.jump(head))
        ops[head] = .counterLoop(counter: counter, min: minCount, max: maxCount ?? Int.max, greedy: greedy, body: body, exit: ops.count)
    }
}
