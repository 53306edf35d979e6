import SluiceRegex

/// Format checks for dates, times and durations (RFC 3339 and its appendix A ABNF).
enum Formats {
    /// ASCII digits only (a Bengali digit is not a digit here).
    @inline(__always) static func digit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    static func number<C: Collection<UInt8>>(_ b: C) -> Int? {
        guard !b.isEmpty, b.count <= 9, b.allSatisfy(digit) else { return nil }
        return b.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func isDate(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { isDate($0[...]) }
    }

    static func isDate<C: RandomAccessCollection<UInt8>>(_ b: C) -> Bool where C.Index == Int {
        guard b.count == 10 else { return false }
        let i = b.startIndex
        guard b[i + 4] == UInt8(ascii: "-"), b[i + 7] == UInt8(ascii: "-"),
              let y = number(b[i..<(i + 4)]), let m = number(b[(i + 5)..<(i + 7)]), let d = number(b[(i + 8)..<(i + 10)])
        else { return false }
        guard (1...12).contains(m), d >= 1 else { return false }
        switch m {
        case 2:
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            return d <= (leap ? 29 : 28)
        case 4, 6, 9, 11: return d <= 30
        default: return d <= 31
        }
    }

    static func isTime(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { isTime($0[...]) }
    }

    /// `HH:MM:SS[.frac](Z|±HH:MM)`; a leap second is valid only at 23:59 UTC.
    static func isTime<C: RandomAccessCollection<UInt8>>(_ b: C) -> Bool where C.Index == Int {
        guard b.count >= 9 else { return false }
        let i = b.startIndex
        guard b[i + 2] == UInt8(ascii: ":"), b[i + 5] == UInt8(ascii: ":"),
              let h = number(b[i..<(i + 2)]), let m = number(b[(i + 3)..<(i + 5)]), let sec = number(b[(i + 6)..<(i + 8)])
        else { return false }
        guard h <= 23, m <= 59, sec <= 60 else { return false }
        var j = i + 8
        if j < b.endIndex, b[j] == UInt8(ascii: ".") {
            j += 1
            let start = j
            while j < b.endIndex, digit(b[j]) { j += 1 }
            if j == start { return false }
        }
        guard j < b.endIndex else { return false }
        var offsetMinutes = 0
        switch b[j] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard j + 1 == b.endIndex else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard b.endIndex - j == 6, b[j + 3] == UInt8(ascii: ":"),
                  let oh = number(b[(j + 1)..<(j + 3)]), let om = number(b[(j + 4)..<(j + 6)]), oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (b[j] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if sec == 60 {
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { b in
            guard b.count > 11, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { return false }
            return isDate(b[0..<10]) && isTime(b[11...])
        }
    }

    /// RFC 3339 appendix A: `P` (date [time] | time | week), components in order and contiguous.
    static func isDuration(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.first == UInt8(ascii: "P"), b.count > 1 else { return false }
        var i = 1
        func component() -> (UInt8)? {
            let start = i
            while i < b.count, digit(b[i]) { i += 1 }
            guard i > start, i < b.count else { return nil }
            i += 1
            return b[i - 1]
        }
        // A sequence of units must be a contiguous run of `order`, starting anywhere.
        func run(_ order: [UInt8], stopAt stop: UInt8?) -> Int? {
            var units: [UInt8] = []
            while i < b.count, b[i] != stop {
                guard let u = component() else { return nil }
                units.append(u)
            }
            guard let first = units.first, let k = order.firstIndex(of: first) else { return units.isEmpty ? 0 : nil }
            for (n, u) in units.enumerated() where k + n >= order.count || order[k + n] != u { return nil }
            return units.count
        }
        if b[1] != UInt8(ascii: "T") {
            // Weeks stand alone.
            if b.last == UInt8(ascii: "W") {
                guard b.count > 2 else { return false }
                return b[1..<(b.count - 1)].allSatisfy(digit)
            }
            guard let n = run([UInt8(ascii: "Y"), UInt8(ascii: "M"), UInt8(ascii: "D")], stopAt: UInt8(ascii: "T")), n > 0 else { return false }
        }
        if i == b.count { return true }
        guard b[i] == UInt8(ascii: "T") else { return false }
        i += 1
        guard let n = run([UInt8(ascii: "H"), UInt8(ascii: "M"), UInt8(ascii: "S")], stopAt: nil), n > 0 else { return false }
        return i == b.count
    }

    static func isUUID(_ s: String) -> Bool {
        guard s.utf8.count == 36 else { return false }
        var copy = s
        return copy.withUTF8 { b in
            for i in 0..<36 {
                if i == 8 || i == 13 || i == 18 || i == 23 { if b[i] != UInt8(ascii: "-") { return false } } else if hexValue(b[i]) == nil { return false }
            }
            return true
        }
    }

    static func isJSONPointer(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.hasPrefix("/") else { return false }
        return escapesValid(Array(s.utf8)[...])
    }

    static func escapesValid(_ b: ArraySlice<UInt8>) -> Bool {
        var i = b.startIndex
        while i < b.endIndex {
            if b[i] == UInt8(ascii: "~") {
                guard i + 1 < b.endIndex, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "1") else { return false }
                i += 1
            }
            i += 1
        }
        return true
    }

    static func isRelativeJSONPointer(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count, digit(b[i]) { i += 1 }
        guard i > 0, !(b[0] == UInt8(ascii: "0") && i > 1) else { return false }
        if i == b.count { return true }
        if b[i] == UInt8(ascii: "#") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "/") else { return false }
        return escapesValid(b[i...])
    }

    static func isIPv4(_ s: String) -> Bool {
        var parts = 0, value = 0, digits = 0, leadingZero = false
        for c in s.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                parts += 1
                value = 0
                digits = 0
                continue
            }
            guard digit(c), digits < 3, !(leadingZero && digits == 1) else { return false }
            if digits == 0 { leadingZero = c == UInt8(ascii: "0") }
            value = value * 10 + Int(c - 48)
            digits += 1
            if value > 255 { return false }
        }
        return parts == 3 && digits > 0
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 < 128 }) else { return false }
        var text = Substring(s)
        var groupsAllowed = 8
        // An embedded IPv4 address takes the place of the last two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = text[...lastColon]
            if !text.hasSuffix("::") { text = text.dropLast() }
            groupsAllowed = 6
        }
        let halves = String(text).splitOnDoubleColon()
        guard halves.count <= 2 else { return false }
        func groups(_ t: String) -> Int? {
            if t.isEmpty { return 0 }
            var n = 0
            for g in t.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(g.utf8.count), g.utf8.allSatisfy({ hexValue($0) != nil }) else { return nil }
                n += 1
            }
            return n
        }
        if halves.count == 1 {
            return groups(halves[0]) == groupsAllowed
        }
        guard let a = groups(halves[0]), let c = groups(halves[1]) else { return false }
        return a + c < groupsAllowed
    }
}

extension String {
    /// Splits at every `::`.
    func splitOnDoubleColon() -> [String] {
        var parts: [String] = []
        var current = ""
        var prevColon = false
        for c in self {
            if c == ":" && prevColon {
                current.removeLast()
                parts.append(current)
                current = ""
                prevColon = false
                continue
            }
            current.append(c)
            prevColon = c == ":"
        }
        parts.append(current)
        return parts
    }
}
