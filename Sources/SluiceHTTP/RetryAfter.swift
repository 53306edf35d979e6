import Foundation

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum RetryAfter {
    /// The wait in seconds (never negative), or nil when the header is absent or unreadable.
    static func seconds(_ value: String?, now: Date) -> Double? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if raw.allSatisfy(\.isASCIIDigit) { return Double(raw.prefix(9)).map { $0 } }
        guard let date = HTTPDate.parse(raw) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// `RateLimit-Remaining`/`RateLimit-Reset` (and the `X-RateLimit-` forms), or the structured
/// `RateLimit: "name";r=0;t=10` field of the IETF draft: when nothing remains, the seconds to
/// wait before the next request.
enum RateLimitHeaders {
    static func waitSeconds(_ header: (String) -> String?, now: Date) -> Double? {
        if let structured = header("ratelimit"), structured.contains("r="), structured.contains("t=") {
            var remaining: Int?
            var reset: Double?
            for part in structured.split(whereSeparator: { $0 == ";" || $0 == "," }) {
                let kv = part.trimmingCharacters(in: .whitespaces)
                if kv.hasPrefix("r=") { remaining = Int(kv.dropFirst(2)) }
                if kv.hasPrefix("t=") { reset = Double(kv.dropFirst(2)) }
            }
            if remaining == 0, let reset { return max(0, reset) }
            return nil
        }
        for prefix in ["ratelimit-", "x-ratelimit-"] {
            guard let remaining = header(prefix + "remaining").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { continue }
            guard remaining <= 0, let resetText = header(prefix + "reset")?.trimmingCharacters(in: .whitespaces),
                  let reset = Double(resetText) else { return nil }
            // Some APIs send an epoch time rather than delta seconds; a value past a year is one.
            if reset > 365 * 86400 { return max(0, reset - now.timeIntervalSince1970) }
            return max(0, reset)
        }
        return nil
    }
}

/// HTTP-date parsing: IMF-fixdate, and the obsolete RFC 850 and asctime forms (RFC 9110 §5.6.7).
enum HTTPDate {
    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]

    static func parse(_ raw: String) -> Date? {
        // asctime pads the day with a space (`Nov  6`); one space is what the format expects.
        let text = raw.split(separator: " ").joined(separator: " ")
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
