/// How far a source has come in this run: `file 12 of 300`, `page 4` (no total).
public struct SourceProgress: Sendable, Hashable {
    /// What is counted, singular: `file`, `page`.
    public var unit: String
    /// Units finished.
    public var done: Int
    /// Units in all, when known before the end.
    public var total: Int?

    public init(unit: String, done: Int, total: Int? = nil) {
        self.unit = unit
        self.done = done
        self.total = total
    }

    /// Fraction finished, when the total is known.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, max(0, Double(done) / Double(total)))
    }
}

extension RecordSource {
    public var progress: SourceProgress? { nil }
}
