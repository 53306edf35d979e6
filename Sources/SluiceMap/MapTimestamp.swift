import Foundation

/// An instant as the mapping language handles it: whole seconds since 1970 (UTC) and the
/// fraction's decimal digits as written. Parsed and formatted by hand (no locale, no
/// DateFormatter): linear in the text, the same on every machine.
struct MapTimestamp: Equatable {
    var seconds: Int
    /// Fraction digits (`"5"` for .5), no trailing zeros.
    var fraction: String = ""

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init(seconds: Int, fraction: String = "") {
        self.seconds = seconds
        var f = fraction
        while f.hasSuffix("0") { f.removeLast() }
        self.fraction = f
    }

    init(date: Date) {
        let t = date.timeIntervalSince1970
        let whole = Int(t.rounded(.down))
        let millis = Int(((t - Double(whole)) * 1000).rounded())
        self.init(seconds: whole, fraction: millis == 0 ? "" : String(format: "%03d", min(999, millis)))
    }

    /// RFC 3339 in UTC: `2024-03-05T14:07:00Z`, with the fraction when there is one.
    var rfc3339: String {
        format("%Y-%m-%dT%H:%M:%S") + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }

    // MARK: civil dates (Howard Hinnant's algorithms)

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: formatting

    /// strftime-style formatting in UTC: %Y %m %d %H %M %S %y %e %j %b %B %a %A %F %T %f %s %z %%.
    func format(_ pattern: String) -> String {
        let days = Int((Double(seconds) / 86400).rounded(.down))
        let secs = seconds - days * 86400
        let (y, m, d) = Self.civil(days: days)
        let weekday = ((days % 7) + 11) % 7 // 1970-01-01 was a Thursday (4)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = ""
        var it = pattern.makeIterator()
        while let c = it.next() {
            guard c == "%", let f = it.next() else { out.append(c); continue }
            switch f {
            case "Y": out += pad(y, 4)
            case "y": out += pad(((y % 100) + 100) % 100, 2)
            case "m": out += pad(m, 2)
            case "d": out += pad(d, 2)
            case "e": out += (d < 10 ? " " : "") + String(d)
            case "H": out += pad(secs / 3600, 2)
            case "M": out += pad(secs % 3600 / 60, 2)
            case "S": out += pad(secs % 60, 2)
            case "j": out += pad(Self.days(year: y, month: m, day: d) - Self.days(year: y, month: 1, day: 1) + 1, 3)
            case "b": out += Self.monthNames[m - 1].prefix(3)
            case "B": out += Self.monthNames[m - 1]
            case "a": out += Self.dayNames[weekday].prefix(3)
            case "A": out += Self.dayNames[weekday]
            case "F": out += pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
            case "T": out += pad(secs / 3600, 2) + ":" + pad(secs % 3600 / 60, 2) + ":" + pad(secs % 60, 2)
            case "f": out += fraction.isEmpty ? "0" : fraction
            case "s": out += String(seconds)
            case "z": out += "+0000"
            case "%": out += "%"
            default: out.append("%"); out.append(f)
            }
        }
        return out
    }
}

/// Parses timestamps: RFC 3339, RFC 2822, or an explicit strftime-style format.
struct TimestampParser {
    private var s: [UInt8]
    private var i = 0

    init(_ text: String) { s = Array(text.utf8) }

