import Crypto
import Foundation
import SluiceCore
import SluiceJSON

/// What `AuditExportVerifier.verify` found.
public struct AuditExportReport: Sendable {
    public var rows = 0
    public var firstSeq: Int64?
    public var lastSeq: Int64?
    public var keyID: String?
    public var damage: [AuditDamage] = []
    public var isClean: Bool { damage.isEmpty }
    public var firstBadSeq: Int64? { damage.compactMap(\.seq).min() }
}

/// Checks an export against its signed manifest, offline, with the public key alone.
public enum AuditExportVerifier {
    public static func verify(export bytes: [UInt8], manifest m: AuditExportManifest, key: AuditPublicKey) -> AuditExportReport {
        var report = AuditExportReport()
        report.keyID = key.keyID
        if m.keyID != key.keyID {
            report.damage.append(AuditDamage(kind: .forgedManifest, message: "the manifest is signed by key \(m.keyID), not the trusted key \(key.keyID)"))
        } else if !key.isValid(signature: m.signature, for: m.bodyBytes) {
            report.damage.append(AuditDamage(kind: .forgedManifest, message: "the manifest's signature does not match: it was edited"))
        }
        let csv = m.rowFormat == "csv"
        var lines = csv ? csvRecords(bytes) : jsonlLines(bytes)
        var header: [UInt8] = []
        if csv, !lines.isEmpty { header = lines.removeFirst() }
        let rows = lines.map { decode($0, csv: csv) }
        report.rows = rows.count
        report.firstSeq = rows.first??.seq
        report.lastSeq = rows.last??.seq

        // Blocks of row lines, compared with the signed ones: the first differing block holds the edit.
        var firstBadBlock: Int?
        let blockCount = (lines.count + AuditExportManifest.blockSize - 1) / AuditExportManifest.blockSize
        for b in 0..<max(blockCount, m.blocks.count) {
            let range = (b * AuditExportManifest.blockSize)..<min(lines.count, (b + 1) * AuditExportManifest.blockSize)
            var h = SHA256()
            for i in range { h.update(data: lines[i]) }
            let hex = range.isEmpty ? "" : ContentHash.hex(Array(h.finalize()))
            if b >= m.blocks.count || hex != m.blocks[b] { firstBadBlock = b; break }
        }
        if let b = firstBadBlock {
            let start = b * AuditExportManifest.blockSize
            let contiguous = m.firstSeq.flatMap { f in m.lastSeq.map { $0 - f + 1 == Int64(m.rows) } } ?? false
            let end = min(rows.count, start + AuditExportManifest.blockSize)
            let seq = locate(rows, from: start, to: end, contiguous: contiguous, signedLastHash: m.lastHash)
                ?? (start < rows.count ? rows[start]?.seq : nil) ?? ((m.lastSeq ?? 0) + 1)
            let what = b >= m.blocks.count ? "rows were added after the signed ones"
                : start >= rows.count ? "rows the manifest lists are missing at the end" : "the rows' bytes differ from the signed ones"
            report.damage.append(AuditDamage(kind: .editedExport, seq: seq, message: "block \(b + 1) (rows \(start + 1)…): \(what)"))
        } else {
            var whole = SHA256()
            whole.update(data: header)
            for l in lines { whole.update(data: l) }
            if ContentHash.hex(Array(whole.finalize())) != m.sha256 {
                report.damage.append(AuditDamage(kind: .editedExport, message: "the file's SHA-256 differs from the manifest's (its header was changed)"))
            }
        }
        if rows.count != m.rows || report.firstSeq != m.firstSeq || report.lastSeq != m.lastSeq {
            report.damage.append(AuditDamage(kind: .editedExport, seq: firstBadBlock == nil ? report.firstSeq : nil,
                message: "the file holds \(rows.count) rows (seq \(report.firstSeq.map(String.init) ?? "-")…\(report.lastSeq.map(String.init) ?? "-")); the manifest signed \(m.rows) (seq \(m.firstSeq.map(String.init) ?? "-")…\(m.lastSeq.map(String.init) ?? "-"))"))
        }
        return report
    }

    /// The first row of the block `start..<end` whose hash does not match its content, that does
    /// not link to the row before it, or (`contiguous` exports) that is not the next seq; else the
    /// block's last row when the row after it (or the signed last hash) says it was rehashed.
    static func locate(_ rows: [AuditRow?], from start: Int, to end: Int, contiguous: Bool, signedLastHash: String?) -> Int64? {
        guard start < end else { return nil }
        for i in start..<end {
            guard let r = rows[i] else { return i > 0 ? rows[i - 1].map { $0.seq + 1 } : nil }
            if i > 0, let p = rows[i - 1], contiguous, r.seq != p.seq + 1 { return p.seq + 1 }
            if AuditChain.hash(r, prevHash: r.prevHash) != r.hash { return r.seq }
            if i > 0, let p = rows[i - 1], p.seq + 1 == r.seq, r.prevHash != p.hash { return p.seq }
        }
        guard let last = rows[end - 1] else { return nil }
        if end < rows.count, let next = rows[end], next.seq == last.seq + 1, next.prevHash != last.hash { return last.seq }
        if end == rows.count, let signedLastHash, last.hash != signedLastHash { return last.seq }
        return nil
    }

    static func jsonlLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    /// RFC 4180 records (a quoted field may hold line breaks), each with its CRLF.
    static func csvRecords(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        var quoted = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && b == 0x0A {
                out.append(Array(bytes[start...i]))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    /// A row line back as the row (nil when it cannot be read).
    static func decode(_ line: [UInt8], csv: Bool) -> AuditRow? {
        let cells: [String?]
        if csv {
            cells = csvFields(line)
        } else {
            guard let v = try? JSONParser.parse(line), case .object(let o) = v else { return nil }
            cells = AuditRow.columnNames.map { name in
                switch o[name] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                case .number(let n)?: return name == "seq" ? n.text : JSONWriter.string(.number(n))
                case let other?: return JSONWriter.string(other)
                }
            }
        }
        guard cells.count == AuditRow.columnNames.count, let seqText = cells[0], let seq = Int64(seqText) else { return nil }
        return AuditRow(seq: seq, runID: cells[1] ?? "", time: cells[2] ?? "", actor: cells[3] ?? "", event: cells[4] ?? "",
                        recordID: cells[5], parentID: cells[6], input: cells[7], uri: cells[8], locator: cells[9], stage: cells[10],
                        reason: cells[11], details: cells[12], credentialFingerprint: cells[13], prevHash: cells[14] ?? "", hash: cells[15] ?? "")
    }

    /// One CSV record's fields; an empty unquoted field is NULL (as the export writes it).
    static func csvFields(_ line: [UInt8]) -> [String?] {
        var l = line
        while l.last == 0x0A || l.last == 0x0D { l.removeLast() }
        var fields: [String?] = []
        var cur: [UInt8] = []
        var quoted = false, wasQuoted = false
        var i = 0
        while i < l.count {
            let b = l[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < l.count && l[i + 1] == UInt8(ascii: "\"") { cur.append(b); i += 1 } else { quoted = false }
                } else { cur.append(b) }
            } else if b == UInt8(ascii: "\"") {
                quoted = true; wasQuoted = true
            } else if b == UInt8(ascii: ",") {
                fields.append(cur.isEmpty && !wasQuoted ? nil : String(decoding: cur, as: UTF8.self))
                cur = []; wasQuoted = false
            } else { cur.append(b) }
            i += 1
        }
        fields.append(cur.isEmpty && !wasQuoted ? nil : String(decoding: cur, as: UTF8.self))
        return fields
    }
}
