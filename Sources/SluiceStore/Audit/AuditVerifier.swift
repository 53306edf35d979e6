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
        /// A seal's, a digest's or an expected head's hash does not match the row at its seq (the
        /// log was rewritten): names the range in which the changed row is, from the first seq
        /// after the last signed point that still matches to the seq of the one that does not.
        case rewrittenLog = "rewritten_log"
        /// A digest's signature is wrong, or it is not a digest file.
        case forgedDigest = "forged_digest"
        /// Digests do not follow each other (one removed, or one inserted).
        case brokenDigestChain = "broken_digest_chain"
        /// The append-only triggers are gone.
        case triggersRemoved = "triggers_removed"
        /// A column holds the wrong kind of value (e.g. a NULL hash).
        case malformedRow = "malformed_row"
        /// Rows after the last seal: appended outside a committed batch (a forged row).
        case unsealedRows = "unsealed_rows"
        /// A seal's signature is wrong (forged, or signed by another key), or it is unsigned.
        case forgedSeal = "forged_seal"
        /// A head file's signature is wrong, or it is not a head file.
        case forgedHead = "forged_head"
        /// An export manifest's signature is wrong, or signed by another key.
        case forgedManifest = "forged_manifest"
        /// An export's rows differ from what its manifest signed.
        case editedExport = "edited_export"
        /// An archive's signature is wrong, or the log does not record it (replayed, foreign or rebuilt).
        case forgedArchive = "forged_archive"
    }

    public var kind: Kind
    /// The first seq concerned, when the damage is in the rows.
    public var seq: Int64?
    /// The last seq concerned, when the damage is a range whose end is known (`rewritten_log`:
    /// the changed row is somewhere in `seq…lastSeq`).
    public var lastSeq: Int64?
    public var message: String

    public var description: String {
        let place: String
        switch (seq, lastSeq) {
        case let (first?, last?) where last > first: place = "seqs \(first)…\(last): "
        case let (first?, _): place = "seq \(first): "
        default: place = ""
        }
        return place + "\(kind.rawValue): \(message)"
    }
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
    /// Whether the seals' and digests' signatures were checked (false without any key).
    public var signaturesChecked = false
    /// The id of the public key signatures were checked against.
    public var keyID: String?
    public var seals = 0
    /// The seq of the unsigned marker seal the seals migration wrote (rows up to it predate seals).
    public var legacySealSeq: Int64?
    /// Whether the log has seals at all (false for a log not written since before seals existed).
    public var sealsPresent = false
    /// Format-1 (HMAC) digests whose signature could not be checked: no secret key given.
    public var hmacDigestsUnchecked = 0
    /// External heads checked (`--expect-head`).
    public var headsChecked = 0
    /// Expected heads whose row is in an archive that was not given: their signature and range
    /// were checked, their hash could not be.
    public var headsInArchives = 0
    /// Archives the log continues from, and how many of their rows were checked (archive files given).
    public var archives = 0
    public var archivedRowsChecked: Int64 = 0
    /// The oldest seq still in the log (1 unless rows were archived).
    public var firstSeq: Int64 = 1
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

    static func verify(database: DatabaseQueue, digestsDirectory: URL, options: AuditVerifyOptions) throws -> AuditVerifyReport {
        var report = AuditVerifyReport()
        let key = options.secretKey
        let (digests, unreadable) = AuditDigest.readAll(in: digestsDirectory)
        report.digests = digests.count
        report.signaturesChecked = options.verifyingKey != nil
        report.keyID = options.verifyingKey?.keyID
        for name in unreadable {
            report.damage.append(AuditDamage(kind: .forgedDigest, message: "\(name) is not a readable digest"))
        }
        var heads: [Int64: [AuditDigest]] = [:]
        for d in digests { heads[d.lastSeq, default: []].append(d) }
        var seals: [AuditSeal] = []

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
            seals = try readSeals(db, report: &report)
            let anchors = Anchors(seals: seals, heads: options.expectedHeads)
            let start = try checkArchives(db, options: options, report: &report)
            var walker = ChainWalker(heads: heads, anchors: anchors, start: start)
            if !options.archiveFiles.isEmpty, let codec = options.archiveCodec {
                try feedArchives(db, files: options.archiveFiles, codec: codec, key: options.verifyingKey, walker: &walker, report: &report)
            }
            try walkChain(db, walker: &walker)
            walker.finish(into: &report)
        }
        checkDigests(digests, key: key, publicKey: options.verifyingKey, report: &report)
        checkSeals(seals, key: options.verifyingKey, report: &report)
        checkHeads(options.expectedHeads, key: options.verifyingKey, report: &report)
        if let last = digests.last, report.lastSeq > last.lastSeq { report.unsignedTail = report.lastSeq - last.lastSeq }
        if digests.isEmpty { report.unsignedTail = report.lastSeq }
        return report
    }

    /// Walks the rows of the database (after `start`: the archived rows' end) through `walker`.
    private static func walkChain(_ db: Database, walker: inout ChainWalker) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(AuditStoredRow.columns) FROM audit_events ORDER BY seq")
        while let r = try cursor.next() { walker.feed(AuditStoredRow.decode(r)) }
    }

    /// A row whose hash does not match its content, judged by its neighbours (`next` is nil for
    /// the last row).
    static func classify(_ row: AuditRow, previous: AuditRow?, beforePrevious: AuditRow?, next: AuditRow?, chainStart: String = AuditChain.genesis) -> AuditDamage {
        let recomputed = AuditChain.hash(row, prevHash: row.prevHash)
        if let next, next.prevHash == recomputed {
            return AuditDamage(kind: .editedHash, seq: row.seq, message: "the stored hash was changed; the row's content is what the next row links to")
        }
        if let origin = originalSeq(of: row) {
            if origin == row.seq - 1, let previous, row.prevHash == (beforePrevious?.hash ?? chainStart) {
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
        if let next, next.prevHash == (previous?.hash ?? chainStart) {
            return AuditDamage(kind: .insertedRow, seq: row.seq, message: "a forged row was inserted: the next row links to seq \(row.seq - 1)")
        }
        if let next, next.prevHash != row.hash {
            return AuditDamage(kind: .alteredRow, seq: row.seq, message: "the row's content and hash were both changed")
        }
        return AuditDamage(kind: .alteredRow, seq: row.seq, message: "the row's content was changed after it was written")
    }

    /// A self-consistent row whose link to the previous row is broken.
    static func classifyLink(_ row: AuditRow) -> AuditDamage {
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
}
