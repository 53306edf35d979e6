/// A deterministic automaton for the common kind of pattern (characters, classes, groups,
/// alternation and quantifiers; `^` only at the very start and `$` only at the very end), used
/// on ASCII input: one table lookup per byte, no backtracking, no budget needed.
///
/// For such patterns "is there a match" (ECMA `test`) is plain regular-language membership:
/// greedy or lazy quantifiers and captures choose *which* match, not *whether* one exists, so the
/// automaton answers exactly what the backtracking machine answers. Patterns with anything else
/// (backreferences, lookaround, `\b`, inner anchors) or whose automaton would be large keep the
/// backtracking machine.
struct RegexDFA: Sendable {
    /// `next[state * 128 + byte]`; state 0 is dead (no match possible from there).
    let next: [UInt16]
    let accepting: [Bool]
    let start: Int
    /// The pattern ends with `$`: accept only when the input ends in an accepting state.
    /// Otherwise the first accepting state reached is a match.
    let anchoredEnd: Bool

    static let maxNFAStates = 4096
    static let maxDFAStates = 1024
    /// NFA states visited while building, at most: keeps a hostile pattern from making schema
    /// compilation slow (such patterns keep the backtracking machine and its step budget).
    static let maxBuildWork = 2_000_000

    /// Whether `bytes` contains a match; nil when a byte is not ASCII (the automaton does not
    /// cover code points beyond ASCII).
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        next.withUnsafeBufferPointer { table -> Bool? in
            var s = start
            if !anchoredEnd && accepting[s] { return true }
            for b in bytes {
                guard b < 0x80 else { return nil }
                s = Int(table[s &* 128 &+ Int(b)])
                // Dead: no match ends later, whatever follows.
                if s == 0 { return false }
                if !anchoredEnd && accepting[s] { return true }
            }
            return accepting[s]
        }
    }

    /// Builds the automaton, or nil when the pattern is outside the supported kind or too large.
    init?(_ root: RegexNode) {
        var items: [RegexNode]
        if case .sequence(let s) = root { items = s } else { items = [root] }
        var anchoredStart = false
        if case .lineStart? = items.first { anchoredStart = true; items.removeFirst() }
        var anchoredEnd = false
        if case .lineEnd? = items.last { anchoredEnd = true; items.removeLast() }
        var nfa = NFA()
        let entry = nfa.newState()
        guard let exit = nfa.build(.sequence(items), from: entry) else { return nil }
        nfa.accept = exit
        guard let built = nfa.determinize(from: entry, anchoredStart: anchoredStart, stopAtFirstAccept: !anchoredEnd) else {
            return nil
        }
        (next, accepting) = built
        start = 1
        self.anchoredEnd = anchoredEnd
    }
}

/// Thompson automaton over ASCII: each state has epsilon edges and at most one class edge.
private struct NFA {
    var epsilon: [[Int]] = []
    /// The class edge: 128-bit membership (low: 0–63, high: 64–127) and its target.
    var edge: [(low: UInt64, high: UInt64, to: Int)?] = []
    var accept = 0

    mutating func newState() -> Int {
        epsilon.append([])
        edge.append(nil)
        return epsilon.count - 1
    }

