/// Scores what a deduplicator did with a `DedupeCorpus` against the labels.
public struct DedupeAccuracy: Sendable, CustomStringConvertible {
    public var exactExpected = 0, exactCaught = 0, exactFlagged = 0, exactFlaggedCorrect = 0
    /// Pairs (original, near copy) at or above the threshold, and how many did not both survive.
    public var nearPositivePairs = 0, nearPositiveCaught = 0
    /// Pairs below the threshold that were (wrongly or rightly) collapsed.
    public var nearBelowPairs = 0, nearBelowCaught = 0
    /// `near_duplicate_of` drops, and how many of them were below `threshold - 0.1`.
    public var nearFlagged = 0, nearFlaggedFarBelow = 0
    public var versionDocuments = 0, versionDocumentsExact = 0

    public var exactRecall: Double { exactExpected == 0 ? 1 : Double(exactCaught) / Double(exactExpected) }
    public var exactPrecision: Double { exactFlagged == 0 ? 1 : Double(exactFlaggedCorrect) / Double(exactFlagged) }
    public var nearRecall: Double { nearPositivePairs == 0 ? 1 : Double(nearPositiveCaught) / Double(nearPositivePairs) }
    public var nearFarBelowRatio: Double { nearFlagged == 0 ? 0 : Double(nearFlaggedFarBelow) / Double(nearFlagged) }
    public var versionAccuracy: Double { versionDocuments == 0 ? 1 : Double(versionDocumentsExact) / Double(versionDocuments) }

    public var description: String {
        func pct(_ x: Double) -> String { String(Double(Int(x * 10000)) / 100) + "%" }
        return """
            exact duplicates: recall \(pct(exactRecall)) (\(exactCaught)/\(exactExpected)), precision \(pct(exactPrecision)) (\(exactFlaggedCorrect)/\(exactFlagged))
            near duplicates at or above the threshold: caught \(pct(nearRecall)) (\(nearPositiveCaught)/\(nearPositivePairs)); below it: collapsed \(nearBelowCaught)/\(nearBelowPairs)
            near_duplicate_of drops below threshold-0.1: \(pct(nearFarBelowRatio)) (\(nearFlaggedFarBelow)/\(nearFlagged))
            versioned documents holding exactly the newest version: \(pct(versionAccuracy)) (\(versionDocumentsExact)/\(versionDocuments))
            """
    }

    /// - Parameters:
    ///   - drops: record id → (reason code, related id) for every dropped record.
    ///   - passed: ids of records that passed, in order.
    ///   - superseded: ids that later records replaced in the outputs.
    ///   - normalize: the text normalisation exact keys use.
    ///   - shingles: a body's shingle set.
    public init(corpus: DedupeCorpus, threshold: Double, drops: [String: (code: String, related: String?)],
                passed: [String], superseded: Set<String>, normalize: (String) -> String,
                shingles: (String) -> Set<[String]>) {
        var shingleCache: [String: Set<[String]>] = [:]
        func sh(_ id: String) -> Set<[String]> {
            if let s = shingleCache[id] { return s }
            let s = shingles(corpus.bodies[id] ?? "")
            shingleCache[id] = s
            return s
        }
        // Exact: in arrival order, every record whose normalised body was seen before is expected to go.
        var firstByBody: [String: String] = [:]
        var normalized: [String: String] = [:]
        for r in corpus.records {
            guard let id = r["id"]?.stringValue, r["doc_id"] == nil else { continue }
            let n = normalize(corpus.bodies[id] ?? "")
            normalized[id] = n
            if let first = firstByBody[n] {
                exactExpected += 1
                // A copy of a record that was itself dropped (as a near-duplicate of an earlier
                // one) goes the same way, for the same reason.
                if drops[id]?.code == "duplicate_of" || (drops[first] != nil && drops[id] != nil) { exactCaught += 1 }
            } else {
                firstByBody[n] = id
            }
        }
        for (id, d) in drops where d.code == "duplicate_of" && normalized[id] != nil {
            exactFlagged += 1
            if let rel = d.related, normalized[rel] == normalized[id] { exactFlaggedCorrect += 1 }
        }
        // Near: a pair is caught unless both of its records survive.
        let dropped = Set(drops.keys)
        for (id, label) in corpus.labels {
            guard case .nearCopy(let of) = label, normalized[id] != normalized[of] else { continue }
            let j = DedupeCorpus.jaccard(sh(id), sh(of))
            let caught = dropped.contains(id) || dropped.contains(of)
            if j >= threshold {
                nearPositivePairs += 1
                if caught { nearPositiveCaught += 1 }
            } else {
                nearBelowPairs += 1
                if caught { nearBelowCaught += 1 }
            }
        }
        for (id, d) in drops where d.code == "near_duplicate_of" {
            nearFlagged += 1
            if let rel = d.related, DedupeCorpus.jaccard(sh(id), sh(rel)) < threshold - 0.1 { nearFlaggedFarBelow += 1 }
        }
        // Versions: what survives (passed, not replaced later) is exactly the newest.
        var live: [String: Set<String>] = [:]
        var newest: [String: String] = [:]
        for (id, label) in corpus.labels {
            guard case .version(let doc, let isNewest) = label else { continue }
            if isNewest { newest[doc] = id }
            live[doc, default: []] = live[doc, default: []]
        }
        let passedSet = Set(passed)
        for (id, label) in corpus.labels {
            guard case .version(let doc, _) = label, passedSet.contains(id), !superseded.contains(id) else { continue }
            live[doc, default: []].insert(id)
        }
        for (doc, ids) in live {
            versionDocuments += 1
            if let n = newest[doc], ids == [n] { versionDocumentsExact += 1 }
        }
    }
}
