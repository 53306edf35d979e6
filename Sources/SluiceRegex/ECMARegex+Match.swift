/// One match of a pattern in a text, in Unicode scalar offsets.
public struct RegexMatch: Sendable, Hashable {
    /// The whole match.
    public var range: Range<Int>
    /// Capture group `k` (1-based) is `groups[k - 1]`; nil when the group took no part.
    public var groups: [Range<Int>?]
}

extension ECMARegex {
    /// The first match starting at or after scalar offset `from` in `scalars` (the text's Unicode
    /// scalar values). `budget` is the step allowance shared by a sequence of searches (a
    /// replace-all); each search takes what it used from it, so a whole replace stays bounded.
    public func firstMatch(in scalars: UnsafeBufferPointer<UInt32>, from: Int, budget: inout Int) throws(RegexBudgetExceeded) -> RegexMatch? {
        let scratch = RegexScratch()
        var machine = RegexMachine<UInt32>(regex: self, budget: budget, scratch: scratch)
        defer { machine.release(to: scratch) }
        let found = try machine.find(scalars, from: from)
        budget -= machine.steps
        guard let found else { return nil }
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(captureCount)
        for k in stride(from: 1, through: captureCount, by: 1) {
            let s = machine.slots[2 * k], e = machine.slots[2 * k + 1]
            groups.append(s >= 0 && e >= s ? s..<e : nil)
        }
        return RegexMatch(range: found.start..<found.end, groups: groups)
    }
}

extension RegexMachine {
    /// Like `search`, from `from` on, returning where the match starts and ends.
    mutating func find(_ input: UnsafeBufferPointer<Unit>, from: Int) throws(RegexBudgetExceeded) -> (start: Int, end: Int)? {
        self.input = input
        if regex.anchored && from > 0 { return nil }
        let last = regex.anchored ? 0 : input.count
        var start = from
        while start <= last {
            for k in slots.indices { slots[k] = -1 }
            if let end = try run(program: 0, from: start) { return (start, end) }
            start += 1
        }
        return nil
    }
}
