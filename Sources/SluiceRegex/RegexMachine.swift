/// One entry of the backtrack stack.
struct RegexFrame {
    /// 0: resume at pc `a` with position `b`; 1: restore slot `a` to `b`; 2: restore register
    /// `a` to `b`; 3: greedy char loop at pc `a` ended at `b`, may give back down to `c`;
    /// 4: lazy char loop at pc `a` ended at `b`, may take more up to `c`.
    var kind: UInt8
    var a: Int
    var b: Int
    var c: Int = 0
}


/// The backtracking machine over one input, generic over its code unit: UTF-8 bytes for ASCII
/// text (no conversion), code points otherwise.
struct RegexMachine<Unit: FixedWidthInteger & UnsignedInteger> {
    let regex: ECMARegex
    var input: UnsafeBufferPointer<Unit> = UnsafeBufferPointer(start: nil, count: 0)
    let budget: Int
    var steps = 0
    var slots: [Int]
    var registers: [Int]
    var stack: [RegexFrame] = []

    @inline(__always) func matchesLoopChar(_ kind: UInt8, _ low: UInt64, _ high: UInt64, _ index: Int, _ c: UInt32) -> Bool {
        switch kind {
        case 0: return c < 64 ? (low >> UInt64(c)) & 1 == 1 : c < 128 ? (high >> UInt64(c - 64)) & 1 == 1 : regex.sets[index].contains(c)
        case 1: return !isLineTerminator(c)
        default: return c == UInt32(truncatingIfNeeded: index)
        }
    }

    init(regex: ECMARegex, budget: Int, scratch: RegexScratch) {
        self.regex = regex
        self.budget = budget
        slots = []
        registers = []
        swap(&slots, &scratch.slots)
        swap(&registers, &scratch.registers)
        swap(&stack, &scratch.stack)
        slots.removeAll(keepingCapacity: true)
        slots.append(contentsOf: repeatElement(-1, count: regex.slotCount))
        registers.removeAll(keepingCapacity: true)
        registers.append(contentsOf: repeatElement(0, count: regex.registerCount))
        stack.removeAll(keepingCapacity: true)
    }

    /// Hands the buffers back for the next match.
    mutating func release(to scratch: RegexScratch) {
        swap(&slots, &scratch.slots)
        swap(&registers, &scratch.registers)
        swap(&stack, &scratch.stack)
    }

    mutating func search(_ input: UnsafeBufferPointer<Unit>) throws(RegexBudgetExceeded) -> Bool {
        self.input = input
        let last = regex.anchored ? 0 : input.count
        var start = 0
        while start <= last {
            for k in slots.indices { slots[k] = -1 }
            if try run(program: 0, from: start) != nil { return true }
            start += 1
        }
        return false
    }

