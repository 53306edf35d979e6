public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one home for time as text: RFC 3339 UTC with milliseconds (`2026-11-30T13:05:01.123Z`)
/// in the state DB, the audit log, quarantine entries, record provenance and log lines, and the
/// compact form run ids start with (`20261130T130501Z`). Formatted with `gmtime_r`, without a
/// formatter object per call: audit rows are written by the hundred thousand.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        string(millis: millis(date))
    }

    /// Whole milliseconds since 1970; a date beyond ±190 million years (never a clock's) counts as 1970.
    public static func millis(_ date: Date) -> Int64 {
        let t = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return t.isFinite && abs(t) < 6e18 ? Int64(t) : 0
    }

    /// `millis` is whole milliseconds since 1970.
    public static func string(millis total: Int64) -> String {
        let (q, r) = total.quotientAndRemainder(dividingBy: 1000)
        guard let f = fields(seconds: r < 0 ? q - 1 : q) else { return "1970-01-01T00:00:00.000Z" }
        var out: [UInt8] = []
        out.reserveCapacity(24)
        digits(f.year, 4, &out); out.append(UInt8(ascii: "-"))
        digits(f.month, 2, &out); out.append(UInt8(ascii: "-"))
        digits(f.day, 2, &out); out.append(UInt8(ascii: "T"))
        digits(f.hour, 2, &out); out.append(UInt8(ascii: ":"))
        digits(f.minute, 2, &out); out.append(UInt8(ascii: ":"))
        digits(f.second, 2, &out); out.append(UInt8(ascii: "."))
        digits(Int(r < 0 ? r + 1000 : r), 3, &out); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `20261130T130501Z`: sortable, for run ids and file names.
    public static func compact(_ date: Date) -> String {
        guard let f = fields(seconds: millis(date).quotientAndRemainder(dividingBy: 1000).quotient) else { return "19700101T000000Z" }
        var out: [UInt8] = []
        digits(f.year, 4, &out); digits(f.month, 2, &out); digits(f.day, 2, &out); out.append(UInt8(ascii: "T"))
        digits(f.hour, 2, &out); digits(f.minute, 2, &out); digits(f.second, 2, &out); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads RFC 3339 with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    private struct Fields { var year, month, day, hour, minute, second: Int }

    private static func fields(seconds: Int64) -> Fields? {
        var t = time_t(seconds)
        var tm = tm()
        guard gmtime_r(&t, &tm) != nil else { return nil }
        let year = Int(tm.tm_year) + 1900
        guard (0...9999).contains(year) else { return nil }
        return Fields(year: year, month: Int(tm.tm_mon) + 1, day: Int(tm.tm_mday), hour: Int(tm.tm_hour),
                      minute: Int(tm.tm_min), second: Int(tm.tm_sec))
    }

    private static func digits(_ v: Int, _ n: Int, _ out: inout [UInt8]) {
        var buf = [UInt8](repeating: UInt8(ascii: "0"), count: n)
        var x = v
        for i in stride(from: n - 1, through: 0, by: -1) { buf[i] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10 }
        out.append(contentsOf: buf)
    }
}
