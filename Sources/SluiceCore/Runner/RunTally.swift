/// The counts of a run in progress, shared by its steps (the reader counts what it read, the
/// delivery step what the outputs and quarantine took), and the progress reports made from them.
final class RunTally: Sendable {
    private struct State {
        var run: RunState
        /// Items read so far (records, unreadable items, deferred work): ahead of `run.ledger`
        /// by the batches still on their way through the stages.
        var read = 0
        var batches = 0
        var stoppedBy: Int32?
        var lastReport: Double
        var ticks = 0
    }

    private let state: Locked<State>
    private let report: (@Sendable (RunProgress) -> Void)?
    private let time: any TimeSource
    private let start: Double
    private let inputCount: Int

    init(_ run: RunState, report: (@Sendable (RunProgress) -> Void)?, time: any TimeSource, start: Double, inputCount: Int) {
        state = Locked(State(run: run, lastReport: start))
        self.report = report
        self.time = time
        self.start = start
        self.inputCount = inputCount
    }

    var run: RunState { state.withLock { $0.run } }
    var stoppedBy: Int32? { state.withLock { $0.stoppedBy } }

    func update(_ body: (inout RunState) -> Void) { state.withLock { body(&$0.run) } }

    func stop(_ signal: Int32) { state.withLock { $0.stoppedBy = $0.stoppedBy ?? signal } }

    func notice(_ n: SourceNotice, input: String) {
        update { $0.summary.inputs[input, default: .init()].notices[n.code, default: 0] += n.count }
    }

    /// A batch was read whole.
    func received(_ batch: ReadBatch) {
        update {
            $0.summary.inputs[batch.input, default: .init()].received += batch.ledger.received
            $0.summary.inputs[batch.input, default: .init()].quarantined += batch.failures.count
        }
    }

    /// `count` items were read; reports progress about once a second (the clock is read every
    /// 64 items), so a long batch shows it moving. Reports are made under the lock, so that
    /// they arrive in order.
    func read(_ count: Int, input: String, index: Int, source: @autoclosure () -> SourceProgress?) {
        state.withLock { s in
            s.read += count
            guard let report else { return }
            s.ticks &+= 1
            guard s.ticks & 63 == 0 else { return }
            let now = time.uptime()
            guard now - s.lastReport >= 1 else { return }
            s.lastReport = now
            report(progress(s, input: input, index: index, source: source(), now: now))
        }
    }

    /// A batch was delivered: reports progress.
    func delivered(input: String, index: Int, source: SourceProgress?) {
        state.withLock { s in
            s.batches += 1
            guard let report else { return }
            s.lastReport = time.uptime()
            report(progress(s, input: input, index: index, source: source, now: s.lastReport))
        }
    }

    private func progress(_ s: State, input: String, index: Int, source: SourceProgress?, now: Double) -> RunProgress {
        RunProgress(input: input, ledger: s.run.ledger, reading: max(0, s.read - s.run.ledger.received),
                    elapsedSeconds: now - start, source: source, inputIndex: index, inputCount: inputCount,
                    batches: s.batches)
    }
}
