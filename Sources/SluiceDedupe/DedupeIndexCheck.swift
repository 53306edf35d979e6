public import SluiceCore
import SluiceJSON

/// Verifies the invariants of a dedupe index in stage state (see `IndexKey`), for
/// `sluice state check`. Reads the whole namespace: meant for maintenance, not for every run.
public enum DedupeIndexCheck {
    /// What the index holds.
    public struct Counts: Sendable, Hashable {
        public var documents = 0
        public var versions = 0
        /// Lookup keys in the log, of documents still indexed or not (`k:` rows).
        public var logKeys = 0
    }

    /// The namespaces in a store that hold dedupe indexes.
    public static func isDedupeNamespace(_ namespace: String) -> Bool { namespace.hasPrefix("dedupe:") }

    public static func counts(namespace: String, reader: any StageStateReader) throws -> Counts {
        var c = Counts()
        for (_, v) in try reader.values(namespace: namespace, prefix: "n:") {
            c.documents += 1
            if DocRecord(bytes: v)?.versionID != nil { c.versions += 1 }
        }
        for (_, v) in try reader.values(namespace: namespace, prefix: "k:") {
            c.logKeys += (KeyLog.entries(v) ?? []).reduce(0) { $0 + $1.keys.count }
        }
        return c
    }

    /// Every broken invariant, in words; empty when the index is consistent.
    public static func problems(namespace: String, reader: any StageStateReader) throws -> [String] {
        var problems: [String] = []
        func note(_ s: String) { if problems.count < 100 { problems.append("\(namespace): \(s)") } }
        guard let meta = try reader.value(namespace: namespace, key: IndexKey.meta) else { return [] }
        guard let m = try? JSONParser.parse(meta), m["format"]?.numberValue?.intValue == 2 else {
            note("the index is in an older format: the next run of its pipeline converts it")
            return problems
        }
        var bands: LSHBands?
        if let b = m["bands"]?.numberValue?.intValue, let r = m["rows"]?.numberValue?.intValue { bands = LSHBands(bands: b, rows: r) }
        var next: UInt64 = 0
        if let seq = try reader.value(namespace: namespace, key: IndexKey.sequence) {
            var i = 0
            next = Bytes.get64(seq, &i) ?? 0
        }
        var logged: [UInt64: [UInt64]] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "k:") {
            guard let entries = KeyLog.entries(v) else { note("key log row \(k) is unreadable"); continue }
            for e in entries { logged[e.ordinal] = e.keys }
        }
        var ids: [String: UInt64] = [:]
        var versions: [String: UInt64] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "n:") {
            guard let o = IndexKey.ordinal(ofDocKey: k), let d = DocRecord(bytes: v) else { note("document row \(k) is unreadable"); continue }
            if o >= next { note("document \(d.id) has ordinal \(o), not below the sequence \(next)") }
            if let other = ids.updateValue(o, forKey: d.id) { note("document \(d.id) is indexed twice (ordinals \(other) and \(o))") }
            if let vid = d.versionID {
                if d.order == nil { note("document \(d.id) has version id \(vid) but no order") }
                if let other = versions.updateValue(o, forKey: vid) { note("version \(vid) is indexed twice (ordinals \(other) and \(o))") }
            }
            if logged[o] != LookupKey.all(d, bands: bands).keys { note("document \(d.id)'s lookup keys are missing from the key log or differ") }
        }
        return problems
    }
}
