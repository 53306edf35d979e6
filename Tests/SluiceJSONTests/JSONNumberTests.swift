import SluiceCore
import Testing
import SluiceJSON

@Suite struct JSONNumberTests {
    func number(_ text: String) throws -> JSONNumber { try #require(JSONNumber(text: text)) }

    @Test func equalByExactValue() throws {
        #expect(try number("1") == number("1.0"))
        #expect(try number("1") == number("10e-1"))
        #expect(try number("100") == number("1E2"))
        #expect(try number("0") == number("-0.0"))
        #expect(try number("0.5") == number("5E-1"))
        #expect(try number("12345678901234567890") == number("1.234567890123456789e19"))
        #expect(try number("0.1") != number("0.10000000000000001"))
        #expect(try number("12345678901234567890") != number("12345678901234567891"))
        #expect(try number("1e400") != number("1e401"))
        #expect(try number("1e-400") != number("0"))
    }

    @Test func hashAgreesWithEquality() throws {
        let set: Set<JSONNumber> = [try number("1"), try number("1.0"), try number("10e-1"), try number("2")]
        #expect(set.count == 2)
    }

    @Test func ordersByExactValue() throws {
        let ascending = ["-1e400", "-12345678901234567891", "-12345678901234567890", "-1", "-0.5", "0", "1e-400",
                         "0.1", "0.10000000000000001", "1", "1.5", "2", "12345678901234567890", "1e400", "1e401"]
        let numbers = try ascending.map(number)
        for i in numbers.indices {
            for j in numbers.indices {
                #expect((numbers[i] < numbers[j]) == (i < j), "\(ascending[i]) < \(ascending[j])")
            }
        }
        #expect(try number("1.0") <= number("1"))
        #expect(try !(number("-0") < number("0")))
    }

    @Test func decimalIsNormalised() throws {
        let d = try number("-12.3400e1").decimal
        #expect(d == JSONNumber.Decimal(negative: true, digits: [1, 2, 3, 4], exponent: -1))
        let zero = try number("-0.000e5").decimal
        #expect(zero.digits.isEmpty && !zero.negative && zero.exponent == 0)
        #expect(try number("1E+2").decimal == JSONNumber.Decimal(negative: false, digits: [1], exponent: 2))
        #expect(try number("123456789e-999999999999").decimal.exponent == -999999999999)
    }

    /// The in-place comparison agrees with the exact `decimal` on seeded random numbers built to
    /// collide: equal values in different spellings, zeros, trailing zeros and exponents.
    @Test func comparisonAgreesWithTheDecimalReference() throws {
        var rng = SplitMix64(seed: 99)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func randomText() -> String {
            let digits = ["0", "1", "10", "100", "12", "120", "5", "999", "1000000000000000000001"][below(9)]
            var text = (below(3) == 0 ? "-" : "") + digits
            if below(2) == 0 { text += "." + ["0", "00", "5", "50", "05", "1", "000000000000000000001"][below(7)] }
            if below(2) == 0 { text += ["e", "E"][below(2)] + ["", "+", "-"][below(3)] + ["0", "1", "2", "3", "19", "400"][below(6)] }
            return text
        }
        func referenceLess(_ a: JSONNumber.Decimal, _ b: JSONNumber.Decimal) -> Bool {
            func signedCompare() -> Int {
                if a.digits.isEmpty && b.digits.isEmpty { return 0 }
                let ma = a.digits.count + a.exponent, mb = b.digits.count + b.exponent
                var magnitude = 0
                if a.digits.isEmpty { magnitude = -1 } else if b.digits.isEmpty { magnitude = 1 } else if ma != mb {
                    magnitude = ma < mb ? -1 : 1
                } else {
                    for i in 0..<max(a.digits.count, b.digits.count) {
                        let x = i < a.digits.count ? a.digits[i] : 0, y = i < b.digits.count ? b.digits[i] : 0
                        if x != y { magnitude = x < y ? -1 : 1; break }
                    }
                }
                if a.negative != b.negative { return a.negative ? -1 : 1 }
                return a.negative ? -magnitude : magnitude
            }
            return signedCompare() < 0
        }
        var equalPairs = 0
        for _ in 0..<3000 {
            let a = try number(randomText()), b = try number(randomText())
            let da = a.decimal, db = b.decimal
            #expect((a == b) == (da == db), "\(a) == \(b)")
            #expect((a < b) == referenceLess(da, db), "\(a) < \(b)")
            #expect(a.isInteger == (da.exponent >= 0), "\(a).isInteger")
            if a == b {
                equalPairs += 1
                #expect(a.hashValue == b.hashValue, "\(a) and \(b) hash alike")
            }
        }
        #expect(equalPairs > 30)
    }

    @Test func uncheckedTextNeverTraps() {
        for text in ["", "-", "null", "e5", "1e", "1.", ".", "--", "1e-", "abc", "0x1F"] {
            let n = JSONNumber(uncheckedText: text)
            _ = n == JSONNumber(0)
            _ = n < JSONNumber(1)
            _ = n.hashValue
            _ = n.isInteger
        }
        #expect(JSONNumber(uncheckedText: "null") == JSONNumber(0), "text without digits reads as zero, as `decimal` does")
    }

    @Test func validatesGrammar() {
        for good in ["0", "-0", "1.5", "1e5", "1E+5", "-1.5e-5", "12345678901234567890"] {
            #expect(JSONNumber(text: good) != nil, "\(good)")
        }
        for bad in ["", "-", "01", "1.", ".1", "+1", "1e", "1e+", "0x1", "NaN", "Infinity", " 1", "1 ", "--1", "1.5.5"] {
            #expect(JSONNumber(text: bad) == nil, "\(bad)")
        }
    }

    @Test func integerViews() throws {
        #expect(try number("42").intValue == 42)
        #expect(try number("1.0").intValue == 1)
        #expect(try number("1e2").intValue == 100)
        #expect(try number("-0").intValue == 0)
        #expect(try number("1.5").intValue == nil)
        #expect(try number("1e30").intValue == nil)
        #expect(try number("1.0").isInteger)
        #expect(try number("1e2").isInteger)
        #expect(try !number("1.25").isInteger)
        #expect(try number("1e400").doubleValue == .infinity)
        #expect(try number("0.1").doubleValue == 0.1)
    }

    @Test func initialisersFromSwiftNumbers() {
        #expect(JSONNumber(42).text == "42")
        #expect(JSONNumber(-7).text == "-7")
        #expect(JSONNumber(2.0).text == "2")
        #expect(JSONNumber(0.1).text == "0.1")
        #expect(JSONNumber(1e300).doubleValue == 1e300)
        #expect(JSONNumber(text: JSONNumber(1e-300).text) != nil)
    }
}