    /// Adds `node` starting at state `from`; returns its end state, or nil when unsupported or
    /// too large.
    mutating func build(_ node: RegexNode, from: Int) -> Int? {
        guard epsilon.count < RegexDFA.maxNFAStates else { return nil }
        switch node {
        case .empty:
            return from
        case .char(let c):
            guard c < 128 else { return charEdge(0, 0, from) }
            return c < 64 ? charEdge(1 << UInt64(c), 0, from) : charEdge(0, 1 << UInt64(c - 64), from)
        case .dot:
            // Every ASCII character but the line terminators \n and \r.
            return charEdge(~(UInt64(1) << 10 | UInt64(1) << 13), ~0, from)
        case .set(let set):
            var low: UInt64 = 0, high: UInt64 = 0
            for c in 0..<UInt32(128) where set.contains(c) {
                if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
            }
            return charEdge(low, high, from)
        case .sequence(let items):
            var at = from
            for item in items {
                guard let end = build(item, from: at) else { return nil }
                at = end
            }
            return at
        case .alternation(let alternatives):
            let end = newState()
            for alternative in alternatives {
                let begin = newState()
                epsilon[from].append(begin)
                guard let altEnd = build(alternative, from: begin) else { return nil }
                epsilon[altEnd].append(end)
            }
            return end
        case .group(let inner, _):
            return build(inner, from: from)
        case .quantified(let inner, let minCount, let maxCount, _):
            if let m = maxCount, m < minCount { return nil }
            var at = from
            for _ in 0..<minCount {
                guard let end = build(inner, from: at) else { return nil }
                at = end
            }
            guard let m = maxCount else {
                // Kleene star on a fresh loop state.
                let loop = newState()
                epsilon[at].append(loop)
                let body = newState()
                epsilon[loop].append(body)
                guard let bodyEnd = build(inner, from: body) else { return nil }
                epsilon[bodyEnd].append(loop)
                return loop
            }
            let end = newState()
            for _ in minCount..<m {
                epsilon[at].append(end)
                let body = newState()
                epsilon[at].append(body)
                guard let bodyEnd = build(inner, from: body) else { return nil }
                at = bodyEnd
            }
            epsilon[at].append(end)
            return end
        case .lineStart, .lineEnd, .wordBoundary, .backreference, .namedBackreference, .look:
            return nil
        }
    }

    mutating func charEdge(_ low: UInt64, _ high: UInt64, _ from: Int) -> Int? {
        let to = newState()
        let bridge = newState()
        epsilon[from].append(bridge)
        edge[bridge] = (low, high, to)
        return to
    }

    func closure(_ states: [Int], work: inout Int) -> [Int] {
        var seen = Set(states)
        var stack = states
        while let s = stack.popLast() {
            work += 1 + epsilon[s].count
            for t in epsilon[s] where seen.insert(t).inserted { stack.append(t) }
        }
        return seen.sorted()
    }

    /// Subset construction. Without a start anchor the start set joins every step (a match may
    /// begin anywhere). When the first accept decides (`stopAtFirstAccept`), accepting states
    /// loop to themselves.
    func determinize(from entry: Int, anchoredStart: Bool, stopAtFirstAccept: Bool) -> (next: [UInt16], accepting: [Bool])? {
        var visited = 0
        let startSet = closure([entry], work: &visited)
        var ids: [[Int]: Int] = [[]: 0, startSet: 1]
        var sets: [[Int]] = [[], startSet]
        var next = [UInt16](repeating: 0, count: 2 * 128)
        var accepting = [false, startSet.contains(accept)]
        var work = 1
        while work < sets.count {
            let current = sets[work]
            let isAccepting = accepting[work]
            for byte in 0..<128 {
                var targets: [Int] = []
                if stopAtFirstAccept && isAccepting {
                    next[work * 128 + byte] = UInt16(work)
                    continue
                }
                visited += current.count
                if visited > RegexDFA.maxBuildWork { return nil }
                for s in current {
                    guard let e = edge[s] else { continue }
                    let hit = byte < 64 ? (e.low >> UInt64(byte)) & 1 == 1 : (e.high >> UInt64(byte - 64)) & 1 == 1
                    if hit { targets.append(e.to) }
                }
                if !anchoredStart { targets.append(entry) }
                let target = closure(targets, work: &visited)
                let id: Int
                if target.isEmpty {
                    id = 0
                } else if let known = ids[target] {
                    id = known
                } else {
                    guard sets.count < RegexDFA.maxDFAStates else { return nil }
                    id = sets.count
                    ids[target] = id
                    sets.append(target)
                    accepting.append(target.contains(accept))
                    next.append(contentsOf: repeatElement(0, count: 128))
                }
                next[work * 128 + byte] = UInt16(id)
            }
            work += 1
        }
        return (next, accepting)
    }
}
