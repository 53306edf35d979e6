import Foundation
import SluiceCore

/// A clock that never sleeps: `sleep` moves virtual time forward at once and records the wait.
final class VirtualTime: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var offset = 0.0
    private var sleeps: [Double] = []
    private let origin: Date

    init(origin: Date = Date(timeIntervalSince1970: 1_796_000_000)) { self.origin = origin }

    func now() -> Date { lock.lock(); defer { lock.unlock() }; return origin.addingTimeInterval(offset) }
    func uptime() -> Double { lock.lock(); defer { lock.unlock() }; return offset }
    func sleep(seconds: Double) async throws {
        record(seconds)
        await Task.yield()
    }
    private func record(_ seconds: Double) {
        lock.lock()
        offset += max(0, seconds)
        sleeps.append(seconds)
        lock.unlock()
    }
    /// Moves the clock on without a sleep (time passing between runs).
    func advance(_ seconds: Double) { lock.lock(); offset += seconds; lock.unlock() }
    var recordedSleeps: [Double] { lock.lock(); defer { lock.unlock() }; return sleeps }
}
