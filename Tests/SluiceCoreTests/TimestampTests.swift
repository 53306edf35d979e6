import Foundation
import SluiceCore
import Testing

@Suite struct TimestampTests {
    @Test func rfc3339WithMillisecondsAndTheCompactForm() {
        let d = Date(timeIntervalSince1970: 1_796_043_901.123_9)  // 2026-11-30T13:05:01.123Z
        #expect(Timestamp.string(d) == "2026-11-30T13:05:01.123Z")
        #expect(Timestamp.compact(d) == "20261130T130501Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(abs((Timestamp.date("2026-11-30T13:05:01.123Z")?.timeIntervalSince1970 ?? 0) - 1_796_043_901.123) < 0.0005)
        #expect(Timestamp.date("2026-11-30T13:05:01Z") == Date(timeIntervalSince1970: 1_796_043_901))
    }

    @Test func agreesWithFoundationOverManyInstants() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let ms = Int64(x >> 24) % 253_402_300_799_000  // up to year 9999
            // A tenth of a millisecond in, so that truncating and rounding formatters agree.
            let d = Date(timeIntervalSince1970: Double(ms) / 1000 + 0.0001)
            #expect(Timestamp.string(millis: ms) == f.string(from: d), "\(ms)")
            #expect(Timestamp.string(d) == f.string(from: d), "\(ms)")
        }
    }
}
