import Foundation
import SluiceCore
import Testing
import SluiceJSON

/// Seeded random documents: whatever the writer writes, the parser reads back unchanged, and
/// Foundation's independent parser reads the same strings and structure from it.
@Suite struct JSONPropertyTests {
    @Test func randomValuesRoundTripWithEveryWriterOption() throws {
        var generator = RandomJSON(seed: 7)
        let optionSets: [JSONWriter.Options] = [
            .init(), .init(escapeNonASCII: true), .init(prettyPrinted: true), .init(sortedKeys: true),
            .init(sortedKeys: true, escapeNonASCII: true, prettyPrinted: true),
        ]
        for _ in 0..<400 {
            let value = generator.value(depth: 0)
            for options in optionSets {
                let written = JSONWriter.bytes(value, options: options)
                let reparsed = try JSONParser.parse(written)
                #expect(reparsed == value)
                #expect(JSONWriter.bytes(reparsed, options: options) == written, "writing is deterministic")
                if options.escapeNonASCII { #expect(written.allSatisfy { $0 < 0x80 }) }
            }
            // Key order survives compact and pretty writing.
            let compact = try JSONParser.parse(JSONWriter.bytes(value))
            #expect(Self.keyOrders(compact) == Self.keyOrders(value))
        }
    }

    @Test func foundationReadsWhatTheWriterWrites() throws {
        // Foundation reads big or long numbers as Decimal or refuses them, so keep numbers plain.
        var generator = RandomJSON(seed: 11, plainNumbers: true)
        for _ in 0..<300 {
            let value = generator.value(depth: 0)
            for options in [JSONWriter.Options(), .init(escapeNonASCII: true)] {
                let written = JSONWriter.bytes(value, options: options)
                let foundation = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
                #expect(Self.matches(value, foundation), "\(JSONWriter.string(value))")
            }
        }
    }

    /// Strings with every escape and plane, read by both parsers from the same bytes.
    @Test func parserAgreesWithFoundationOnEscapes() throws {
        let text = #"["\u0000\u001f\"\\\/\b\f\n\r\t", "\u00e9\u20ac\ud83d\ude00\uDBFF\uDFFF", "é€😀", "\u2028\u2029"]"#
        let ours = try JSONParser.parse(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(Self.matches(ours, theirs))
    }

    static func keyOrders(_ value: JSONValue) -> [[String]] {
        var orders: [[String]] = []
        var pending = [value]
        while let next = pending.popLast() {
            switch next {
            case .object(let o):
                orders.append(o.keys)
                pending.append(contentsOf: o.keys.compactMap { o[$0] })
            case .array(let a): pending.append(contentsOf: a)
            default: break
            }
        }
        return orders
    }

    /// Structural equality with a Foundation value; strings compared scalar by scalar, numbers
    /// by their Double value.
    static func matches(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let b): return (other as? Bool) == b
        case .number(let n): return (other as? NSNumber).map { $0.doubleValue == n.doubleValue } ?? false
        case .string(let s): return (other as? String).map { Array($0.unicodeScalars) == Array(s.unicodeScalars) } ?? false
        case .array(let a):
            guard let o = other as? [Any], o.count == a.count else { return false }
            return zip(a, o).allSatisfy { matches($0, $1) }
        case .object(let object):
            guard let o = other as? [String: Any], o.count == object.count else { return false }
            return object.keys.allSatisfy { key in o[key].map { matches(object[key] ?? .null, $0) } ?? false }
        }
    }
}

/// Random JSON values from a seed: every kind of value, keys and strings drawn from ASCII,
/// control characters, quotes and backslashes, two- to four-byte UTF-8 and near-surrogate
/// code points; numbers in every grammatical shape.
struct RandomJSON {
    var rng: SplitMix64
    /// Only numbers a Double holds exactly (small integers, halves), for comparing with parsers
    /// that go through Double.
    var plainNumbers = false

    init(seed: UInt64, plainNumbers: Bool = false) {
        rng = SplitMix64(seed: seed)
        self.plainNumbers = plainNumbers
    }

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func scalar() -> Unicode.Scalar {
        let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0x00...0x1F, 0x22...0x22, 0x5C...0x5C, 0x80...0x7FF,
                                            0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        let pool = pools[below(pools.count)]
        let v = pool.lowerBound + UInt32(below(Int(pool.upperBound - pool.lowerBound) + 1))
        return Unicode.Scalar(v) ?? "x"
    }

    mutating func string() -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<below(12) { s.append(scalar()) }
        return String(s)
    }

    mutating func numberText() -> String {
        if plainNumbers { return String(below(2_000_001) - 1_000_000) + (below(2) == 0 ? ".5" : "") }
        var t = below(3) == 0 ? "-" : ""
        t += below(4) == 0 ? "0" : String(1 + below(9)) + String(repeating: "7", count: below(25))
        if below(2) == 0 { t += "." + String(below(1_000_000)) }
        if below(3) == 0 { t += ["e", "E"][below(2)] + ["", "+", "-"][below(3)] + String(below(400)) }
        return t
    }

    mutating func value(depth: Int) -> JSONValue {
        switch below(depth >= 5 ? 5 : 8) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .number(JSONNumber(text: numberText()) ?? JSONNumber(0))
        case 3, 4: return .string(string())
        case 5: return .array((0..<below(5)).map { _ in value(depth: depth + 1) })
        default:
            var members: [(String, JSONValue)] = []
            for _ in 0..<below(6) { members.append((string(), value(depth: depth + 1))) }
            return .object(JSONObject(members))
        }
    }
}
