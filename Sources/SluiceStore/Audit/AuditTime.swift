import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 UTC with milliseconds (`2026-11-30T13:05:01.123Z`), the same text as `Timestamp`,
/// without a formatter per call: audit rows are written by the hundred thousand.
enum AuditTime {
    static func string(_ date: Date) -> String {
        string(millis: millis(date), date)
    }

    /// Whole milliseconds since 1970; a date beyond ±190 million years (never a clock's) counts as 1970.
    static func millis(_ date: Date) -> Int64 {
        let t = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return t.isFinite && abs(t) < 6e18 ? Int64(t) : 0
    }

    /// `millis` is whole milliseconds since 1970 (what `AuditLog` keys its cache on).
    static func string(millis total: Int64, _ date: Date) -> String {
        let (q, r) = total.quotientAndRemainder(dividingBy: 1000)
        var seconds = time_t(r < 0 ? q - 1 : q)
        let millis = Int(r < 0 ? r + 1000 : r)
        var tm = tm()
        guard gmtime_r(&seconds, &tm) != nil else { return Timestamp.string(date) }
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ v: Int, _ n: Int) {
            var buf = [UInt8](repeating: UInt8(ascii: "0"), count: n)
            var x = v
            for i in stride(from: n - 1, through: 0, by: -1) { buf[i] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10 }
            out.append(contentsOf: buf)
        }
        let year = Int(tm.tm_year) + 1900
        guard (0...9999).contains(year) else { return Timestamp.string(date) }
        digits(year, 4); out.append(UInt8(ascii: "-"))
        digits(Int(tm.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(tm.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(tm.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(tm.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(tm.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(millis, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