    /// Without a format: RFC 3339 (also with a space for `T`), RFC 2822, then `%Y-%m-%d`.
    static func parse(_ text: String) -> MapTimestamp? {
        let t = text.trimmingCharacters(in: .whitespaces)
        for format in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z",
                       "%a, %d %b %Y %H:%M %z", "%d %b %Y %H:%M %z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"] {
            if let ts = parse(t, format: format) { return ts }
        }
        return nil
    }

    /// Parses `text` with a strftime-style `format` (%Y %m %d %H %M %S %y %e %b %B %a %A %F %T
    /// %f %s %z %Z %%; seconds may carry a fraction). A missing zone means UTC.
    static func parse(_ text: String, format: String) -> MapTimestamp? {
        var p = TimestampParser(text)
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0
        var fraction = ""
        var epoch: Int? = nil
        var f = Array(format.utf8)[...]
        while let c = f.first {
            f = f.dropFirst()
            if c != UInt8(ascii: "%") {
                if c == UInt8(ascii: "T"), p.peek == UInt8(ascii: "t") { p.i += 1; continue }
                guard p.take(c) else { return nil }
                continue
            }
            guard let d = f.first else { return nil }
            f = f.dropFirst()
            switch d {
            case UInt8(ascii: "Y"): guard let v = p.number(min: 4, max: 4) else { return nil }; year = v
            case UInt8(ascii: "y"): guard let v = p.number(min: 2, max: 2) else { return nil }; year = v < 69 ? 2000 + v : 1900 + v
            case UInt8(ascii: "m"): guard let v = p.number(min: 1, max: 2), (1...12).contains(v) else { return nil }; month = v
            case UInt8(ascii: "d"), UInt8(ascii: "e"):
                if p.peek == 32 { p.i += 1 }
                guard let v = p.number(min: 1, max: 2), (1...31).contains(v) else { return nil }; day = v
            case UInt8(ascii: "H"): guard let v = p.number(min: 1, max: 2), v < 24 else { return nil }; hour = v
            case UInt8(ascii: "M"): guard let v = p.number(min: 2, max: 2), v < 60 else { return nil }; minute = v
            case UInt8(ascii: "S"):
                guard let v = p.number(min: 2, max: 2), v <= 60 else { return nil }
                second = min(v, 59)
                if p.peek == UInt8(ascii: ".") || p.peek == UInt8(ascii: ",") {
                    p.i += 1
                    let start = p.i
                    while let b = p.peek, b >= 48, b <= 57, p.i - start < 9 { p.i += 1 }
                    guard p.i > start else { return nil }
                    fraction = String(decoding: p.s[start..<p.i], as: UTF8.self)
                    while let b = p.peek, b >= 48, b <= 57 { p.i += 1 }
                }
            case UInt8(ascii: "f"):
                let start = p.i
                while let b = p.peek, b >= 48, b <= 57, p.i - start < 9 { p.i += 1 }
                guard p.i > start else { return nil }
                fraction = String(decoding: p.s[start..<p.i], as: UTF8.self)
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                guard let word = p.word(), word.count >= 3,
                      let k = MapTimestamp.months.firstIndex(of: String(word.lowercased().prefix(3))) else { return nil }
                month = k + 1
            case UInt8(ascii: "a"), UInt8(ascii: "A"):
                guard let word = p.word(), word.count >= 3 else { return nil }
            case UInt8(ascii: "F"):
                guard let y = p.number(min: 4, max: 4), p.take(UInt8(ascii: "-")), let m = p.number(min: 2, max: 2),
                      p.take(UInt8(ascii: "-")), let dd = p.number(min: 2, max: 2), (1...12).contains(m), (1...31).contains(dd) else { return nil }
                year = y; month = m; day = dd
            case UInt8(ascii: "T"):
                guard let h = p.number(min: 2, max: 2), p.take(UInt8(ascii: ":")), let mi = p.number(min: 2, max: 2),
                      p.take(UInt8(ascii: ":")), let se = p.number(min: 2, max: 2), h < 24, mi < 60, se <= 60 else { return nil }
                hour = h; minute = mi; second = min(se, 59)
            case UInt8(ascii: "s"):
                var negative = false
                if p.peek == UInt8(ascii: "-") { negative = true; p.i += 1 }
                guard let v = p.number(min: 1, max: 12) else { return nil }
                epoch = negative ? -v : v
            case UInt8(ascii: "z"), UInt8(ascii: "Z"):
                guard let o = p.zone() else { return nil }
                offset = o
            case UInt8(ascii: "%"): guard p.take(UInt8(ascii: "%")) else { return nil }
            default: return nil
            }
        }
        guard p.i == p.s.count else { return nil }
        if let epoch { return MapTimestamp(seconds: epoch, fraction: fraction) }
        guard day <= MapTimestamp.daysIn(month: month, year: year) else { return nil }
        let days = MapTimestamp.days(year: year, month: month, day: day)
        return MapTimestamp(seconds: days * 86400 + hour * 3600 + minute * 60 + second - offset, fraction: fraction)
    }

    var peek: UInt8? { i < s.count ? s[i] : nil }

    mutating func take(_ b: UInt8) -> Bool {
        guard peek == b else { return false }
        i += 1
        return true
    }

    mutating func number(min: Int, max: Int) -> Int? {
        var v = 0, n = 0
        while n < max, let b = peek, b >= 48, b <= 57 { v = v * 10 + Int(b - 48); n += 1; i += 1 }
        return n >= min ? v : nil
    }

    mutating func word() -> String? {
        let start = i
        while let b = peek, (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { i += 1 }
        return i > start ? String(decoding: s[start..<i], as: UTF8.self) : nil
    }

    /// `Z`, `+01:00`, `-0500`, `UTC`, `GMT`, `UT`, and the US zones of RFC 2822: seconds east.
    mutating func zone() -> Int? {
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
        if let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            i += 1
            guard let h = number(min: 2, max: 2) else { return nil }
            _ = take(UInt8(ascii: ":"))
            guard let m = number(min: 2, max: 2), h < 24, m < 60 else { return nil }
            return (sign == UInt8(ascii: "+") ? 1 : -1) * (h * 3600 + m * 60)
        }
        guard let w = word() else { return nil }
        let zones = ["UTC": 0, "GMT": 0, "UT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7]
        return zones[w.uppercased()].map { $0 * 3600 }
    }
}
