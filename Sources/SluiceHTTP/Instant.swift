import Foundation

/// An RFC 3339 date-time (`2026-11-01T10:00:00.5+02:00`, `Z` or an offset; `t`, `z` and a space
/// for `T` accepted) as a point in time, exact to the digit: whole seconds since the epoch in UTC
/// and the fraction's digits. Nil for anything else (a bare date, a time without an offset).
struct Instant: Comparable, Sendable {
    var seconds: Int64
    /// The fraction's digits, without trailing zeros ("5" for .500).
    var fraction: String

    init?(_ text: String) {
        let b = Array(text.utf8)
        func num(_ at: Int, _ len: Int) -> Int64? {
            guard at + len <= b.count else { return nil }
            var v: Int64 = 0
            for c in b[at..<at + len] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
              [84, 116, 32].contains(b[10]), let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58, let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        var frac: [UInt8] = []
        if i < b.count, b[i] == 46 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { frac.append(b[i]); i += 1 }
            if frac.isEmpty { return nil }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2), oh < 24, om < 60 {
            offset = (oh * 3600 + om * 60) * (b[i] == 43 ? 1 : -1)
            i += 6
        } else { return nil }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        seconds = days * 86400 + h * 3600 + mi * 60 + s - offset
        while frac.last == 48 { frac.removeLast() }
        fraction = String(decoding: frac, as: UTF8.self)
    }

    static func < (a: Instant, b: Instant) -> Bool {
        if a.seconds != b.seconds { return a.seconds < b.seconds }
        return a.fraction < b.fraction
    }
}
