/// Exact comparison and hashing straight from the number's text, without building a `Decimal`
/// (no allocation): these run in hot loops such as JSON Schema's `minimum`, `enum` and
/// `uniqueItems`.
extension JSONNumber: Hashable, Comparable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        return lhs.withShape { a in rhs.withShape { b in a.negative == b.negative && Shape.compareMagnitudes(a, b) == 0 } }
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.withShape { a in
            rhs.withShape { b in
                if a.negative != b.negative { return a.negative }
                let order = Shape.compareMagnitudes(a, b)
                return a.negative ? order > 0 : order < 0
            }
        }
    }

    /// Equal numbers hash alike: the sign, the power of the leading digit and the significant
    /// digits are what equality compares.
    public func hash(into hasher: inout Hasher) {
        withShape { shape in
            hasher.combine(shape.negative)
            hasher.combine(shape.isZero ? 0 : shape.leadingPower)
            hasher.combine(shape.significantCount)
            var digits = shape.digits
            while let d = digits.next() { hasher.combine(d) }
        }
    }

    /// The number's value as sign × significant digits × power of ten, read in place.
    struct Shape {
        var bytes: UnsafeBufferPointer<UInt8>
        var negative = false
        /// The power of ten of the first significant digit (`120` → 2, `0.05` → -2).
        var leadingPower = 0
        /// Digits from the first to the last non-zero one.
        var significantCount = 0
        /// Byte offset of the first significant digit.
        var firstSignificant = 0
        var isZero: Bool { significantCount == 0 }

        /// Reads any text without trapping; for valid JSON number grammar it agrees with
        /// `JSONNumber.Decimal` (exponents saturate at the same bound).
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            var integerDigits = 0
            var seenPoint = false
            var ordinal = 0
            var firstOrdinal = -1
            var lastOrdinal = -1
            var i = 0
            var exponentNegative = false
            var exponentValue = 0
            var sawNegative = false
            while i < bytes.count {
                let b = bytes[i]
                let digit = b &- UInt8(ascii: "0")
                if digit < 10 {
                    if digit != 0 {
                        if firstOrdinal < 0 {
                            firstOrdinal = ordinal
                            firstSignificant = i
                        }
                        lastOrdinal = ordinal
                    }
                    if !seenPoint { integerDigits += 1 }
                    ordinal += 1
                } else if b == UInt8(ascii: ".") {
                    seenPoint = true
                } else if b == UInt8(ascii: "-") {
                    sawNegative = true
                } else if b | 0x20 == UInt8(ascii: "e") {
                    i += 1
                    while i < bytes.count {
                        let e = bytes[i] &- UInt8(ascii: "0")
                        if e < 10 {
                            if exponentValue < Int.max / 20 { exponentValue = exponentValue * 10 + Int(e) }
                        } else if bytes[i] == UInt8(ascii: "-") {
                            exponentNegative = true
                        }
                        i += 1
                    }
                    break
                }
                i += 1
            }
            guard firstOrdinal >= 0 else { return }
            let exponent = exponentNegative ? -exponentValue : exponentValue
            negative = sawNegative
            leadingPower = integerDigits - 1 - firstOrdinal + exponent
            significantCount = lastOrdinal - firstOrdinal + 1
        }

        /// The significant digits, most significant first.
        var digits: Digits { Digits(bytes: bytes, index: firstSignificant, remaining: significantCount) }

        struct Digits: IteratorProtocol {
            var bytes: UnsafeBufferPointer<UInt8>
            var index: Int
            var remaining: Int

            mutating func next() -> UInt8? {
                while remaining > 0, index < bytes.count {
                    let d = bytes[index] &- UInt8(ascii: "0")
                    index += 1
                    if d < 10 {
                        remaining -= 1
                        return d
                    }
                }
                return nil
            }
        }

        /// -1, 0 or 1 as |a| is less than, equal to or greater than |b|.
        static func compareMagnitudes(_ a: Shape, _ b: Shape) -> Int {
            if a.isZero || b.isZero { return a.isZero == b.isZero ? 0 : (a.isZero ? -1 : 1) }
            if a.leadingPower != b.leadingPower { return a.leadingPower < b.leadingPower ? -1 : 1 }
            var da = a.digits
            var db = b.digits
            while true {
                switch (da.next(), db.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1  // b has more digits, and its last one is non-zero
                case (_, nil): return 1
                case let (x?, y?): if x != y { return x < y ? -1 : 1 }
                }
            }
        }
    }

    /// Runs `body` on the shape of this number's text.
    func withShape<R>(_ body: (Shape) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(Shape($0)) }) { return result }
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer { body(Shape($0)) }
    }
}
