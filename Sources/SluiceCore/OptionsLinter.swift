public import Foundation

/// Checks a component's options against its descriptor and collects every problem at once:
/// unknown keys (with a did-you-mean), wrong types, values out of range, missing required
/// options, paths that do not exist, paths to be created below a file.
public struct OptionsLinter: Sendable {
    /// Resolves relative paths for `.path(mustExist: true)` checks.
    public var baseDirectory: URL
    /// Keys that every component accepts besides its own (`type`, `name`).
    public var commonKeys: Set<String>

    public init(baseDirectory: URL, commonKeys: Set<String> = ["type", "name"]) {
        self.baseDirectory = baseDirectory
        self.commonKeys = commonKeys
    }

    /// Lints `node` (a mapping) against `fields`. `label` names the component in messages:
    /// `stage 'chunk'`.
    public func lint(_ node: ConfigNode, fields: [FieldSpec], label: String) -> [ConfigDiagnostic] {
        guard let entries = node.entries else {
            return [.error("wrong_type", "\(label) must be a mapping of options, not \(node.kindName)", at: node)]
        }
        var out: [ConfigDiagnostic] = []
        var seen = Set<String>()
        for entry in entries {
            if !seen.insert(entry.key).inserted {
                out.append(ConfigDiagnostic(code: "duplicate_key", message: "option '\(entry.key)' is given twice in \(label)",
                                            location: entry.keyLocation, path: entry.value.path))
            }
            if commonKeys.contains(entry.key) { continue }
            guard let spec = fields.first(where: { $0.name == entry.key }) else {
                let names = fields.map(\.name)
                let hint = Suggestion.closest(to: entry.key, among: names).map { "did you mean '\($0)'?" }
                let known = names.isEmpty ? "it takes no options" : "known options: " + names.joined(separator: ", ")
                out.append(ConfigDiagnostic(code: "unknown_option", message: "unknown option '\(entry.key)' in \(label)",
                                            location: entry.keyLocation, path: entry.value.path, hint: hint ?? known))
                continue
            }
            out += check(entry.value, spec.type, name: entry.key, label: label)
        }
        for spec in fields where spec.required && (node[spec.name] == nil || node[spec.name]!.isNull) {
            out.append(.error("missing_option", "\(label) needs option '\(spec.name)' (\(spec.type.displayName)): \(spec.doc.firstSentence)",
                              at: node, path: node.path + "/" + spec.name))
        }
        return out
    }

    private func check(_ v: ConfigNode, _ type: FieldType, name: String, label: String) -> [ConfigDiagnostic] {
        if v.isNull { return [] }
        func bad(_ expected: String) -> [ConfigDiagnostic] {
            [.error("wrong_type", "option '\(name)' in \(label) must be \(expected), not \(v.kindName)", at: v)]
        }
        switch type {
        case .string:
            return v.scalar == nil ? bad("a string") : []
        case .integer(let lo, let hi):
            guard let s = v.scalar, let i = Int(s.replacingOccurrences(of: "_", with: "")) else { return bad("an integer") }
            if let lo, i < lo { return [.error("out_of_range", "option '\(name)' in \(label) must be at least \(lo), not \(i)", at: v)] }
            if let hi, i > hi { return [.error("out_of_range", "option '\(name)' in \(label) must be at most \(hi), not \(i)", at: v)] }
            return []
        case .number(let lo, let hi):
            guard let s = v.scalar, let d = Double(s) else { return bad("a number") }
            if let lo, d < lo { return [.error("out_of_range", "option '\(name)' in \(label) must be at least \(FieldType.format(lo)), not \(s)", at: v)] }
            if let hi, d > hi { return [.error("out_of_range", "option '\(name)' in \(label) must be at most \(FieldType.format(hi)), not \(s)", at: v)] }
            return []
        case .boolean:
            return (v.scalar == "true" || v.scalar == "false") ? [] : bad("true or false")
        case .pointer:
            guard let s = v.scalar else { return bad("a JSON Pointer such as /body") }
            if !s.isEmpty && !s.hasPrefix("/") {
                return [.error("invalid_pointer", "option '\(name)' in \(label) must be a JSON Pointer starting with '/', not '\(s)'",
                               at: v, hint: "did you mean '/\(s)'?")]
            }
            return []
        case .path(let mustExist):
            guard let s = v.scalar else { return bad("a path") }
            let url = s.hasPrefix("/") ? URL(fileURLWithPath: s) : baseDirectory.appendingPathComponent(s)
            if mustExist {
                if !FileManager.default.fileExists(atPath: url.path) {
                    return [.error("missing_file", "option '\(name)' in \(label) names '\(s)', which does not exist (looked in \(url.path))", at: v)]
                }
            } else if let blocker = Self.fileInTheWay(of: url) {
                return [.error("uncreatable_path", "option '\(name)' in \(label) names '\(s)', which cannot be created: \(blocker) is a file, not a folder", at: v)]
            }
            return []
        case .oneOf(let words):
            guard let s = v.scalar else { return bad("one of " + words.joined(separator: ", ")) }
            if words.contains(s) { return [] }
            let hint = Suggestion.closest(to: s, among: words).map { "did you mean '\($0)'?" }
            return [.error("invalid_value", "option '\(name)' in \(label) must be one of \(words.joined(separator: ", ")), not '\(s)'", at: v, hint: hint)]
        case .list(let inner):
            guard let items = v.items else { return bad("a list") }
            return items.flatMap { check($0, inner, name: name, label: label) }
        case .oneOrMany(let inner):
            if let items = v.items { return items.flatMap { check($0, inner, name: name, label: label) } }
            return check(v, inner, name: name, label: label)
        case .object(let sub):
            guard v.entries != nil else { return bad("a mapping") }
            return lint(v, fields: sub, label: "'\(name)' of \(label)")
        case .json:
            return []
        case .map(let inner):
            guard let entries = v.entries else { return bad("a mapping") }
            return entries.flatMap { check($0.value, inner, name: "\(name).\($0.key)", label: label) }
        }
    }
}

extension OptionsLinter {
    /// The nearest existing folder above `url` that is in fact not a folder (`/etc/passwd` for
    /// `/etc/passwd/kb.db`): nothing can be created below it. Nil when the path can be made.
    static func fileInTheWay(of url: URL) -> String? {
        var folder = url.standardizedFileURL.deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
                return isFolder.boolValue ? nil : folder.path
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}

extension String {
    /// The text up to the first full stop, for short messages.
    var firstSentence: String {
        if let r = range(of: ". ") { return String(self[..<r.lowerBound]) + "." }
        return self
    }
}

/// Did-you-mean suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `word`, when it is close enough to be a likely typo.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        let limit = max(1, min(3, max(word.count, c.count) / 3))
        return d <= limit ? c : nil
    }

    /// Damerau-Levenshtein (optimal string alignment) distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
