import SluiceJSON

/// What the current batch added to the index, before the outputs accepted it. Lookups see it on
/// top of the committed index; `stateWrites` turns the accepted part into durable writes and
/// empties it, so memory is bounded by the batch size.
struct BatchOverlay {
    /// One record that passed, in order: what it adds to the index and what it replaces.
    struct Intent {
        var record: DocRecord
        var supersedes: [String]
        var keys: [UInt64]
        var bandCount: Int
        var docID: String { record.id }
    }

    var intents: [Intent] = []
    var exact: [String: DocRef] = [:]
    var buckets: [UInt64: [String]] = [:]
    var docs: [String: DocRecord] = [:]
    var versions: [String: VersionEntry] = [:]
    /// Documents this batch replaced (their committed entries no longer count).
    var removed: Set<String> = []
    /// Committed documents read while processing the batch (`n:` rows; nil: gone), so that
    /// `stateWrites`, which cannot fail, needs no reads of its own.
    var committed: [UInt64: DocRecord?] = [:]
    /// The committed ordinals of each record id read so far.
    var committedByID: [String: Set<UInt64>] = [:]

    mutating func remember(_ ordinal: UInt64, _ doc: DocRecord?) {
        guard committed[ordinal] == nil else { return }
        committed[ordinal] = .some(doc)
        if let doc { committedByID[doc.id, default: []].insert(ordinal) }
    }

    /// Takes the intents of `ids` out, as if those records had never passed: the lookup maps
    /// are rebuilt from the remaining intents in order (what was read stays cached).
    mutating func forget(_ ids: Set<String>) {
        guard intents.contains(where: { ids.contains($0.docID) }) else { return }
        let kept = intents.filter { !ids.contains($0.docID) }
        intents = []
        exact = [:]
        buckets = [:]
        docs = [:]
        versions = [:]
        removed = []
        for i in kept { add(i) }
    }

    mutating func add(_ intent: Intent) {
        for old in intent.supersedes { removed.insert(old) }
        removed.remove(intent.docID)
        intents.append(intent)
        let d = intent.record
        docs[d.id] = d
        if exact[d.contentKey] == nil { exact[d.contentKey] = DocRef(id: d.id, versionID: d.versionID) }
        for k in intent.keys.suffix(intent.bandCount) { buckets[k, default: []].append(d.id) }
        if let vid = d.versionID, let order = d.order { versions[vid] = VersionEntry(docID: d.id, order: order, contentKey: d.contentKey) }
    }
}
