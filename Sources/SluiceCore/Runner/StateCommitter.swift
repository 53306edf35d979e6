import Foundation

/// Commits batches to the state store in the background, one at a time and in order: the
/// runner goes on reading, processing and writing the next batches while a batch's transaction
/// (checkpoints, ledger, audit rows with their hash chain, stage state) runs on its own thread.
///
/// At most one commit is in flight: `submit` first waits (suspending, never blocking) for the
/// one before. Batches carry increasing numbers; `waitCommitted(through:)`
/// lets a step wait until every batch up to a number is durable (stateful stages read that
/// state). After a failed commit nothing more is committed: every later `submit` and wait throws
/// that failure. Crash safety is the runner's order: a batch's outputs are durable before its
/// commit is submitted.
final class StateCommitter: @unchecked Sendable {
    private enum Condition {
        case committed(through: Int)
        case idle
    }

    private struct State {
        var inFlight: Int?
        var committed = 0
        var failure: (any Error)?
        /// Set when the step that submits stopped: batches it did not submit never will be.
        var abandoned: (any Error)?
        var waiters: [(condition: Condition, resume: CheckedContinuation<Void, any Error>)] = []

        /// nil: keep waiting; otherwise how the wait ends.
        func outcome(_ c: Condition) -> Result<Void, any Error>? {
            if let failure { return .failure(failure) }
            switch c {
            case .committed(let n):
                if committed >= n { return .success(()) }
                if let abandoned, inFlight.map({ $0 < n }) ?? true { return .failure(abandoned) }
                return nil
            case .idle:
                return inFlight == nil ? .success(()) : nil
            }
        }

        /// Takes out the waiters whose wait ended, with their outcome.
        mutating func ready() -> [(CheckedContinuation<Void, any Error>, Result<Void, any Error>)] {
            var out: [(CheckedContinuation<Void, any Error>, Result<Void, any Error>)] = []
            var waiting: [(condition: Condition, resume: CheckedContinuation<Void, any Error>)] = []
            for w in waiters {
                if let o = outcome(w.condition) { out.append((w.resume, o)) } else { waiting.append(w) }
            }
            waiters = waiting
            return out
        }
    }

    // Used only on `queue`, one commit at a time.
    private let store: any StateStore
    private let queue = DispatchQueue(label: "sluice.state-commit")
    private let state = Locked(State())

    init(store: any StateStore) {
        self.store = store
    }

    /// Starts committing `batch`, numbered `n` (larger than the numbers before), once the commit
    /// before it is done. Called by one task at a time.
    func submit(_ batch: BatchCommit, sequence n: Int) async throws {
        try await wait(.idle)
        try state.withLock { s in
            if let f = s.failure { throw f }
            s.inFlight = n
        }
        queue.async { [self] in
            let outcome = Result { try store.commit(batch) }
            let ready = state.withLock { s in
                s.inFlight = nil
                switch outcome {
                case .success: s.committed = n
                case .failure(let e): s.failure = e
                }
                return s.ready()
            }
            for (c, o) in ready { c.resume(with: o) }
        }
    }

    /// Waits until the batches numbered up to `n` are committed; throws a commit's failure.
    func waitCommitted(through n: Int) async throws { try await wait(.committed(through: n)) }

    /// Waits until nothing is in flight; throws the failure of a commit that failed.
    func drain() async throws { try await wait(.idle) }

    /// The submitting step stopped with `error`: waits for batches it never submitted end with it.
    func abandon(_ error: any Error) {
        let ready = state.withLock { s in
            s.abandoned = s.abandoned ?? error
            return s.ready()
        }
        for (c, o) in ready { c.resume(with: o) }
    }

    private func wait(_ condition: Condition) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let now: Result<Void, any Error>? = state.withLock { s in
                if let o = s.outcome(condition) { return o }
                s.waiters.append((condition, c))
                return nil
            }
            if let now { c.resume(with: now) }
        }
    }
}
