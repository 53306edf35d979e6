/// A batch on its way from the reader to the outputs.
struct BatchInFlight: Sendable {
    /// 1 for a run's first batch, then in reading order: the number of its state commit.
    var sequence: Int
    var read: ReadBatch
    /// What the stages did so far; its survivors go on to the next stages.
    var result = BatchResult()
    /// Whether a `StageStep` took the batch's records in yet (then `result.survivors` go on).
    var entered = false
}

/// A step of the run that takes batches through a run of consecutive stages, one batch at a
/// time, in order. A run of stateless stages splits each batch over all cores; a run that starts
/// with a stateful stage first waits until the batch before is committed (the stage reads what
/// earlier batches left in the state), and settles the batch (`StageExecutor.settle`).
struct StageStep: Sendable {
    let executor: StageExecutor
    let stages: Range<Int>
    /// Set when the stages read committed state.
    let committer: StateCommitter?

    func run(from input: BoundedQueue<BatchInFlight>, into output: BoundedQueue<BatchInFlight>) async {
        do {
            while var batch = try await input.next() {
                if batch.read.error == nil {
                    try await process(&batch)
                }
                do {
                    try await output.send(batch)
                } catch {
                    input.close(throwing: error)
                    return
                }
            }
            output.finish()
        } catch {
            input.close(throwing: error)
            output.finish(throwing: error)
        }
    }

    private func process(_ batch: inout BatchInFlight) async throws {
        if let committer { try await committer.waitCommitted(through: batch.sequence - 1) }
        let entering = batch.entered ? batch.result.survivors : batch.read.records
        batch.entered = true
        var result = try await executor.process(entering, from: stages.lowerBound, to: stages.upperBound)
        var before = batch.result
        before.survivors = []
        before.absorb(result)
        result = before
        batch.result = result
    }
}
