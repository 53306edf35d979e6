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
            out += "\(place): \(d.severity.rawValue): \(d.message)"
            if let hint = d.hint { out += " (\(hint))" }
            out += "\n"
            if let loc = d.location, loc.line >= 1, loc.line <= lines.count {
                let text = lines[loc.line - 1]
                let number = String(loc.line)
                let gutter = String(repeating: " ", count: number.count)
                out += " \(number) | \(text)\n"
                let col = max(1, min(loc.column, text.count + 1))
                let rest = text.dropFirst(col - 1)
                let tokenLength = max(1, rest.prefix { !$0.isWhitespace && $0 != ":" && $0 != "," && $0 != "]" }.count)
                out += " \(gutter) | " + String(repeating: " ", count: col - 1) + "^" + String(repeating: "~", count: tokenLength - 1) + "\n"
            }
        }
        return out
    }
}
