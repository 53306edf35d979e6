import Crypto
import Foundation
import GRDB
import SluiceCore

extension AuditVerifier {
    /// The archives the log records: signed, contiguous from seq 1. Returns where the log's own
    /// rows start: the seq after the last archive and the hash they continue from.
    static func checkArchives(_ db: Database, options: AuditVerifyOptions, report: inout AuditVerifyReport) throws -> (seq: Int64, hash: String) {
        let records = try AuditArchives.all(db)
        report.archives = records.count
        var next: (seq: Int64, hash: String) = (1, AuditChain.genesis)
        for r in records {
            guard let r else {
                report.damage.append(AuditDamage(kind: .forgedArchive, seq: next.seq, message: "an archive recorded in the log is unreadable"))
                continue
            }
            if let key = options.verifyingKey, !r.isValid(under: key) {
                report.damage.append(AuditDamage(kind: .forgedArchive, seq: r.firstSeq,
                    message: "the archive record for seqs \(r.firstSeq)…\(r.lastSeq) is not signed by the trusted key \(key.keyID)"))
            }
            if r.firstSeq != next.seq || r.prevHash != next.hash || r.lastSeq < r.firstSeq {
                report.damage.append(AuditDamage(kind: .deletedRows, seq: next.seq,
                    message: "the archive record for seqs \(r.firstSeq)…\(r.lastSeq) does not continue from seq \(next.seq - 1)"))
            }
            next = (r.lastSeq + 1, r.lastHash)
        }
        report.firstSeq = next.seq
        return next
    }

    /// Feeds the rows of every archive file, in the log's order, to `walker`, checking each file
    /// against the archive the log records for its range.
    static func feedArchives(_ db: Database, files: [URL], codec: AuditArchiveCodec, key: AuditPublicKey?,
                             walker: inout ChainWalker, report: inout AuditVerifyReport) throws {
        let records = try AuditArchives.all(db).compactMap { $0 }
        // First pass: each file's trailer (its last line).
        var byRecord: [Int64: (URL, AuditArchiveRecord)] = [:]
        var replays: [String] = []
        for url in files {
            var last: [UInt8] = []
            do { try codec.readLines(url) { last = $0 } } catch let e as SluiceError {
                report.damage.append(AuditDamage(kind: .forgedArchive, message: "\(url.lastPathComponent): \(e.message)"))
                continue
            }
            guard let trailer = AuditArchiveRecord.parseTrailer(last) else {
                report.damage.append(AuditDamage(kind: .forgedArchive, message: "\(url.lastPathComponent) does not end with a signed archive record"))
                continue
            }
            if let key, !trailer.isValid(under: key) {
                report.damage.append(AuditDamage(kind: .forgedArchive, seq: trailer.firstSeq,
                    message: "\(url.lastPathComponent): the archive's signature does not match the trusted key \(key.keyID)"))
                continue
            }
            guard let match = records.first(where: { $0.bodyBytes == trailer.bodyBytes && $0.signature == trailer.signature }) else {
                let covering = records.first { $0.firstSeq <= trailer.lastSeq && trailer.firstSeq <= $0.lastSeq }
                report.damage.append(AuditDamage(kind: .forgedArchive, seq: covering?.firstSeq ?? trailer.firstSeq,
                    message: "\(url.lastPathComponent) holds seqs \(trailer.firstSeq)…\(trailer.lastSeq), but the log records no such archive (replayed, foreign or rebuilt)"))
                continue
            }
            if let other = byRecord[match.lastSeq] {
                replays.append("\(url.lastPathComponent) repeats \(other.0.lastPathComponent) (seqs \(match.firstSeq)…\(match.lastSeq))")
            }
            byRecord[match.lastSeq] = (url, match)
        }
        let missing = records.filter { byRecord[$0.lastSeq] == nil }
        if let gap = missing.first, !replays.isEmpty {
            report.damage.append(AuditDamage(kind: .forgedArchive, seq: gap.firstSeq,
                message: replays.joined(separator: "; ") + ": an old archive replayed; no file holds seqs \(gap.firstSeq)…\(gap.lastSeq)"))
            return
        }
        if !missing.isEmpty, report.damage.isEmpty {
            throw SluiceError(.inputMissing, "give every archive or none: the log continues from archives of seqs "
                + missing.map { "\($0.firstSeq)…\($0.lastSeq)" }.joined(separator: ", ") + " that were not given")
        }
        guard missing.isEmpty else { return }
        // Second pass: the rows, in order, through the chain walker (from seq 1).
        walker = ChainWalker(heads: walker.heads, anchors: walker.anchors, start: (1, AuditChain.genesis))
        for r in records {
            guard let (url, record) = byRecord[r.lastSeq] else { continue }
            var held: [UInt8]?
            var sha = SHA256Hasher()
            var count: Int64 = 0
            var unreadable: Int64?
            try codec.readLines(url) { line in
                if let h = held {
                    sha.update(h + [0x0A])
                    count += 1
                    if let row = AuditExportVerifier.decode(h, csv: false) { walker.feed(row) } else if unreadable == nil { unreadable = record.firstSeq + count - 1 }
                }
                held = line
            }
            if let u = unreadable {
                report.damage.append(AuditDamage(kind: .malformedRow, seq: u, message: "\(url.lastPathComponent): a line is not an audit row"))
            }
            if count != record.rows || sha.hex != record.rowsSHA256 {
                // The rows themselves are judged by the chain walk (it names the seq); this says the file changed.
                report.damage.append(AuditDamage(kind: .forgedArchive, seq: nil,
                    message: "\(url.lastPathComponent): its rows are not the ones its signed record lists (\(count) rows, \(record.rows) signed)"))
            }
            report.archivedRowsChecked += count
        }
    }
}

/// SHA-256 in hex, fed piece by piece.
struct SHA256Hasher {
    private var h = SHA256()
    mutating func update(_ bytes: [UInt8]) { h.update(data: bytes) }
    var hex: String { ContentHash.hex(Array(h.finalize())) }
}
