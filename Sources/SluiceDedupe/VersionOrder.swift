import Foundation
import SluiceJSON

/// How two versions of one document compare: by their `order_by` values.
///
/// Numbers compare by exact decimal value. Strings that are both RFC 3339 / ISO 8601 timestamps
/// compare as instants (so `2024-05-01T10:00:00+02:00` is older than `2024-05-01T09:00:00Z`);
/// other strings compare by Unicode scalar values. A number and a string do not compare
/// (the record is quarantined). Equal order values are broken by the content key, the greater
/// winning, so the survivor never depends on arrival order; equal content is the same version.
enum VersionOrder {
    enum Comparison { case older, same, newer }

    struct Incomparable: Error {
        var message: String
    }

    /// How `new` compares with `old`.
    static func compare(_ new: JSONValue, _ old: JSONValue) throws(Incomparable) -> Comparison {
        switch (new, old) {
        case (.number(let a), .number(let b)):
            return a < b ? .older : (b < a ? .newer : .same)
        case (.string(let a), .string(let b)):
            if let da = timestamp(a), let db = timestamp(b) {
                return da < db ? .older : (db < da ? .newer : .same)
            }
            let x = Array(a.unicodeScalars.map(\.value)), y = Array(b.unicodeScalars.map(\.value))
            return x.lexicographicallyPrecedes(y) ? .older : (y.lexicographicallyPrecedes(x) ? .newer : .same)
        default:
            throw Incomparable(message: "the order value is \(new.typeName) but the stored version's is \(old.typeName); order_by values must be all numbers or all strings")
        }
    }

    /// Whether a value can order versions at all.
    static func isOrderable(_ v: JSONValue) -> Bool {
        switch v {
        case .number, .string: return true
        default: return false
        }
    }

    /// Seconds since 1970 of an RFC 3339 / ISO 8601 date or date-time, or nil.
    static func timestamp(_ s: String) -> Double? {
        let b = Array(s.utf8)
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(b, 0, 4), let mo = digits(b, 5, 2), let d = digits(b, 8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var seconds = Double(daysFromCivil(y, mo, d)) * 86400
        if b.count == 10 { return seconds }
        guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let h = digits(b, 11, 2), b[13] == UInt8(ascii: ":"), let mi = digits(b, 14, 2), h < 24, mi < 60 else { return nil }
        seconds += Double(h * 3600 + mi * 60)
        var i = 16
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let sec = digits(b, i + 1, 2), sec <= 60 else { return nil }
            seconds += Double(sec)
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                var scale = 0.1
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    seconds += Double(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
        }
        if i == b.count { return seconds }
        if i + 1 == b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return seconds }
        guard i + 6 == b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
              let oh = digits(b, i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let om = digits(b, i + 4, 2) else { return nil }
        let offset = Double(oh * 3600 + om * 60)
        return b[i] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
    }

    private static func digits(_ b: [UInt8], _ at: Int, _ n: Int) -> Int? {
        guard at + n <= b.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
