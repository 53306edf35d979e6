public import SluiceCore
import SluiceJSON

/// Verifies the invariants of a dedupe index in stage state (see `IndexKey`), for
/// `sluice state check`. Reads the whole namespace: meant for maintenance, not for every run.
public enum DedupeIndexCheck {
    /// What the index holds.
    public struct Counts: Sendable, Hashable {
        public var documents = 0
        public var contentKeys = 0
        public var buckets = 0
        public var versions = 0
    }

    /// The namespaces in a store that hold dedupe indexes.
    public static func isDedupeNamespace(_ namespace: String) -> Bool { namespace.hasPrefix("dedupe:") }

    public static func counts(namespace: String, reader: any StageStateReader) throws -> Counts {
        var c = Counts()
        c.documents = try reader.values(namespace: namespace, prefix: "d:").count
        c.contentKeys = try reader.values(namespace: namespace, prefix: "x:").count
        c.buckets = try reader.values(namespace: namespace, prefix: "b:").count
        c.versions = try reader.values(namespace: namespace, prefix: "v:").count
        return c
    }

    /// Every broken invariant, in words; empty when the index is consistent.
    public static func problems(namespace: String, reader: any StageStateReader) throws -> [String] {
        var problems: [String] = []
        func note(_ s: String) { if problems.count < 100 { problems.append("\(namespace): \(s)") } }
        var docs: [String: DocEntry] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "d:") {
            let id = String(k.dropFirst(2))
            guard let e = DocEntry(bytes: v) else { note("document entry \(k) is unreadable"); continue }
            docs[id] = e
        }
        var exact: [String: String] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "x:") {
            guard let ref = DocRef(bytes: v) else { note("content key \(k) is unreadable"); continue }
            exact[String(k.dropFirst(2))] = ref.id
            guard let d = docs[ref.id] else { note("content key \(k) names document \(ref.id), which is not indexed"); continue }
            if d.contentKey != String(k.dropFirst(2)) { note("content key \(k) names document \(ref.id), whose content key differs") }
        }
        for (id, d) in docs where exact[d.contentKey] == nil {
            note("document \(id)'s content key is not indexed")
        }
        var inBuckets: [String: Set<String>] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "b:") {
            let ids = Bucket.decode(v)
            if ids.isEmpty { note("bucket \(k) is empty or unreadable") }
            for id in ids {
                if docs[id] == nil { note("bucket \(k) names document \(id), which is not indexed") }
                inBuckets[id, default: []].insert(k)
            }
        }
        if let meta = try reader.value(namespace: namespace, key: IndexKey.meta), let m = try? JSONParser.parse(meta),
           let b = m["bands"]?.numberValue?.intValue, let r = m["rows"]?.numberValue?.intValue {
            let bands = LSHBands(bands: b, rows: r)
            for (id, d) in docs {
                guard let sig = d.signature else { continue }
                let expected = (0..<b).map { IndexKey.bucket(band: $0, hash: bands.bandHash(sig, band: $0)) }
                let have = inBuckets[id] ?? []
                // A bucket may be full (`IndexKey.bucketLimit`); a missing one is only a problem otherwise.
                for k in expected where !have.contains(k) {
                    let members = try reader.value(namespace: namespace, key: k)
                    if Bucket.decode(members).count < IndexKey.bucketLimit {
                        note("document \(id) is missing from its LSH bucket \(k)")
                        break
                    }
                }
            }
        }
        for (k, v) in try reader.values(namespace: namespace, prefix: "v:") {
            guard let e = VersionEntry(bytes: v) else { note("version entry \(k) is unreadable"); continue }
            guard let d = docs[e.docID] else { note("version \(k) names document \(e.docID), which is not indexed"); continue }
            if d.versionID != String(k.dropFirst(2)) { note("version \(k) names document \(e.docID), which has another version id") }
        }
        return problems
    }
}
