import SluiceCore

/// Renders configuration diagnostics as compilers do:
///
///     pipelines/x.yaml:14:7: error: unknown option 'max_tokes' in stage 'chunk' (did you mean 'max_tokens'?)
///        14 |     max_tokes: 512
///           |     ^~~~~~~~~
enum DiagnosticRenderer {
    static func render(_ diagnostics: [ConfigDiagnostic], source: String?, fallbackFile: String) -> String {
        let lines = source.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        let sorted = diagnostics.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            if la?.line != lb?.line { return (la?.line ?? 0) < (lb?.line ?? 0) }
            if la?.column != lb?.column { return (la?.column ?? 0) < (lb?.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
        var out = ""
        for d in sorted {
            let place = d.location.map(\.description) ?? fallbackFile
            out += "\(place): \(d.severity.rawValue): \(clip(d.message, limit: maxMessage))"
            if let hint = d.hint { out += " (\(clip(hint, limit: maxMessage)))" }
            out += "\n"
            if let loc = d.location, loc.line >= 1, loc.line <= lines.count {
                let (text, column) = window(lines[loc.line - 1], column: loc.column)
                let number = String(loc.line)
                let gutter = String(repeating: " ", count: number.count)
                out += " \(number) | \(text)\n"
                let col = max(1, min(column, text.count + 1))
                let rest = text.dropFirst(col - 1)
                let tokenLength = max(1, rest.prefix { !$0.isWhitespace && $0 != ":" && $0 != "," && $0 != "]" }.count)
                out += " \(gutter) | " + String(repeating: " ", count: col - 1) + "^" + String(repeating: "~", count: tokenLength - 1) + "\n"
            }
        }
        return out
    }

    /// Messages and hints longer than this are cut (a key or value can be a whole huge line).
    static let maxMessage = 400
    /// Source lines are shown at most this wide, around the column the diagnostic points at.
    static let maxSnippet = 120

    static func clip(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
    }

    /// The part of a source line to show, and the column within it: long lines (a 200 KB YAML
    /// line) are cut to `maxSnippet` characters around `column`, marked with `…` where cut.
    static func window(_ line: String, column: Int) -> (text: String, column: Int) {
        guard line.count > maxSnippet else { return (line, column) }
        let col = max(1, min(column, line.count + 1))
        let start = max(0, min(col - 1 - maxSnippet / 3, line.count - maxSnippet))
        let from = line.index(line.startIndex, offsetBy: start)
        let to = line.index(from, offsetBy: maxSnippet, limitedBy: line.endIndex) ?? line.endIndex
        let head = start > 0 ? "…" : ""
        let tail = to < line.endIndex ? "…" : ""
        return (head + String(line[from..<to]) + tail, col - start + head.count)
    }
}
