import Foundation

/// Commits batches to the state store on a background thread, one at a time and in order, so the
/// next batch is read and processed while the previous batch's transaction (checkpoints, ledger,
/// audit rows with their hash chain, stage state) runs on another core.
///
/// At most one commit is in flight. Every other use of the store waits for it (`drain()`), and a
/// failed commit is thrown by the next `submit` or `drain`. Crash safety is unchanged: a batch's
/// outputs are made durable before its commit is submitted, and after a crash the outputs cut
/// back to the last committed checkpoint, whatever batch the outputs had reached.
final class BatchCommitter: @unchecked Sendable {
    private let store: any StateStore
    private let queue = DispatchQueue(label: "sluice.state-commit")
    private let group = DispatchGroup()
    // Written only on `queue` inside the group, read only after `group.wait()`.
    private var failure: (any Error)?

    init(store: any StateStore) {
        self.store = store
    }

    /// Waits for the commit in flight, then starts committing `batch` in the background.
    func submit(_ batch: BatchCommit) throws {
        try drain()
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            do { try store.commit(batch) } catch { failure = error }
        }
    }

    /// Waits until nothing is in flight; throws the error of a commit that failed.
    func drain() throws {
        group.wait()
        if let f = failure {
            failure = nil
            throw f
        }
    }
}
