public import SluiceCore

extension DedupeStage {
    /// The index changes for the records the outputs accepted, applied in input order: what a
    /// newer version (or the same record id with new content) replaces loses its `n:` row, then
    /// the record is appended to the log with the next ordinal and its keys enter the table.
    public func stateWrites(accepted: Set<String>) -> [StateWrite] {
        defer { batch = BatchOverlay() }
        var work = pending
        pending = [:]
        let intents = batch.intents.filter { accepted.contains($0.docID) }
        guard reader != nil, !intents.isEmpty || !work.isEmpty else { return [] }
        if !metaStored, !intents.isEmpty {
            work[IndexKey.meta] = config.meta
            metaStored = true
        }
        var added: [String: UInt64] = [:]
        var log = KeyLog()
        let first = nextOrdinal
        for intent in intents {
            for old in intent.supersedes + [intent.docID] {
                for o in batch.committedByID.removeValue(forKey: old) ?? [] { work[IndexKey.doc(o)] = .some(nil) }
                if let o = added.removeValue(forKey: old) { work[IndexKey.doc(o)] = .some(nil) }
            }
            let ordinal = nextOrdinal
            nextOrdinal += 1
            work[IndexKey.doc(ordinal)] = intent.record.bytes
            log.append(ordinal: ordinal, keys: intent.keys, bandCount: intent.bandCount)
            index(keys: intent.keys, bandCount: intent.bandCount, ordinal: ordinal)
            added[intent.docID] = ordinal
        }
        if !intents.isEmpty {
            work[IndexKey.keyLog(first)] = log.bytes
            work[IndexKey.sequence] = DedupeStage.sequenceBytes(nextOrdinal)
        }
        // In key order: deterministic transactions.
        return work.keys.sorted().map { StateWrite(namespace: namespace, key: $0, value: work[$0] ?? nil) }
    }
}

extension DedupeStage {
    /// Records this stage passed in the current batch that will not be written: their pending
    /// entries leave the batch overlay (the committed index is untouched), so records dropped
    /// because of them are judged again without them.
    public func forget(rejected: Set<String>) {
        batch.forget(rejected)
    }
}
