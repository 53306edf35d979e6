import Foundation
import SluiceJSON
import SluiceCore
import SluiceStore

/// Renders audit rows, traces, stats and verify reports as text, JSONL or CSV.
enum AuditOutput {
    enum Format: String { case table, jsonl, csv }

    /// Streams matching rows to stdout.
    static func rows(_ reader: AuditReader, filter: AuditFilter, format: Format) throws {
        let out = BufferedStdout()
        defer { out.flush() }
        switch format {
        case .jsonl:
            try reader.rows(filter) { out.write(JSONWriter.string($0.json) + "\n") }
        case .csv:
            out.write(AuditRow.columnNames.joined(separator: ",") + "\r\n")
            try reader.rows(filter) { row in out.write(row.texts.map { csvField($0) }.joined(separator: ",") + "\r\n") }
        case .table:
            out.write(pad(["seq", "time", "event", "record", "stage", "reason", "uri"]) + "\n")
            var n = 0
            try reader.rows(filter) { r in
                n += 1
                out.write(pad([String(r.seq), r.time, r.event, r.recordID ?? "", r.stage ?? "", r.reason ?? "", r.uri ?? ""]) + "\n")
            }
            out.write("\(n) event\(n == 1 ? "" : "s")\n")
        }
    }

    static let widths = [8, 24, 14, 24, 16, 18, 0]

    static func pad(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, w in
            w == 0 || cell.count >= w ? cell + " " : cell + String(repeating: " ", count: w - cell.count)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break; NULL is an empty field and an
    /// empty string is `""` (so an export reads back exactly, for `verify-export`).
    static func csvField(_ v: String?) -> String {
        guard let v else { return "" }
        if v.isEmpty { return "\"\"" }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func traceText(_ t: AuditTrace) -> String {
        var s = ""
        if let src = t.source {
            s += "source: \(src.uri ?? "?")"
            if let l = src.locator { s += " at \(l)" }
            s += "\n  input \(src.input ?? "?"), read in run \(src.runID) at \(src.time) by \(src.actor)\n"
            if let d = src.details, let v = try? JSONParser.parse(d), let h = v["sha256"]?.stringValue, !h.isEmpty {
                s += "  bytes sha256 \(h)\n"
            }
            if let fp = src.credentialFingerprint { s += "  credential fingerprint \(fp)\n" }
        }
        if !t.upstream.isEmpty {
            s += "upstream calls for this URI:\n"
            for e in t.upstream {
                s += "  seq \(e.seq) \(e.time) \(e.event)" + (e.credentialFingerprint.map { " credential \($0)" } ?? "")
                    + (e.reason.map { " \($0)" } ?? "") + "\n"
            }
        }
        for (i, step) in t.lineage.enumerated() {
            s += (i == 0 ? "record " : "derived record ") + step.recordID + "\n"
            for e in step.events {
                var line = "  seq \(e.seq) \(e.time) \(e.event)"
                if let st = e.stage { line += " [\(st)]" }
                if let r = e.reason { line += " \(r)" }
                if let d = e.details, e.event != AuditEventKind.received.wireName { line += " " + d }
                s += line + "\n"
            }
        }
        if !t.children.isEmpty {
            s += "derived records (\(t.children.count)\(t.childrenTruncated ? "+" : "")): " + t.children.prefix(20).joined(separator: ", ")
                + (t.children.count > 20 ? ", ..." : "") + "\n"
        }
        return s
    }

    static func traceJSON(_ t: AuditTrace) -> String {
        var o = JSONObject()
        o["source"] = t.source?.json ?? .null
        o["upstream"] = .array(t.upstream.map(\.json))
        o["lineage"] = .array(t.lineage.map { step in
            ["record_id": .string(step.recordID), "events": .array(step.events.map(\.json))]
        })
        o["children"] = .array(t.children.map { .string($0) })
        return JSONWriter.string(.object(o)) + "\n"
    }

    static func statsText(_ st: AuditStats) -> String {
        var s = "events per run:\n"
        var lastRun = ""
        for (run, event, n) in st.perRun {
            if run != lastRun { s += "  \(run)\n"; lastRun = run }
            s += "    \(event.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)\n"
        }
        s += "events per reason:\n"
        for (event, reason, n) in st.perReason {
            s += "  \(event.padding(toLength: 14, withPad: " ", startingAt: 0)) \(reason.padding(toLength: 24, withPad: " ", startingAt: 0)) \(n)\n"
        }
        return s
    }

    static func verifyText(_ r: AuditVerifyReport, seconds: Double) -> String {
        let rate = seconds > 0 ? Int(Double(r.rows) / seconds) : 0
        var s = "checked \(r.rows) rows (seq \(r.archivedRowsChecked > 0 ? 1 : r.firstSeq)…\(r.lastSeq)) and \(r.digests) digest\(r.digests == 1 ? "" : "s") in \(String(format: "%.2f", seconds)) s (\(rate) rows/s)\n"
        s += "\(r.seals) seal\(r.seals == 1 ? "" : "s")" + (r.keyID.map { ", signatures checked against key \($0)" } ?? "")
            + (r.headsChecked > 0 ? ", \(r.headsChecked) expected head\(r.headsChecked == 1 ? "" : "s")" : "") + "\n"
        if r.archives > 0 {
            s += "the log continues from \(r.archives) archive\(r.archives == 1 ? "" : "s") (seqs 1…\(r.firstSeq - 1))"
                + (r.archivedRowsChecked > 0 ? ": \(r.archivedRowsChecked) archived rows checked\n" : "; give them with --archive to check their rows too\n")
        }
        if !r.sealsPresent && r.rows > 0 { s += "this log predates seals (it is sealed by the next run that writes to it)\n" }
        if let l = r.legacySealSeq { s += "seqs 1…\(l) were written before seals and signatures: the format-1 (HMAC) digests cover them\n" }
        if r.headsInArchives > 0 { s += "\(r.headsInArchives) expected head(s) fall in archived rows: give --archive to check their hashes\n" }
        if r.hmacDigestsUnchecked > 0 { s += "\(r.hmacDigestsUnchecked) format-1 (HMAC) digest(s) NOT checked: that needs the secret key\n" }
        if r.unsignedTail > 0 { s += "\(r.unsignedTail) row(s) after the last digest: a run in progress or interrupted (the seals cover them; the next run's digest too)\n" }
        if r.isClean && !r.signaturesChecked && (r.digests > 0 || r.seals > 0) {
            s += "the chain, seals and digests' ranges check out; their signatures were NOT checked\n"
        } else if r.isClean {
            s += "intact: the chain, every seal and every digest check out\n"
        } else {
            s += "TAMPERED" + (r.firstBadSeq.map { ": first bad seq \($0)" } ?? "") + "\n"
            for d in r.damage { s += "  \(d)\n" }
        }
        return s
    }
}

/// Stdout in 64 KiB writes (print() per row is slow for exports of millions of rows).
final class BufferedStdout {
    private var buffer: [UInt8] = []
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }
    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
