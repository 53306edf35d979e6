/// A JSON number that keeps the exact text it was read from.
///
/// `12345678901234567890`, `1E400` and `0.1` are written back as read. Comparison is by exact
/// mathematical value on the decimal text (`1 == 1.0 == 10e-1`), never through `Double`.
public struct JSONNumber: Sendable, CustomStringConvertible {
    /// The number's text as read (valid JSON number grammar).
    public let text: String

    /// Creates a number from text that the caller guarantees is a valid JSON number.
    public init(uncheckedText text: String) { self.text = text }

    /// Creates a number from text, or nil when it is not valid JSON number grammar.
    public init?(text: String) {
        guard JSONNumber.isValidGrammar(text) else { return nil }
        self.text = text
    }

    public init(_ value: Int) { text = String(value) }

    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            text = String(Int64(value))
        } else if value.isFinite {
            text = "\(value)"
        } else {
            text = "null"  // not representable; callers must not pass NaN or infinity
        }
    }

    public var description: String { text }

    /// The value as a Double (may round or overflow to infinity).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an Int when it is integral and fits, else nil (`1.0` and `1e2` are integral).
    public var intValue: Int? {
        if let i = Int(text) { return i }
        let d = decimal
        guard d.exponent >= 0, d.digits.count + d.exponent <= 18 else { return d.digits.isEmpty ? 0 : nil }
        var v = 0
        for c in d.digits { v = v * 10 + Int(c) }
        for _ in 0..<d.exponent { v *= 10 }
        return d.negative ? -v : v
    }

    /// True when the value is a whole number (`1.0` is an integer, as JSON Schema says).
    public var isInteger: Bool { withShape { $0.isZero || $0.leadingPower - ($0.significantCount - 1) >= 0 } }

    /// The exact decimal value: sign, significant digits without leading or trailing zeros, and
    /// the power of ten they are scaled by. Zero has no digits.
    public var decimal: Decimal { Decimal(parsing: text) }

    /// An exact decimal: `(-1)^negative × digits × 10^exponent`.
    public struct Decimal: Hashable, Sendable {
        public var negative: Bool
        /// Significant digits (0...9), most significant first; no leading or trailing zeros.
        public var digits: [UInt8]
        public var exponent: Int

        public init(negative: Bool, digits: [UInt8], exponent: Int) {
            var d = digits[...]
            while let f = d.first, f == 0 { d = d.dropFirst() }
            var e = exponent
            while let l = d.last, l == 0 { d = d.dropLast(); e += 1 }
            self.digits = Array(d)
            self.negative = d.isEmpty ? false : negative
            self.exponent = d.isEmpty ? 0 : e
        }

        /// Reads valid JSON number text. Exponents beyond about ±4.6e17 saturate there; the
        /// digits are always kept exactly.
        init(parsing text: String) {
            var negative = false
            var digits: [UInt8] = []
            digits.reserveCapacity(text.utf8.count)
            var exponent = 0
            var seenPoint = false
            var inExponent = false
            var exponentNegative = false
            var exponentValue = 0
            for b in text.utf8 {
                let digit = b &- UInt8(ascii: "0")
                if inExponent {
                    if digit < 10 {
                        if exponentValue < Int.max / 20 { exponentValue = exponentValue * 10 + Int(digit) }
                    } else if b == UInt8(ascii: "-") {
                        exponentNegative = true
                    }
                    continue
                }
                if digit < 10 {
                    digits.append(digit)
                    if seenPoint { exponent -= 1 }
                } else {
                    switch b {
                    case UInt8(ascii: "-"): negative = true
                    case UInt8(ascii: "."): seenPoint = true
                    case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
                    default: break
                    }
                }
            }
            exponent += exponentNegative ? -exponentValue : exponentValue
            self.init(negative: negative, digits: digits, exponent: exponent)
        }
    }

    static func isValidGrammar(_ text: String) -> Bool {
        var it = Array(text.utf8)[...]
        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= 48 && $0 <= 57 } ?? false }
        if it.first == UInt8(ascii: "-") { it = it.dropFirst() }
        guard let f = it.first, digit(f) else { return false }
        if f == UInt8(ascii: "0") { it = it.dropFirst() } else { while digit(it.first) { it = it.dropFirst() } }
        if it.first == UInt8(ascii: ".") {
            it = it.dropFirst()
            guard digit(it.first) else { return false }
            while digit(it.first) { it = it.dropFirst() }
        }
        if it.first == UInt8(ascii: "e") || it.first == UInt8(ascii: "E") {
            it = it.dropFirst()
            if it.first == UInt8(ascii: "+") || it.first == UInt8(ascii: "-") { it = it.dropFirst() }
            guard digit(it.first) else { return false }
            while digit(it.first) { it = it.dropFirst() }
        }
        return it.isEmpty
    }
}

extension JSONNumber.Decimal {
    /// |a| < |b|, exactly.
    static func magnitudeLess(_ a: Self, _ b: Self) -> Bool {
        if a.digits.isEmpty { return !b.digits.isEmpty }
        if b.digits.isEmpty { return false }
        // Compare the position of the most significant digit first.
        let ma = a.digits.count + a.exponent, mb = b.digits.count + b.exponent
        if ma != mb { return ma < mb }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let da = i < a.digits.count ? a.digits[i] : 0
            let db = i < b.digits.count ? b.digits[i] : 0
            if da != db { return da < db }
        }
        return false
    }
}
