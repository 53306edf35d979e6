public import Foundation
import GRDB
import SluiceCore

/// What `AuditVerifier` checks the log against.
public struct AuditVerifyOptions: Sendable {
    /// The secret audit key: checks format-1 (HMAC) digests; its public half checks the rest.
    public var secretKey: AuditKey?
    /// The public key an auditor trusts; wins over the secret key's public half.
    public var publicKey: AuditPublicKey?
    /// Heads kept elsewhere (`sluice audit head`): the log must still hold each one's row, unchanged.
    public var expectedHeads: [(name: String, head: AuditSeal)]
    /// Archive files (`sluice audit archive`) to check with the log, end to end: all of the
    /// log's archives, in any order; none checks the log from its oldest remaining row.
    public var archiveFiles: [URL]
    public var archiveCodec: AuditArchiveCodec?

    public init(secretKey: AuditKey? = nil, publicKey: AuditPublicKey? = nil, expectedHeads: [(name: String, head: AuditSeal)] = [],
                archiveFiles: [URL] = [], archiveCodec: AuditArchiveCodec? = nil) {
        self.secretKey = secretKey
        self.publicKey = publicKey
        self.expectedHeads = expectedHeads
        self.archiveFiles = archiveFiles
        self.archiveCodec = archiveCodec
    }

    /// The key Ed25519 signatures are checked against.
    public var verifyingKey: AuditPublicKey? { publicKey ?? secretKey?.publicKey }
}

/// Seals and expected heads by the seq they vouch for, looked up while the chain is walked.
struct AuditAnchors {
    private var sealBySeq: [Int64: AuditSeal] = [:]
    private var heads: [Int64: [(name: String, head: AuditSeal)]] = [:]
    let any: Bool

    init(seals: [AuditSeal], heads expected: [(name: String, head: AuditSeal)]) {
        for s in seals { sealBySeq[s.seq] = s }
        for h in expected { heads[h.head.seq, default: []].append(h) }
        any = !seals.isEmpty || !expected.isEmpty
    }

    func seal(at seq: Int64) -> AuditSeal? { sealBySeq[seq] }

    enum Verdict {
        /// A seal or head at the row's seq holds its hash: the rows up to it are as signed.
        case vouches
        /// One names another hash: the log was rewritten.
        case rewritten(AuditDamage)
    }

    /// What the seal and heads at `row`'s seq say of it; nil when there is none. `vouched` is the
    /// last seq before it that a seal, head or digest vouched for: a changed row is after it.
    func judge(_ row: AuditRow, vouched: Int64) -> Verdict? {
        let seal = sealBySeq[row.seq], named = heads[row.seq] ?? []
        if seal == nil && named.isEmpty { return nil }
        let from = vouched + 1
        if let s = seal, s.hash != row.hash {
            return .rewritten(AuditDamage(kind: .rewrittenLog, seq: from, lastSeq: row.seq,
                message: "the seal at seq \(row.seq) signed hash \(s.hash.prefix(12))…; the row holds \(row.hash.prefix(12))…: a row in seqs \(from)…\(row.seq) was changed and the chain rebuilt"))
        }
        for h in named where h.head.hash != row.hash {
            return .rewritten(AuditDamage(kind: .rewrittenLog, seq: from, lastSeq: row.seq,
                message: "the head \(h.name) holds hash \(h.head.hash.prefix(12))… for seq \(row.seq); it now holds \(row.hash.prefix(12))…: a row in seqs \(from)…\(row.seq) was changed and the log rewritten"))
        }
        return .vouches
    }
}

extension AuditVerifier {
    typealias Anchors = AuditAnchors

    /// The seals, and damage when their table or triggers are gone.
    static func readSeals(_ db: Database, report: inout AuditVerifyReport) throws -> [AuditSeal] {
        guard try AuditSeals.exists(db) else {
            if try AuditSeals.migrated(db) {
                report.damage.append(AuditDamage(kind: .triggersRemoved, message: "the audit_seals table was dropped"))
            }
            return []
        }
        report.sealsPresent = true
        let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_seals'")
        for t in ["audit_seals_no_update", "audit_seals_no_delete"] where !triggers.contains(t) {
            report.damage.append(AuditDamage(kind: .triggersRemoved, message: "the append-only trigger \(t) is missing"))
        }
        let seals = try AuditSeals.all(db)
        report.seals = seals.count
        return seals
    }

