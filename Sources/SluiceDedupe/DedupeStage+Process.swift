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
        if let near = config.near {
            signature = near.hasher.signature(near.shingler.shingleHashes(config.keyer.text(for: value)))
        }
        let doc = DocRecord(id: record.id, contentKey: contentKey, versionID: versionID, order: order, signature: signature)
        let (keys, bandCount) = LookupKey.all(doc, bands: config.near?.bands)
        // The committed documents behind each key (tag matches included), read in one round trip.
        let matches = try committedMatches(keys)

        var supersedes: [String] = []
        if let versionID, let order, let v = config.versions {
            let previous = batch.versions[versionID] ?? committedVersion(versionID, matches[2])
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

        if config.exact, let ref = lookupExact(contentKey, matches[0]),
           !(versionID != nil && ref.versionID == versionID), !supersedes.contains(ref.id) {
            return .drop(record, DropReason(code: "duplicate_of", relatedID: ref.id))
        }

        if let near = config.near, let sig = signature,
           let best = bestCandidate(sig, keys: keys, bandCount: bandCount, matches: matches, self: record.id, versionID: versionID,
                                    excluding: supersedes), best.1 >= near.confirmAt {
            let rounded = (best.1 * 100).rounded() / 100
            return .drop(record, DropReason(code: "near_duplicate_of", relatedID: best.0,
                                            details: .object(JSONObject([("jaccard", .number(JSONNumber(rounded)))]))))
        }

        batch.add(.init(record: doc, supersedes: supersedes, keys: keys, bandCount: bandCount))
        return supersedes.isEmpty ? .pass(record) : .pass(record, notes: [Supersession.note(replacing: supersedes)])
    }

    /// For each key, the committed documents that may hold it (read into the batch): only
    /// documents still indexed, and not replaced in this batch. The record id's key (index 1)
    /// needs no answer here: reading it puts the id's committed ordinals in the batch, which is
    /// what `stateWrites` needs to replace them.
    func committedMatches(_ keys: [UInt64]) throws -> [[(UInt64, DocRecord)]] {
        var ords: [[UInt64]] = []
        ords.reserveCapacity(keys.count)
        var unread: [String] = []
        for k in keys {
            var found: [UInt64] = []
            table.candidates(k, into: &found)
            for o in found where batch.committed[o] == nil { unread.append(IndexKey.doc(o)) }
            ords.append(found)
        }
        if !unread.isEmpty {
            let values = try stateValues(unread)
            for key in unread {
                guard let o = IndexKey.ordinal(ofDocKey: key) else { continue }
                batch.remember(o, values[key].flatMap(DocRecord.init(bytes:)))
            }
        }
        return ords.map { list in
            list.compactMap { o in
                guard let d = batch.committed[o] ?? nil, !batch.removed.contains(d.id), batch.docs[d.id] == nil else { return nil }
                return (o, d)
            }
        }
    }

    /// The committed newest version of `versionID` (the latest ordinal, should there be more).
    func committedVersion(_ versionID: String, _ matches: [(UInt64, DocRecord)]) -> VersionEntry? {
        guard let (_, d) = matches.filter({ $0.1.versionID == versionID && $0.1.order != nil }).max(by: { $0.0 < $1.0 }),
              let order = d.order else { return nil }
        return VersionEntry(docID: d.id, order: order, contentKey: d.contentKey)
    }

    /// A version id's text: a string as is, a number as written.
    static func versionText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .number(let n): return n.description
        default: return nil
        }
    }

    /// The document holding content key `key`: this batch's first, else the committed one indexed first.
    func lookupExact(_ key: String, _ matches: [(UInt64, DocRecord)]) -> DocRef? {
        if let r = batch.exact[key], !batch.removed.contains(r.id) { return r }
        guard let (_, d) = matches.filter({ $0.1.contentKey == key }).min(by: { $0.0 < $1.0 }) else { return nil }
        return DocRef(id: d.id, versionID: d.versionID)
    }

    /// The most similar indexed document among the LSH candidates (ties: the smaller id).
    func bestCandidate(_ sig: [UInt32], keys: [UInt64], bandCount: Int, matches: [[(UInt64, DocRecord)]], self id: String,
                       versionID: String?, excluding: [String]) -> (String, Double)? {
        guard let bands = config.near?.bands else { return nil }
        var candidates: [String: DocRecord] = [:]
        let first = keys.count - bandCount
        for b in 0..<bandCount {
            let key = keys[first + b]
            // A tag match is a candidate only when the document's band really hashes to `key`.
            for (_, d) in matches[first + b] where candidates[d.id] == nil {
                if let other = d.signature, LookupKey.band(b, bands.bandHash(other, band: b)) == key { candidates[d.id] = d }
            }
            for c in batch.buckets[key] ?? [] where candidates[c] == nil { candidates[c] = batch.docs[c] }
        }
        var best: (String, Double)?
        for (c, d) in candidates where c != id && !batch.removed.contains(c) && !excluding.contains(c) {
            guard let other = d.signature else { continue }
            if let versionID, d.versionID == versionID { continue }
            let j = MinHasher.estimatedJaccard(sig, other)
            if let b = best, j < b.1 || (j == b.1 && c >= b.0) { continue }
            best = (c, j)
        }
        return best
    }

    func stateValues(_ keys: [String]) throws -> [String: [UInt8]] {
        guard let reader, !keys.isEmpty else { return [:] }
        var out = try reader.values(namespace: namespace, keys: pending.isEmpty ? keys : keys.filter { pending[$0] == nil })
        for k in keys { if let p = pending[k] { out[k] = p } }
        return out
    }
}
