public import SluiceCore
import SluiceJSON

extension DedupeStage {
    /// The index changes for the records the outputs accepted, applied in input order: what a
    /// newer version replaces leaves the index, then the record enters it.
    public func stateWrites(accepted: Set<String>) -> [StateWrite] {
        defer { batch = BatchOverlay() }
        let intents = batch.intents.filter { accepted.contains($0.docID) }
        guard !intents.isEmpty, reader != nil else { return [] }
        var w = IndexWriter(stage: self)
        w.prefetch(intents)
        if !metaStored {
            w.set(IndexKey.meta, config.meta)
            metaStored = true
        }
        for intent in intents {
            for old in intent.supersedes { w.removeDoc(old) }
            // The same record id again with other content (no versions): its old entries go.
            if w.get(IndexKey.doc(intent.docID)) != nil { w.removeDoc(intent.docID) }
            w.addDoc(intent)
        }
        return w.writes()
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

/// Accumulates the writes of one batch over the committed index.
struct IndexWriter {
    let stage: DedupeStage
    /// key → new value (nil: delete); keys absent are unchanged.
    private var work: [String: [UInt8]?] = [:]
    private var fetched: [String: [UInt8]] = [:]
    private var fetchedKeys = Set<String>()

    init(stage: DedupeStage) {
        self.stage = stage
        fetched = stage.batch.committed
        fetchedKeys = stage.batch.readKeys
    }

    /// Reads the keys the intents touch that `process` did not read (none, unless it changes).
    mutating func prefetch(_ intents: [BatchOverlay.Intent]) {
        var keys = Set<String>()
        for i in intents {
            keys.insert(IndexKey.doc(i.docID))
            keys.insert(IndexKey.exact(i.entry.contentKey))
            if let v = i.entry.versionID { keys.insert(IndexKey.version(v)) }
            for k in i.bucketKeys { keys.insert(k) }
            for old in i.supersedes { keys.insert(IndexKey.doc(old)) }
        }
        let list = keys.subtracting(fetchedKeys).sorted()
        if let values = try? stage.stateValues(list) {
            for k in list { if let v = values[k] { fetched[k] = v } }
            fetchedKeys.formUnion(list)
        }
    }

    mutating func get(_ key: String) -> [UInt8]? {
        if let w = work[key] { return w }
        if fetchedKeys.contains(key) { return fetched[key] }
        // Not reached in practice: `process` read every key a removal touches.
        let v = (try? stage.stateValue(key)) ?? nil
        fetchedKeys.insert(key)
        if let v { fetched[key] = v }
        return v
    }

    mutating func set(_ key: String, _ value: [UInt8]?) { work[key] = .some(value) }

    mutating func removeDoc(_ id: String) {
        let dk = IndexKey.doc(id)
        guard let bytes = get(dk) else { return }
        set(dk, nil)
        guard let e = DocEntry(bytes: bytes) else { return }
        let xk = IndexKey.exact(e.contentKey)
        if let ref = get(xk).flatMap(DocRef.init(bytes:)), ref.id == id { set(xk, nil) }
        if let sig = e.signature, let near = stage.config.near {
            for band in 0..<near.bands.bands {
                let k = IndexKey.bucket(band: band, hash: near.bands.bandHash(sig, band: band))
                let ids = Bucket.decode(get(k))
                if ids.contains(id) { set(k, Bucket.encode(ids.filter { $0 != id })) }
            }
        }
        if let vid = e.versionID {
            let vk = IndexKey.version(vid)
            if let v = get(vk).flatMap(VersionEntry.init(bytes:)), v.docID == id { set(vk, nil) }
        }
    }

    mutating func addDoc(_ i: BatchOverlay.Intent) {
        set(IndexKey.doc(i.docID), i.entry.bytes)
        let xk = IndexKey.exact(i.entry.contentKey)
        if get(xk) == nil { set(xk, DocRef(id: i.docID, versionID: i.entry.versionID).bytes) }
        for k in i.bucketKeys {
            var ids = Bucket.decode(get(k))
            if !ids.contains(i.docID), ids.count < IndexKey.bucketLimit {
                ids.append(i.docID)
                set(k, Bucket.encode(ids))
            }
        }
        if let v = i.version, let vid = i.entry.versionID { set(IndexKey.version(vid), v.bytes) }
    }

    /// The writes, in key order (deterministic transactions).
    func writes() -> [StateWrite] {
        work.keys.sorted().map { StateWrite(namespace: stage.namespace, key: $0, value: work[$0] ?? nil) }
    }
}
