public import SluiceCore
import Foundation
import SluiceJSON

extension DedupeStage {
    public func process(_ record: Record) throws -> StageOutcome {
        let value = record.value
        let contentKey = config.keyer.key(for: value)
        var versionID: String?
        var order: JSONValue?

        // A record without the version id is not versioned; one with an id needs an order value.
        if let v = config.versions, let raw = v.id.get(in: value), !raw.isNull {
            guard let vid = DedupeStage.versionText(raw) else {
                return .quarantine(RecordFailure(code: .wrongType, message: "the version id \(v.id) must be a string or a number",
                                                 recordID: record.id, pointer: v.id.description))
            }
            guard let o = v.orderBy.get(in: value), VersionOrder.isOrderable(o) else {
                return .quarantine(RecordFailure(code: .missingField, message: "the version order \(v.orderBy) is missing or not a string or number",
                                                 recordID: record.id, pointer: v.orderBy.description))
            }
            versionID = vid
            order = o
        }
        var signature: [UInt32]?
        var bucketKeys: [String] = []
        if let near = config.near {
            signature = near.hasher.signature(near.shingler.shingleHashes(config.keyer.text(for: value)))
            if let sig = signature {
                bucketKeys = (0..<near.bands.bands).map { IndexKey.bucket(band: $0, hash: near.bands.bandHash(sig, band: $0)) }
            }
        }
        // Every committed key this record may need, in one round trip.
        var keys = bucketKeys
        keys.append(IndexKey.exact(contentKey))
        if let versionID { keys.append(IndexKey.version(versionID)) }
        keys.append(IndexKey.doc(record.id))
        let stored = try stateValues(keys)
        batch.remember(stored, for: keys)

        var version: VersionEntry?
        var supersedes: [String] = []
        if let versionID, let order, let v = config.versions {
            version = VersionEntry(docID: record.id, order: order, contentKey: contentKey)
            let previous = batch.versions[versionID] ?? stored[IndexKey.version(versionID)].flatMap(VersionEntry.init(bytes:))
            if let previous {
                let cmp: VersionOrder.Comparison
                do { cmp = try VersionOrder.compare(order, previous.order) } catch {
                    return .quarantine(RecordFailure(code: .wrongType, message: error.message, recordID: record.id, pointer: v.orderBy.description))
                }
                switch cmp {
                case .older:
                    return .drop(record, DropReason(code: "superseded_by", relatedID: previous.docID))
                case .same where contentKey == previous.contentKey:
                    return .drop(record, DropReason(code: "duplicate_of", relatedID: previous.docID))
                case .same where contentKey < previous.contentKey:
                    return .drop(record, DropReason(code: "superseded_by", relatedID: previous.docID))
                case .same, .newer:
                    supersedes = [previous.docID]
                }
            }
        }

        if config.exact, let ref = lookupExact(contentKey, stored: stored),
           !(versionID != nil && ref.versionID == versionID), !supersedes.contains(ref.id) {
            return .drop(record, DropReason(code: "duplicate_of", relatedID: ref.id))
        }

        if let near = config.near, let sig = signature,
           let best = try bestCandidate(sig, bucketKeys: bucketKeys, stored: stored, self: record.id, versionID: versionID,
                                        excluding: supersedes), best.1 >= near.confirmAt {
            let rounded = (best.1 * 100).rounded() / 100
            return .drop(record, DropReason(code: "near_duplicate_of", relatedID: best.0,
                                            details: .object(JSONObject([("jaccard", .number(JSONNumber(rounded)))]))))
        }

        // What `stateWrites` will need to take replaced entries out of the index.
        for old in supersedes + [record.id] { try readEntriesOf(old) }
        let entry = DocEntry(contentKey: contentKey, versionID: versionID, signature: signature)
        batch.add(.init(docID: record.id, entry: entry, version: version, supersedes: supersedes, bucketKeys: bucketKeys))
        return supersedes.isEmpty ? .pass(record) : .pass(record, notes: [Supersession.note(replacing: supersedes)])
    }

    /// Reads (into the batch) the committed keys that removing document `id` touches.
    func readEntriesOf(_ id: String) throws {
        let dk = IndexKey.doc(id)
        if !batch.readKeys.contains(dk) { batch.remember(try stateValues([dk]), for: [dk]) }
        guard let bytes = batch.committed[dk], let e = DocEntry(bytes: bytes) else { return }
        var keys = [IndexKey.exact(e.contentKey)]
        if let v = e.versionID { keys.append(IndexKey.version(v)) }
        if let sig = e.signature, let near = config.near {
            keys += (0..<near.bands.bands).map { IndexKey.bucket(band: $0, hash: near.bands.bandHash(sig, band: $0)) }
        }
        keys = keys.filter { !batch.readKeys.contains($0) }
        batch.remember(try stateValues(keys), for: keys)
    }

    /// A version id's text: a string as is, a number as written.
    static func versionText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n): return n.description
        default: return nil
        }
    }

    func lookupExact(_ key: String, stored: [String: [UInt8]]) -> DocRef? {
        let ref: DocRef?
        if let r = batch.exact[key], !batch.removed.contains(r.id) {
            ref = r
        } else {
            ref = stored[IndexKey.exact(key)].flatMap(DocRef.init(bytes:))
        }
        guard let ref, !batch.removed.contains(ref.id) else { return nil }
        return ref
    }

    /// The most similar indexed document among the LSH candidates (ties: the smaller id).
    func bestCandidate(_ sig: [UInt32], bucketKeys: [String], stored: [String: [UInt8]], self id: String,
                       versionID: String?, excluding: [String]) throws -> (String, Double)? {
        var candidates: [String] = []
        var seen = Set<String>()
        for k in bucketKeys {
            for c in Bucket.decode(stored[k]) + (batch.buckets[k] ?? []) where seen.insert(c).inserted {
                if c != id, !batch.removed.contains(c), !excluding.contains(c) { candidates.append(c) }
            }
        }
        guard !candidates.isEmpty else { return nil }
        var entries: [String: DocEntry] = [:]
        var missing: [String] = []
        for c in candidates {
            if let e = batch.docs[c] { entries[c] = e } else { missing.append(c) }
        }
        if !missing.isEmpty {
            for (k, v) in try stateValues(missing.map(IndexKey.doc)) {
                if let e = DocEntry(bytes: v) { entries[String(k.dropFirst(2))] = e }
            }
        }
        var best: (String, Double)?
        for c in candidates {
            guard let e = entries[c], let other = e.signature else { continue }
            if let versionID, e.versionID == versionID { continue }
            let j = MinHasher.estimatedJaccard(sig, other)
            if let b = best, j < b.1 || (j == b.1 && c >= b.0) { continue }
            best = (c, j)
        }
        return best
    }

    func stateValue(_ key: String) throws -> [UInt8]? {
        guard let reader else { return nil }
        return try reader.value(namespace: namespace, key: key)
    }

    func stateValues(_ keys: [String]) throws -> [String: [UInt8]] {
        guard let reader, !keys.isEmpty else { return [:] }
        return try reader.values(namespace: namespace, keys: keys)
    }
}
