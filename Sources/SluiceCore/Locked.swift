import Foundation

/// A value shared between threads, reached only under its lock: the one lock box of the code
/// base (the toolchain's `Mutex` needs macOS 15, this package supports 14).
///
///     let seen = Locked<[String]>([])
///     seen.withLock { $0.append(id) }
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, under the lock; what `body` changes stays changed.
    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}
