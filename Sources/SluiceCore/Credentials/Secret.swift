/// A secret value (a token, a password, an API key) that never prints itself.
///
/// Guarantees: `description`, `debugDescription`, string interpolation, `dump` and `Mirror` all
/// give `**REDACTED**`; the type is neither `Encodable` nor `Hashable`, so it cannot reach JSON,
/// the audit log or a dictionary key by accident. The value is reachable only through
/// `withValue`, for the one place that puts it on the wire.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    public static let redacted = "**REDACTED**"

    public var description: String { Self.redacted }
    public var debugDescription: String { Self.redacted }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Hands the secret's text to `body`; keep it out of anything that outlives the call.
    public func withValue<R>(_ body: (String) throws -> R) rethrows -> R { try body(value) }

    public var isEmpty: Bool { value.isEmpty }
}
