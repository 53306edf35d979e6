/// A snapshot the runner hands to its progress callback, after each batch and about once a
/// second while a batch is read (the CLI draws it).
public struct RunProgress: Sendable {
    public var input: String
    /// The ledger of the batches delivered to the outputs.
    public var ledger: RunLedger
    /// Records read and not yet delivered (the batch being read and those in the stages), not yet
    /// in `ledger`.
    public var reading: Int
    /// Batches delivered to the outputs so far.
    public var batches: Int
    public var elapsedSeconds: Double
    /// Where the current input is (files n of N), when it can tell.
    public var source: SourceProgress?
    /// Inputs done before this one, and inputs in all.
    public var inputIndex: Int
    public var inputCount: Int

    public init(input: String, ledger: RunLedger, reading: Int = 0, elapsedSeconds: Double, source: SourceProgress? = nil,
                inputIndex: Int = 0, inputCount: Int = 1, batches: Int = 0) {
        self.input = input
        self.batches = batches
        self.ledger = ledger
        self.reading = reading
        self.elapsedSeconds = elapsedSeconds
        self.source = source
        self.inputIndex = inputIndex
        self.inputCount = inputCount
    }

    /// Records received so far, the batches under way included.
    public var received: Int { ledger.received + reading }

    /// Documents written: records written less the chunks derived from documents, plus the
    /// documents they came from, so the figure compares with `received`.
    public var documentsWritten: Int { ledger.written - ledger.derived + ledger.forked }
}

extension RunProgress {
    /// Records received per second since the run started.
    public var rate: Double { elapsedSeconds > 0 ? Double(received) / elapsedSeconds : 0 }

    /// Fraction of the whole run finished, when the current input knows its total: inputs before
    /// it count as done, inputs after it as not started.
    public var fraction: Double? {
        guard let f = source?.fraction, inputCount > 0 else { return nil }
        return (Double(inputIndex) + f) / Double(inputCount)
    }

    /// Seconds left at the pace so far, when the fraction is known and has moved.
    public var etaSeconds: Double? {
        guard let f = fraction, f > 0.001, elapsedSeconds > 0 else { return nil }
        return elapsedSeconds * (1 - f) / f
    }
}
