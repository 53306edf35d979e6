public import SluiceCore
import SluiceJSON
import Foundation

/// The `dedupe` stage: exact duplicates, near-duplicates and superseded versions, remembered
/// across runs in the state DB.
public final class DedupeStage: StatefulStage, @unchecked Sendable {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "dedupe",
        summary: "Drops exact duplicates, near-duplicates and superseded versions, across runs.",
        description: """
            Three checks, each optional, in this order for every record:

            1. **Versions** (`versions:`): records with the same version id (`id`) are versions of one \
            document; the one with the greatest `order_by` value wins, whichever arrives first, in this \
            run or a later one. An older version is dropped with `superseded_by <id>`. A newer version \
            passes and replaces the older one in the outputs: the `sqlite` output deletes the old rows \
            (and their chunks), the `jsonl` output writes a tombstone line before it. Numbers compare \
            by value, RFC 3339 timestamps as instants, other strings by Unicode scalars; equal order \
            values are broken by the content key (the greater wins), so the survivor never depends \
            on arrival order. A record without the version id is not versioned (only the other \
            checks apply); one with a version id but no order value is quarantined.
            2. **Exact duplicates**: SHA-256 over the `key` fields (the whole document when `key` is \
            not set) after normalisation: Unicode NFC, whitespace runs collapsed to one space and \
            trimmed, and lowercased with `case_fold: true`. A repeat is dropped with `duplicate_of <id>`.
            3. **Near-duplicates** (`near_duplicates:`): MinHash over shingles of `shingle_words` \
            tokens of the key fields' text, LSH banding, and each candidate confirmed by its \
            estimated Jaccard similarity. Dropped with `near_duplicate_of <id> (jaccard 0.87)`. \
            A token is a run of letters, digits and marks, except in scripts written without spaces \
            (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) where each character is one token, \
            so shingles are character n-grams there.

            **Which record survives**: the one seen first — indexed by an earlier run, or earlier in \
            this run's input order (inputs in pipeline order, records in input order). Versions are \
            the exception: the newest wins. Versions of one document are never near- or exact \
            duplicates of each other; the version rule decides between them.

            **Remembered only when written**: the index lives in the state DB (namespace \
            `dedupe:<stage name>`) and a record enters it in the same transaction as the batch the \
            outputs accepted; a record that was quarantined later or never written is not "seen", and \
            the records dropped because of it in its batch are judged again without it (so a later \
            stage rejecting the first copy never loses the second; see docs/dedupe.md). \
            The index is an append-only log in the state DB; its lookup keys are held in memory \
            (about 120 MB per million documents indexed, see docs/dedupe.md) and a document is read \
            from the state DB only when one of its keys matches. \
            The index depends on `permutations`, `shingle_words` and the bands: changing them needs \
            a new stage `name` (a new, empty index); the run stops with a configuration error otherwise.
            """,
        fields: [
            FieldSpec("key", .oneOrMany(.pointer), doc: "The fields that make a document's content; unset means the whole document.", example: "[/title, /body]"),
            FieldSpec("case_fold", .boolean, doc: "Compare the key fields case-insensitively (Unicode lowercase) for exact duplicates. Near-duplicate shingles are always compared lowercased.", default: "false"),
            FieldSpec("exact", .boolean, doc: "Drop exact duplicates of the key fields.", default: "true"),
            FieldSpec("near_duplicates", .object([
                FieldSpec("threshold", .number(min: 0.05, max: 1), doc: "The Jaccard similarity of shingle sets from which two documents are near-duplicates.", default: "0.8"),
                FieldSpec("shingle_words", .integer(min: 1, max: 64), doc: "Tokens per shingle (words; characters in scripts without spaces).", default: "5"),
                FieldSpec("permutations", .integer(min: 16, max: 1024), doc: "MinHash permutations: more is more exact and slower.", default: "128"),
                FieldSpec("false_negative_weight", .number(min: 0, max: 1), doc: "How LSH bands are chosen (datasketch's `_optimal_param`): the weight of missed pairs against false candidates (which cost a lookup, not a wrong drop, since every candidate is confirmed). 0.5 gives datasketch's bands (at 0.8: 9 bands of 13 rows, which make 40% of the pairs right at the threshold candidates); the default gives 14 of 9 at 0.8 (87% at 0.8, 97% at 0.85).", default: "0.9"),
                FieldSpec("margin", .number(min: 0, max: 0.5), doc: "A candidate is confirmed when its estimated Jaccard (from the signatures) is at least `threshold - margin`: the estimate's standard error is about 0.035 at 128 permutations, so without a margin half of the pairs right at the threshold are missed.", default: "0.05"),
            ]), doc: "Catch near-duplicates with MinHash LSH. Absent: off."),
            FieldSpec("versions", .object([
                FieldSpec("id", .pointer, doc: "The field naming the document that records are versions of.", required: true, example: "/id"),
                FieldSpec("order_by", .pointer, doc: "The field that orders versions: a version number or a timestamp; the greatest wins.", required: true, example: "/updated_at"),
            ]), doc: "Keep only the newest version of each document. Absent: off."),
        ],
        examples: ["""
            - type: dedupe
              key: [/title, /body]
              near_duplicates:
                threshold: 0.8
              versions:
                id: /id
                order_by: /updated_at
            """])

    let config: DedupeConfig
    let namespace: String
    var reader: (any StageStateReader)?
    var batch = BatchOverlay()
    /// The committed index's lookup keys (`KeyTable`), read from the `k:` log in `begin`.
    var table = KeyTable(expectedKeys: 0)
    /// The ordinal the next accepted document gets (`seq`).
    var nextOrdinal: UInt64 = 0
    /// Writes waiting for the next batch's state transaction (a format-1 index converted in
    /// `begin`); reads see them on top of the store.
    var pending: [String: [UInt8]?] = [:]
    /// Whether the index's `meta` key is committed (written with the first accepted batch).
    var metaStored = false

    public init(options: ComponentOptions, context: BuildContext) throws {
        config = try DedupeConfig(options: options)
        namespace = IndexKey.namespace(context.instanceName)
    }

    public func begin(run: RunContext, state: any StageStateReader) throws {
        reader = state
        batch = BatchOverlay()
        pending = [:]
        nextOrdinal = 0
        table = KeyTable(expectedKeys: 0)
        let stored = try state.value(namespace: namespace, key: IndexKey.meta)
        metaStored = stored != nil
        guard let stored else { return }
        if stored == config.meta(format: LegacyIndex.format) {
            let converted = try LegacyIndex.convert(namespace: namespace, reader: state, config: config)
            table = KeyTable(expectedKeys: converted.docs.count * config.keysPerDocument)
            for d in converted.docs { index(d.record, ordinal: d.ordinal) }
            nextOrdinal = UInt64(converted.docs.count)
            pending = converted.writes
            pending[IndexKey.meta] = config.meta
            pending[IndexKey.sequence] = DedupeStage.sequenceBytes(nextOrdinal)
            metaStored = true
            return
        }
        guard stored == config.meta else {
            throw SluiceError(.configInvalid, "the dedupe index '\(namespace)' was built with other settings (\(String(decoding: stored, as: UTF8.self))); give the stage a new name to start a new index, or restore the settings")
        }
        if let seq = try state.value(namespace: namespace, key: IndexKey.sequence) {
            var i = 0
            nextOrdinal = Bytes.get64(seq, &i) ?? 0
        }
        table = KeyTable(expectedKeys: Int(nextOrdinal) * config.keysPerDocument)
        guard nextOrdinal > 0 else { return }
        // The log in chunks of 65,536 ordinals: the rows held at once stay bounded.
        for chunk in 0...((nextOrdinal - 1) >> 16) {
            for (key, value) in try state.values(namespace: namespace, prefix: IndexKey.keyLogChunk(chunk)) {
                guard let entries = KeyLog.entries(value) else {
                    throw SluiceError(.ioError, "the dedupe index '\(namespace)' has an unreadable key log row \(key); run `sluice state check`")
                }
                for e in entries { index(keys: e.keys, bandCount: e.bandCount, ordinal: e.ordinal) }
            }
        }
    }

    /// Adds a committed document's lookup keys to the table (a full LSH bucket takes no more).
    func index(keys: [UInt64], bandCount: Int, ordinal: UInt64) {
        let plain = keys.count - bandCount
        for (i, k) in keys.enumerated() { table.insert(k, ordinal: ordinal, limit: i < plain ? Int.max : IndexKey.bucketLimit) }
    }

    func index(_ doc: DocRecord, ordinal: UInt64) {
        let (keys, bands) = LookupKey.all(doc, bands: config.near?.bands)
        index(keys: keys, bandCount: bands, ordinal: ordinal)
    }

    static func sequenceBytes(_ next: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        Bytes.put64(next, &out)
        return out
    }
}