    /// Signatures, the one allowed unsigned marker, seals past the end (truncation) and rows past
    /// the last seal (forged appends).
    static func checkSeals(_ seals: [AuditSeal], key: AuditPublicKey?, report: inout AuditVerifyReport) {
        guard report.sealsPresent else { return }
        var previous: Int64 = 0
        var truncationReported = report.damage.contains { $0.kind == .truncatedTail }
        for (i, s) in seals.enumerated() {
            let from = previous + 1
            if s.signature == nil {
                if i == 0 && s.keyID == nil {
                    report.legacySealSeq = s.seq
                } else {
                    report.damage.append(AuditDamage(kind: .forgedSeal, seq: from, message: "the seal at seq \(s.seq) is not signed"))
                }
            } else if let key, !s.isValid(under: key) {
                let who = s.keyID == key.keyID ? "the signature does not match" : "signed by key \(s.keyID ?? "?"), not the trusted key \(key.keyID)"
                report.damage.append(AuditDamage(kind: .forgedSeal, seq: from, message: "the seal at seq \(s.seq): \(who)"))
            }
            if s.seq > report.lastSeq && !truncationReported {
                report.damage.append(AuditDamage(kind: .truncatedTail, seq: report.lastSeq + 1,
                    message: "a seal vouches for rows up to seq \(s.seq); the log ends at seq \(report.lastSeq)"))
                truncationReported = true
            }
            previous = s.seq
        }
        if report.lastSeq > previous {
            report.damage.append(AuditDamage(kind: .unsealedRows, seq: previous + 1,
                message: "seqs \(previous + 1)…\(report.lastSeq) come after the last seal (seq \(previous)): rows are only ever committed with a seal, so these were added outside Sluice"))
        }
    }

    /// Each expected head: its signature, and that the log still reaches it.
    static func checkHeads(_ heads: [(name: String, head: AuditSeal)], key: AuditPublicKey?, report: inout AuditVerifyReport) {
        report.headsChecked = heads.count
        for (name, h) in heads {
            if let key, !h.isValid(under: key) {
                report.damage.append(AuditDamage(kind: .forgedHead, message: "\(name): the head's signature does not match the trusted key \(key.keyID)"))
            }
            if h.seq < report.firstSeq && report.archivedRowsChecked == 0 { report.headsInArchives += 1 }
            if h.seq > report.lastSeq {
                report.damage.append(AuditDamage(kind: .truncatedTail, seq: report.lastSeq + 1,
                    message: "\(name) says the log reached seq \(h.seq); it ends at seq \(report.lastSeq)"))
            }
        }
    }

    static func checkDigests(_ digests: [AuditDigest], key: AuditKey?, publicKey: AuditPublicKey?, report: inout AuditVerifyReport) {
        var previous: AuditDigest?
        for d in digests {
            if d.isHMAC {
                if let key {
                    if !key.isValid(signature: d.signature, for: d.bodyBytes) {
                        report.damage.append(AuditDamage(kind: .forgedDigest, seq: nil, message: "\(d.fileName): the HMAC signature does not match"))
                    }
                } else {
                    report.hmacDigestsUnchecked += 1
                }
            } else if let publicKey {
                if d.keyID != publicKey.keyID {
                    report.damage.append(AuditDamage(kind: .forgedDigest, seq: nil,
                        message: "\(d.fileName): signed by key \(d.keyID ?? "?"), not the trusted key \(publicKey.keyID)"))
                } else if !publicKey.isValid(signature: d.signature, for: d.bodyBytes) {
                    report.damage.append(AuditDamage(kind: .forgedDigest, seq: nil, message: "\(d.fileName): the signature does not match"))
                }
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
