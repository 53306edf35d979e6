import SluiceJSON

/// Exact arithmetic on JSON numbers for `multipleOf`, `minimum` and friends: never through Double,
/// so `19.99` is a multiple of `0.01` and `1e308` compares correctly.
enum ExactNumbers {
    typealias Decimal = JSONNumber.Decimal

    /// -1, 0 or 1 as a < b, a == b, a > b.
    static func compare(_ a: Decimal, _ b: Decimal) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let m = compareMagnitude(a, b)
        return a.negative ? -m : m
    }

    static func compareMagnitude(_ a: Decimal, _ b: Decimal) -> Int {
        if a.digits.isEmpty { return b.digits.isEmpty ? 0 : -1 }
        if b.digits.isEmpty { return 1 }
        let ma = a.digits.count + a.exponent, mb = b.digits.count + b.exponent
        if ma != mb { return ma < mb ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let da = i < a.digits.count ? a.digits[i] : 0
            let db = i < b.digits.count ? b.digits[i] : 0
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    /// Work limit for the rare big-divisor case: digits processed.
    static let maxBigWork = 200_000

    struct TooLarge: Error {}

    /// Whether x is an integer multiple of d (d > 0). Exact for every input; throws only when a
    /// divisor of more than 19 significant digits meets an exponent gap too large to expand.
    static func isMultiple(_ x: Decimal, of d: Decimal) throws(TooLarge) -> Bool {
        if x.digits.isEmpty { return true }
        if d.digits.isEmpty { return false }
        // x = X·10^a, d = D·10^b with X and D free of trailing zeros. If a < b, x/d has the
        // factor 10^(b-a) in its denominator, which X (not divisible by 10) cannot cancel.
        let a = x.exponent, b = d.exponent
        if a < b { return false }
        let shift = a - b
        if d.digits.count <= 19 {
            var divisor: UInt64 = 0
            for digit in d.digits { divisor = divisor * 10 + UInt64(digit) }
            var r: UInt64 = 0
            for digit in x.digits { r = mulMod(r, 10, divisor) &+ UInt64(digit); r = r % divisor }
            r = mulMod(r, powMod(10, shift, divisor), divisor)
            return r == 0
        }
        guard x.digits.count + shift <= maxBigWork else { throw TooLarge() }
        var r: [UInt8] = []
        func step(_ digit: UInt8) {
            if !(r.isEmpty && digit == 0) { r.append(digit) }
            while compareDigits(r, d.digits) >= 0 { subtract(&r, d.digits) }
        }
        for digit in x.digits { step(digit) }
        for _ in 0..<shift { step(0) }
        return r.isEmpty
    }

    static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high % m, low)).remainder
    }

    static func powMod(_ base: UInt64, _ exp: Int, _ m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1, b = base % m, e = exp
        while e > 0 {
            if e & 1 == 1 { result = mulMod(result, b, m) }
            b = mulMod(b, b, m)
            e >>= 1
        }
        return result
    }

    /// Compares digit arrays without leading zeros as integers.
    static func compareDigits(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in 0..<a.count where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    /// a -= b for a >= b, keeping a free of leading zeros.
    static func subtract(_ a: inout [UInt8], _ b: [UInt8]) {
        var borrow = 0
        var i = a.count - 1, j = b.count - 1
        while i >= 0 {
            var v = Int(a[i]) - borrow - (j >= 0 ? Int(b[j]) : 0)
            borrow = v < 0 ? 1 : 0
            if v < 0 { v += 10 }
            a[i] = UInt8(v)
            i -= 1
            j -= 1
        }
        let firstNonZero = a.firstIndex { $0 != 0 } ?? a.count
        a.removeFirst(firstNonZero)
    }

    /// Whether a JSON number is integral (`1.0` and `1e2` are), cheaply for plain integers.
    static func isInteger(_ n: JSONNumber) -> Bool {
        if !n.text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return true
        }
        return n.decimal.exponent >= 0
    }
}
