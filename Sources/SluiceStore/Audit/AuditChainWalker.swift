import Foundation

/// Checks rows one at a time, in seq order, from wherever they come (an archive, then the
/// database): links, hashes, seqs, digests' and seals' hashes. Stops judging at the first break
/// (everything after a break is unverifiable) but keeps matching digests.
struct ChainWalker {
    let heads: [Int64: [AuditDigest]]
    let anchors: AuditAnchors
    /// The seq and hash the first row follows (0 and the genesis hash, or an archive's end).
    let start: (seq: Int64, hash: String)
    private var prev: AuditRow?
    private var prev2: AuditRow?
    /// The row whose verdict needs its successor.
    private var pending: AuditRow?
    private var prevRaw: [UInt8]
    private var buffer: [UInt8] = []
    private(set) var broken = false
    private(set) var count: Int64 = 0
    private(set) var lastSeq: Int64 = 0
    private(set) var damage: [AuditDamage] = []
    /// Seals and expected heads that do not match a row whose chain checks out: the chain was
    /// rebuilt. Reported only when the chain walk itself finds nothing (it names the row better).
    private var anchorDamage: [AuditDamage] = []
    /// The last seq a seal, an expected head or a digest vouched for, at a row whose chain checks
    /// out: the rows up to it are as signed, so a rewrite found later is after it.
    private var vouched: Int64

    init(heads: [Int64: [AuditDigest]], anchors: AuditAnchors, start: (seq: Int64, hash: String)) {
        self.heads = heads
        self.anchors = anchors
        self.start = (start.seq - 1 < 0 ? 0 : start.seq - 1, start.hash)
        prevRaw = AuditChain.prevBytes(start.hash)
        lastSeq = self.start.seq
        vouched = self.start.seq
    }

    mutating func feed(_ row: AuditRow) {
        count += 1
        lastSeq = row.seq
        let digests = heads[row.seq] ?? []
        // A digest that names another hash: when the row's chain checks out (set below), the log
        // was rebuilt after a row since the last signed point that matches; otherwise the walk's
        // own finding says where, and the digest names its row.
        var chainChecksOut = false
        let before = vouched
        defer {
            for d in digests where d.headHash != row.hash {
                let from = chainChecksOut ? before + 1 : row.seq
                damage.append(AuditDamage(kind: .rewrittenLog, seq: from, lastSeq: row.seq,
                    message: "digest \(d.fileName) signed hash \(d.headHash.prefix(12))… for seq \(row.seq); it now holds \(row.hash.prefix(12))…"
                        + (chainChecksOut ? ": a row in seqs \(from)…\(row.seq) was changed and the chain rebuilt" : "")))
            }
        }
        if broken { return }
        if let p = pending {
            damage.append(AuditVerifier.classify(p, previous: prev, beforePrevious: prev2, next: row, chainStart: start.hash))
            broken = true
            return
        }
        let expectedSeq = (prev?.seq ?? start.seq) + 1
        let expectedPrev = prev?.hash ?? start.hash
        if row.seq != expectedSeq {
            if row.seq > expectedSeq, row.prevHash == expectedPrev, AuditChain.hash(row, prevHash: row.prevHash) != row.hash {
                damage.append(AuditDamage(kind: .reorderedRows, seq: expectedSeq, message: "rows were renumbered: seq \(expectedSeq) is missing and seq \(row.seq) follows seq \(expectedSeq - 1)"))
            } else if row.seq > expectedSeq {
                damage.append(AuditDamage(kind: .deletedRows, seq: expectedSeq,
                    message: "seqs \(expectedSeq)…\(row.seq - 1) are missing (\(row.seq - expectedSeq) row\(row.seq - expectedSeq == 1 ? "" : "s") deleted)"))
            } else {
                damage.append(AuditDamage(kind: .reorderedRows, seq: expectedSeq,
                    message: "seq \(row.seq) comes where seq \(expectedSeq) belongs (rows repeated, or an archive given twice or out of place)"))
            }
            broken = true
            return
        }
        if row.hash.utf8.count != 64 {
            damage.append(AuditDamage(kind: .malformedRow, seq: row.seq, message: "the hash column is not a SHA-256 hex digest"))
            broken = true
            return
        }
        let recomputed: String
        if row.prevHash == expectedPrev {
            // The common case: the previous row's digest is at hand, no hex to decode.
            let h = AuditChain.hash(row, prevRaw: prevRaw, buffer: &buffer)
            recomputed = h.hex
            if recomputed == row.hash {
                chainChecksOut = true
                switch anchors.any ? anchors.judge(row, vouched: before) : nil {
                case .rewritten(let d)?: anchorDamage.append(d)
                case .vouches?: if anchorDamage.isEmpty { vouched = row.seq }
                case nil: if anchorDamage.isEmpty, digests.contains(where: { $0.headHash == row.hash }) { vouched = row.seq }
                }
                prevRaw = h.raw
                prev2 = prev
                prev = row
                return
            }
        } else {
            recomputed = AuditChain.hash(row, prevHash: row.prevHash)
        }
        if row.prevHash != expectedPrev && recomputed == row.hash {
            damage.append(AuditVerifier.classifyLink(row))
            broken = true
            return
        }
        // The content or the hash changed: the next row's link tells which.
        pending = row
    }

    /// Judges a last pending row and moves what was found into `report`.
    mutating func finish(into report: inout AuditVerifyReport) {
        if let p = pending, !broken {
            // The last row: only the digests and seals can tell an edited hash from altered content.
            let recomputed = AuditChain.hash(p, prevHash: p.prevHash)
            if heads[p.seq]?.contains(where: { $0.headHash == recomputed }) ?? false || anchors.seal(at: p.seq)?.hash == recomputed {
                damage.append(AuditDamage(kind: .editedHash, seq: p.seq, message: "the stored hash was changed; the content matches the signed digest"))
            } else {
                damage.append(AuditVerifier.classify(p, previous: prev, beforePrevious: prev2, next: nil, chainStart: start.hash))
            }
        }
        if !broken && pending == nil, let first = anchorDamage.first { damage.append(first) }
        report.damage += damage
        report.rows += count
        report.lastSeq = lastSeq
    }
}
