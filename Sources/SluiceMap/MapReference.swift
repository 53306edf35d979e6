/// The function reference of docs/mapping.md, generated from the function list so that the
/// documentation cannot drift from the code (a test compares them).
public enum MapReference {
    public static func functionsMarkdown() -> String {
        var out = "| function | returns | can fail | what it does | examples (on `{\"title\": \"Hello\", \"tags\": [\"news\", \"tech\"]}`) |\n"
        out += "|---|---|---|---|---|\n"
        for f in MapFunctions.all {
            let params = f.parameters.map { p in
                (p.optional ? p.name + "?" : p.name) + (p.isRegex ? ": regex" : "")
            }.joined(separator: ", ") + (f.variadic ? ", …" : "")
            let examples = f.examples.map { "`\($0.0.replacingOccurrences(of: "|", with: "\\|"))` → `\($0.1.replacingOccurrences(of: "|", with: "\\|"))`" }
                .joined(separator: "<br>")
            out += "| `\(f.name)(\(params))` | \(f.returns.name) | \(f.fallible ? "yes" : "no") | \(f.summary.replacingOccurrences(of: "|", with: "\\|")) | \(examples) |\n"
        }
        return out
    }

    /// The metadata names, for the reference.
    public static var metadataNames: [String] { MetaKey.allCases.map { "%" + $0.rawValue } }
}
