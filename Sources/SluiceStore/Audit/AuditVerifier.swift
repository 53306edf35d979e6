import Foundation
import GRDB
import SluiceCore

/// One piece of damage found by `AuditVerifier`.
public struct AuditDamage: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A row's content no longer matches its hash (an updated row).
        case alteredRow = "altered_row"
        /// A row's stored hash was changed (its content still matches what the next row links to).
        case editedHash = "edited_hash"
        /// Seqs skip: rows were deleted.
        case deletedRows = "deleted_rows"
        /// A row that belongs at another seq (rows swapped or renumbered).
        case reorderedRows = "reordered_rows"
        /// A self-consistent row that does not link to its predecessor: forged and inserted, or the
        /// rows before it were removed and the chain rebuilt.
        case insertedRow = "inserted_row"
        /// Rows a signed digest covers are missing at the end of the log.
        case truncatedTail = "truncated_tail"
        /// A digest's head hash does not match the row at its last seq (the log was rewritten).
        case rewrittenLog = "rewritten_log"
        /// A digest's signature is wrong, or it is not a digest file.
        case forgedDigest = "forged_digest"
        /// Digests do not follow each other (one removed, or one inserted).
        case brokenDigestChain = "broken_digest_chain"
        /// The append-only triggers are gone.
        case triggersRemoved = "triggers_removed"
        /// A column holds the wrong kind of value (e.g. a NULL hash).
        case malformedRow = "malformed_row"
    }

    public var kind: Kind
    /// The first seq concerned, when the damage is in the rows.
    public var seq: Int64?
    public var message: String

    public var description: String { (seq.map { "seq \($0): " } ?? "") + "\(kind.rawValue): \(message)" }
}

/// What `AuditVerifier.verify` found.
public struct AuditVerifyReport: Sendable {
    public var rows: Int64 = 0
    public var lastSeq: Int64 = 0
    public var digests = 0
    /// Rows after the last digest: a run in progress or interrupted (covered by the next run's
    /// digest), not damage.
    public var unsignedTail: Int64 = 0
    public var damage: [AuditDamage] = []
    /// Whether the digests' signatures were checked (false without the key).
    public var signaturesChecked = false
    public var isClean: Bool { damage.isEmpty }
    /// The first bad seq found in the rows.
    public var firstBadSeq: Int64? { damage.compactMap(\.seq).min() }
}

/// Checks the hash chain, every digest's signature, their links and ranges, and the triggers.
///
/// Reads only: the database is opened read-only. Stops walking the chain at the first broken row
/// (everything after a break is unverifiable) but always checks every digest.
public enum AuditVerifier {
    /// How far around a misplaced row to look for the seq it was written at.
    static let reorderWindow: Int64 = 64

    static func verify(database: DatabaseQueue, digestsDirectory: URL, key: AuditKey?) throws -> AuditVerifyReport {
        var report = AuditVerifyReport()
        let (digests, unreadable) = AuditDigest.readAll(in: digestsDirectory)
        report.digests = digests.count
        report.signaturesChecked = key != nil
        for name in unreadable {
            report.damage.append(AuditDamage(kind: .forgedDigest, message: "\(name) is not a readable digest"))
        }
        var heads: [Int64: [AuditDigest]] = [:]
        for d in digests { heads[d.lastSeq, default: []].append(d) }

        try database.read { db in
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
            for t in ["audit_events_no_update", "audit_events_no_delete"] where !triggers.contains(t) {
                report.damage.append(AuditDamage(kind: .triggersRemoved, message: "the append-only trigger \(t) is missing"))
            }
            let columns = try db.columns(in: "audit_events").map(\.name)
            guard columns.contains("hash") else {
                report.damage.append(AuditDamage(kind: .malformedRow, message: "the audit log has no hash chain (schema before v3)"))
                return
            }
            try walkChain(db, heads: heads, report: &report)
        }
        checkDigests(digests, key: key, report: &report)
        if let last = digests.last, report.lastSeq > last.lastSeq { report.unsignedTail = report.lastSeq - last.lastSeq }
        if digests.isEmpty { report.unsignedTail = report.lastSeq }
        return report
    }

