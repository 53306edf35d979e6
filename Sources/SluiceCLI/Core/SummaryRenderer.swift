import Foundation
import SluiceCore

/// The run summary as people read it on stdout.
enum SummaryRenderer {
    static func render(_ s: RunSummary) -> String {
        let l = s.ledger
        var out = "run \(s.runID) of \(s.pipeline): \(s.status) in \(String(format: "%.2f", s.durationSeconds)) s\n"
        if let r = s.resumedAfter { out += "  resumed after interrupted run \(r)\n" }
        if l.received == 0 {
            out += "  0 new records: nothing changed in the inputs since the last run\n"
        }
        var law = "  ledger: received \(l.received)"
        if l.derived > 0 { law += " + derived \(l.derived)" }
        law += " = written \(l.written) + quarantined \(l.quarantined) + dropped \(l.dropped) + deferred \(l.deferred)"
        if l.forked > 0 { law += " + forked \(l.forked)" }
        law += s.balanced ? "  (balanced)" : "  (NOT BALANCED)"
        out += law + "\n"
        if l.deferredPages > 0 {
            out += "  deferred: \(l.deferredPages) page\(l.deferredPages == 1 ? "" : "s") not read this run (not records); the next run starts there\n"
        }
        for name in s.inputs.keys.sorted() {
            let i = s.inputs[name]!
            var line = "  input \(name): \(i.received) received"
            if i.quarantined > 0 { line += " (\(i.quarantined) quarantined while reading)" }
            for (code, n) in i.notices.sorted(by: { $0.key < $1.key }) { line += ", \(NoticeWords.phrase(code, n))" }
            out += line + "\n"
        }
        for name in s.stageOrder {
            guard let st = s.stages[name] else { continue }
            var parts = ["\(st.seen) seen"]
            if st.changed > 0 { parts.append("\(st.changed) changed") }
            if st.emitted > 0 { parts.append("\(st.emitted) emitted") }
            if st.dropped > 0 { parts.append("\(st.dropped) dropped") }
            if st.quarantined > 0 { parts.append("\(st.quarantined) quarantined") }
            out += "  stage \(name == st.type ? name : "\(name) (\(st.type))"): " + parts.joined(separator: ", ") + "\n"
        }
        for name in s.outputs.keys.sorted() {
            let o = s.outputs[name]!
            out += "  output \(name == o.type ? name : "\(name) (\(o.type))"): \(o.written) written to \(o.destination)\n"
        }
        if l.quarantined > 0 {
            let reasons = s.quarantineReasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "  quarantined \(l.quarantined) to \(s.quarantinePath ?? "(dry run)"): \(reasons)\n"
        }
        if !s.dropReasons.isEmpty {
            out += "  dropped: " + s.dropReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        for p in s.problems { out += "  problem: \(p)\n" }
        return out
    }
}

/// Notice codes in words: `skipped_unchanged` 3 → `3 unchanged files skipped`.
enum NoticeWords {
    static func phrase(_ code: String, _ n: Int) -> String {
        switch code {
        case "skipped_unchanged": return "\(n) unchanged file\(n == 1 ? "" : "s") skipped"
        case "legacy_charset_files": return "\(n) file\(n == 1 ? "" : "s") decoded from a legacy charset"
        default: return "\(code.replacingOccurrences(of: "_", with: " ")) \(n)"
        }
    }
}
