/// Decides when the runner calls its progress callback: after every batch, and while a batch is
/// read, about once a second (checked every 64 records, so the clock is read rarely).
final class ProgressClock {
    private let report: (@Sendable (RunProgress) -> Void)?
    private let time: any TimeSource
    private let start: Double
    private let inputCount: Int
    private var last: Double
    private var ticks = 0

    init(report: (@Sendable (RunProgress) -> Void)?, time: any TimeSource, start: Double, inputCount: Int) {
        self.report = report
        self.time = time
        self.start = start
        self.inputCount = inputCount
        last = start
    }

    func tick(input: String, index: Int, source: any RecordSource, ledger: RunLedger, reading: Int) {
        guard report != nil else { return }
        ticks &+= 1
        guard ticks & 63 == 0 else { return }
        let now = time.uptime()
        guard now - last >= 1 else { return }
        send(input: input, index: index, source: source, ledger: ledger, reading: reading, now: now)
    }

    func batchDone(input: String, index: Int, source: any RecordSource, ledger: RunLedger) {
        guard report != nil else { return }
        send(input: input, index: index, source: source, ledger: ledger, reading: 0, now: time.uptime())
    }

    private func send(input: String, index: Int, source: any RecordSource, ledger: RunLedger, reading: Int, now: Double) {
        last = now
        report?(RunProgress(input: input, ledger: ledger, reading: reading, elapsedSeconds: now - start,
                            source: source.progress, inputIndex: index, inputCount: inputCount))
    }
}
