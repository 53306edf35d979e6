import Foundation
import SluiceCore

/// The audit log's times: `Timestamp`'s RFC 3339 UTC with milliseconds (the one formatter).
enum AuditTime {
    static func string(_ date: Date) -> String { Timestamp.string(date) }
    static func millis(_ date: Date) -> Int64 { Timestamp.millis(date) }
    /// `millis` is whole milliseconds since 1970 (what `AuditLog` keys its cache on).
    static func string(millis total: Int64, _ date: Date) -> String { Timestamp.string(millis: total) }
}
