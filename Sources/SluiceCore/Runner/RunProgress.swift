/// A snapshot the runner hands to its progress callback after each batch (the CLI draws it).
public struct RunProgress: Sendable {
    public var input: String
    public var ledger: RunLedger
    public var elapsedSeconds: Double
    public var bytesHint: Int?
}
