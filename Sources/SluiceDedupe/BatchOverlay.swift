import SluiceJSON

/// What the current batch added to the index, before the outputs accepted it. Lookups see it on
/// top of the committed index; `stateWrites` turns the accepted part into durable writes and
/// empties it, so memory is bounded by the batch size.
struct BatchOverlay {
    /// One record that passed, in order: what it adds to the index and what it replaces.
    struct Intent {
        var docID: String
        var entry: DocEntry
        var version: VersionEntry?
        var supersedes: [String]
        var bucketKeys: [String]
    }

    var intents: [Intent] = []
    var exact: [String: DocRef] = [:]
    var buckets: [String: [String]] = [:]
    var docs: [String: DocEntry] = [:]
    var versions: [String: VersionEntry] = [:]
    /// Documents this batch replaced (their committed entries no longer count).
    var removed: Set<String> = []
    /// Committed values read while processing the batch (absent keys too), so that
    /// `stateWrites`, which cannot fail, needs no reads of its own.
    var committed: [String: [UInt8]] = [:]
    var readKeys: Set<String> = []

    mutating func remember(_ values: [String: [UInt8]], for keys: [String]) {
        for k in keys where readKeys.insert(k).inserted { if let v = values[k] { committed[k] = v } }
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
        docs[intent.docID] = intent.entry
        if exact[intent.entry.contentKey] == nil {
            exact[intent.entry.contentKey] = DocRef(id: intent.docID, versionID: intent.entry.versionID)
        }
        for k in intent.bucketKeys { buckets[k, default: []].append(intent.docID) }
        if let v = intent.version, let vid = intent.entry.versionID { versions[vid] = v }
    }
}
