public import Foundation

/// The clock and sleeper the runner and resilience code use, injected so tests never sleep.
public protocol TimeSource: Sendable {
    func now() -> Date
    /// Monotonic seconds, for measuring durations.
    func uptime() -> Double
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
    public func uptime() -> Double { ProcessInfo.processInfo.systemUptime }
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