    private static func walkChain(_ db: Database, heads: [Int64: [AuditDigest]], report: inout AuditVerifyReport) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(AuditStoredRow.columns) FROM audit_events ORDER BY seq")
        var prev: AuditRow?
        var prev2: AuditRow?
        var pending: AuditRow?   // the row whose verdict needs its successor
        var prevRaw = [UInt8](repeating: 0, count: 32)
        var buffer: [UInt8] = []
        var broken = false
        var count: Int64 = 0
        while let r = try cursor.next() {
            let row = AuditStoredRow.decode(r)
            count += 1
            report.lastSeq = row.seq
            if let ds = heads[row.seq] {
                for d in ds where d.headHash != row.hash {
                    report.damage.append(AuditDamage(kind: .rewrittenLog, seq: row.seq,
                        message: "digest \(d.fileName) signed hash \(d.headHash.prefix(12))… for this row; it now holds \(row.hash.prefix(12))…"))
                }
            }
            if broken { continue }
            if let p = pending {
                report.damage.append(classify(p, previous: prev, beforePrevious: prev2, next: row))
                broken = true
                continue
            }
            let expectedSeq = (prev?.seq ?? 0) + 1
            let expectedPrev = prev?.hash ?? AuditChain.genesis
            if row.seq != expectedSeq {
                if row.seq > expectedSeq, row.prevHash == expectedPrev, AuditChain.hash(row, prevHash: row.prevHash) != row.hash {
                    report.damage.append(AuditDamage(kind: .reorderedRows, seq: expectedSeq, message: "rows were renumbered: seq \(expectedSeq) is missing and seq \(row.seq) follows seq \(expectedSeq - 1)"))
                } else {
                    report.damage.append(AuditDamage(kind: .deletedRows, seq: expectedSeq,
                        message: "seqs \(expectedSeq)…\(row.seq - 1) are missing (\(row.seq - expectedSeq) row\(row.seq - expectedSeq == 1 ? "" : "s") deleted)"))
                }
                broken = true
                continue
            }
            if row.hash.utf8.count != 64 {
                report.damage.append(AuditDamage(kind: .malformedRow, seq: row.seq, message: "the hash column is not a SHA-256 hex digest"))
                broken = true
                continue
            }
            let recomputed: String
            if row.prevHash == expectedPrev {
                // The common case: the previous row's digest is at hand, no hex to decode.
                let h = AuditChain.hash(row, prevRaw: prevRaw, buffer: &buffer)
                recomputed = h.hex
                if recomputed == row.hash {
                    prevRaw = h.raw
                    prev2 = prev
                    prev = row
                    continue
                }
            } else {
                recomputed = AuditChain.hash(row, prevHash: row.prevHash)
            }
            if row.prevHash != expectedPrev && recomputed == row.hash {
                report.damage.append(classifyLink(row))
                broken = true
                continue
            }
            // The content or the hash changed: the next row's link tells which.
            pending = row
        }
        if let p = pending, !broken {
            // The last row: only the digests can tell an edited hash from altered content.
            let recomputed = AuditChain.hash(p, prevHash: p.prevHash)
            if heads[p.seq]?.contains(where: { $0.headHash == recomputed }) ?? false {
                report.damage.append(AuditDamage(kind: .editedHash, seq: p.seq, message: "the stored hash was changed; the content matches the signed digest"))
            } else {
                report.damage.append(classify(p, previous: prev, beforePrevious: prev2, next: nil))
            }
        }
        report.rows = count
    }

    /// A row whose hash does not match its content, judged by its neighbours (`next` is nil for
    /// the last row).
    private static func classify(_ row: AuditRow, previous: AuditRow?, beforePrevious: AuditRow?, next: AuditRow?) -> AuditDamage {
        let recomputed = AuditChain.hash(row, prevHash: row.prevHash)
        if let next, next.prevHash == recomputed {
            return AuditDamage(kind: .editedHash, seq: row.seq, message: "the stored hash was changed; the row's content is what the next row links to")
        }
        if let origin = originalSeq(of: row) {
            if origin == row.seq - 1, let previous, row.prevHash == (beforePrevious?.hash ?? AuditChain.genesis) {
                return AuditDamage(kind: .insertedRow, seq: previous.seq,
                                   message: "a forged row was inserted here and the rows after it renumbered")
            }
            if origin > row.seq, let next {
                let nextOrigin = AuditChain.hash(next, prevHash: next.prevHash) == next.hash ? next.seq : originalSeq(of: next)
                if nextOrigin == next.seq + (origin - row.seq) {
                    return AuditDamage(kind: .deletedRows, seq: row.seq,
                                       message: "\(origin - row.seq) row(s) were deleted here and the rows after them renumbered")
                }
            }
            return AuditDamage(kind: .reorderedRows, seq: row.seq, message: "this row was written as seq \(origin)")
        }
        if let next, next.prevHash == (previous?.hash ?? AuditChain.genesis) {
            return AuditDamage(kind: .insertedRow, seq: row.seq, message: "a forged row was inserted: the next row links to seq \(row.seq - 1)")
        }
        if let next, next.prevHash != row.hash {
            return AuditDamage(kind: .alteredRow, seq: row.seq, message: "the row's content and hash were both changed")
        }
        return AuditDamage(kind: .alteredRow, seq: row.seq, message: "the row's content was changed after it was written")
    }

    /// A self-consistent row whose link to the previous row is broken.
    private static func classifyLink(_ row: AuditRow) -> AuditDamage {
        if let origin = originalSeq(of: row) {
            return AuditDamage(kind: .reorderedRows, seq: row.seq, message: "this row was written as seq \(origin)")
        }
        return AuditDamage(kind: .insertedRow, seq: row.seq,
            message: "the row does not link to seq \(row.seq - 1): a forged row was inserted, or rows before it were removed and renumbered")
    }

    /// The seq at which `row`'s content was originally sealed, if near its current one.
    private static func originalSeq(of row: AuditRow) -> Int64? {
        var probe = row
        for delta in 1...reorderWindow {
            for s in [row.seq - delta, row.seq + delta] where s > 0 {
                probe.seq = s
                if AuditChain.hash(probe, prevHash: row.prevHash) == row.hash { return s }
            }
        }
        return nil
    }

    private static func checkDigests(_ digests: [AuditDigest], key: AuditKey?, report: inout AuditVerifyReport) {
        var previous: AuditDigest?
        for d in digests {
            if let key, !key.isValid(signature: d.signature, for: d.bodyBytes) {
                report.damage.append(AuditDamage(kind: .forgedDigest, seq: nil, message: "\(d.fileName): the signature does not match"))
            }
            let expectedFirst = (previous?.lastSeq ?? 0) + 1
            let expectedLink = previous.map { ContentHash.sha256Hex($0.fileBytes) }
            if d.firstSeq != expectedFirst || d.prevDigest != expectedLink || d.lastSeq < d.firstSeq {
                report.damage.append(AuditDamage(kind: .brokenDigestChain, seq: nil,
                    message: "\(d.fileName) covers seqs \(d.firstSeq)…\(d.lastSeq) but should start at \(expectedFirst) and link to \(previous?.fileName ?? "no earlier digest")"))
            }
            if d.lastSeq > report.lastSeq {
                report.damage.append(AuditDamage(kind: .truncatedTail, seq: report.lastSeq + 1,
                    message: "\(d.fileName) covers rows up to seq \(d.lastSeq); the log ends at seq \(report.lastSeq)"))
            }
            previous = d
        }
    }
}