    @inline(__always) func at(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: input[i]) }

    @inline(__always) func isLineTerminator(_ c: UInt32) -> Bool { c == 10 || c == 13 || c == 0x2028 || c == 0x2029 }

    @inline(__always) func isWord(at i: Int) -> Bool {
        guard i >= 0, i < input.count else { return false }
        let c = at(i)
        return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c == 95 || (c >= 97 && c <= 122)
    }

    /// Runs one program from `pos`; returns the end position of the first match, or nil.
    mutating func run(program p: Int, from startPos: Int) throws(RegexBudgetExceeded) -> Int? {
        let ops = regex.programs[p].ops
        let backward = regex.programs[p].backward
        let base = stack.count
        let n = input.count
        var pc = 0
        var pos = startPos
        while true {
            steps += 1
            if steps > budget { throw RegexBudgetExceeded(pattern: regex.pattern) }
            var ok = true
            switch ops[pc] {
            case .char(let c):
                if backward {
                    if pos > 0 && at(pos - 1) == c { pos -= 1; pc += 1 } else { ok = false }
                } else if pos < n && at(pos) == c { pos += 1; pc += 1 } else { ok = false }
            case .dot:
                if backward {
                    if pos > 0 && !isLineTerminator(at(pos - 1)) { pos -= 1; pc += 1 } else { ok = false }
                } else if pos < n && !isLineTerminator(at(pos)) { pos += 1; pc += 1 } else { ok = false }
            case .set(let low, let high, let s):
                let index = backward ? pos - 1 : pos
                if index >= 0 && index < n {
                    let c = at(index)
                    let hit = c < 64 ? (low >> UInt64(c)) & 1 == 1 : c < 128 ? (high >> UInt64(c - 64)) & 1 == 1 : regex.sets[s].contains(c)
                    if hit { pos += backward ? -1 : 1; pc += 1 } else { ok = false }
                } else { ok = false }
            case .split(let first, let second):
                stack.append(RegexFrame(kind: 0, a: second, b: pos))
                pc = first
            case .jump(let target):
                pc = target
            case .save(let slot):
                stack.append(RegexFrame(kind: 1, a: slot, b: slots[slot]))
                slots[slot] = pos
                pc += 1
            case .lineStart:
                if pos == 0 { pc += 1 } else { ok = false }
            case .lineEnd:
                if pos == n { pc += 1 } else { ok = false }
            case .wordBoundary(let negated):
                if (isWord(at: pos - 1) != isWord(at: pos)) != negated { pc += 1 } else { ok = false }
            case .backreference(let k):
                let s = slots[2 * k], e = slots[2 * k + 1]
                if s < 0 || e < 0 { pc += 1; break }
                let len = e - s
                if backward {
                    if pos - len >= 0 && (0..<len).allSatisfy({ at(pos - len + $0) == at(s + $0) }) { pos -= len; pc += 1 } else { ok = false }
                } else if pos + len <= n && (0..<len).allSatisfy({ at(pos + $0) == at(s + $0) }) {
                    pos += len
                    pc += 1
                } else { ok = false }
            case .look(let sub, let negated):
                let saved = slots
                let matched = try run(program: sub, from: pos) != nil
                if negated {
                    slots = saved
                    if matched { ok = false } else { pc += 1 }
                } else if matched {
                    // Keep the captures set inside, but undo them if we backtrack past here.
                    for k in slots.indices where slots[k] != saved[k] { stack.append(RegexFrame(kind: 1, a: k, b: saved[k])) }
                    pc += 1
                } else {
                    slots = saved
                    ok = false
                }
            case .counterInit(let r):
                stack.append(RegexFrame(kind: 2, a: r, b: registers[r]))
                registers[r] = 0
                pc += 1
            case .counterLoop(let r, let minCount, let maxCount, let greedy, let body, let exit):
                let k = registers[r]
                if k < minCount { pc = body }
                else if k >= maxCount { pc = exit }
                else if greedy { stack.append(RegexFrame(kind: 0, a: exit, b: pos)); pc = body }
                else { stack.append(RegexFrame(kind: 0, a: body, b: pos)); pc = exit }
            case .counterIncrement(let r):
                stack.append(RegexFrame(kind: 2, a: r, b: registers[r]))
                registers[r] += 1
                pc += 1
            case .mark(let r):
                stack.append(RegexFrame(kind: 2, a: r, b: registers[r]))
                registers[r] = pos
                pc += 1
            case .progress(let r, let counter, let minCount):
                let reached = counter.map { registers[$0] >= minCount } ?? true
                if reached && registers[r] == pos { ok = false } else { pc += 1 }
            case .charLoop(let kind, let low, let high, let index, let minCount, let maxCount, let greedy):
                let start = pos
                let limit = maxCount == Int.max ? n : min(n, pos + maxCount)
                if greedy {
                    var end = pos
                    while end < limit && matchesLoopChar(kind, low, high, index, at(end)) { end += 1 }
                    steps += end - start
                    if end - start < minCount { ok = false; break }
                    if end - start > minCount { stack.append(RegexFrame(kind: 3, a: pc, b: end, c: start + minCount)) }
                    pos = end
                } else {
                    var end = pos
                    while end - start < minCount && end < n && matchesLoopChar(kind, low, high, index, at(end)) { end += 1 }
                    steps += end - start
                    if end - start < minCount { ok = false; break }
                    if end < limit { stack.append(RegexFrame(kind: 4, a: pc, b: end, c: limit)) }
                    pos = end
                }
                pc += 1
            case .match:
                stack.removeSubrange(base...)
                return pos
            }
            if ok { continue }
            // Backtrack: undo register and slot writes until a resumable branch.
            var resumed = false
            while stack.count > base {
                let f = stack.removeLast()
                switch f.kind {
                case 0: pc = f.a; pos = f.b; resumed = true
                case 1: slots[f.a] = f.b
                case 3:
                    // Give back one character of a greedy loop.
                    pos = f.b - 1
                    if pos > f.c { stack.append(RegexFrame(kind: 3, a: f.a, b: pos, c: f.c)) }
                    pc = f.a + 1
                    resumed = true
                case 4:
                    // Take one more character into a lazy loop, if it matches.
                    guard case .charLoop(let kind, let low, let high, let index, _, _, _) = ops[f.a],
                          f.b < f.c, matchesLoopChar(kind, low, high, index, at(f.b)) else { continue }
                    pos = f.b + 1
                    if pos < f.c { stack.append(RegexFrame(kind: 4, a: f.a, b: pos, c: f.c)) }
                    pc = f.a + 1
                    resumed = true
                default: registers[f.a] = f.b
                }
                if resumed { break }
            }
            if !resumed { return nil }
        }
    }
}
