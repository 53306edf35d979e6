public import SluiceCore
public import Foundation
import Yams
import SluiceYAML

/// Reads YAML text into located `ConfigNode`s, interpolating `${VAR}` and `${VAR:-default}`
/// from the environment. Every problem becomes a diagnostic with file, line and column.
public struct YAMLDocument: Sendable {
    public var file: String
    public var text: String
    public var environment: [String: String]

    public init(file: String, text: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.file = file
        self.text = text
        self.environment = environment
    }

    /// Nesting and alias-expansion bounds for pipeline files (see `BudgetedYAML`).
    static let limits = BudgetedYAML.Limits(maxNesting: 64, maxExpansion: 1_000_000)

    /// The document's root node, or the diagnostics that stop it from being read.
    public func parse() -> (root: ConfigNode?, diagnostics: [ConfigDiagnostic]) {
        let node: Node?
        do {
            node = try BudgetedYAML.compose(text, limits: Self.limits)
        } catch {
            return (nil, [diagnostic(for: error)])
        }
        guard let node else {
            return (nil, [ConfigDiagnostic(code: "empty_document", message: "the pipeline file is empty",
                                           location: SourceLocation(file: file, line: 1, column: 1), path: "")])
        }
        var diagnostics: [ConfigDiagnostic] = []
        var budget = BudgetedYAML.Budget(text: text, limits: Self.limits)
        do {
            let root = try convert(node, path: "", depth: 0, budget: &budget, diagnostics: &diagnostics)
            return (root, diagnostics)
        } catch {
            return (nil, [diagnostic(for: error)])
        }
    }

    private func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    private func convert(_ node: Node, path: String, depth: Int, budget: inout BudgetedYAML.Budget,
                         diagnostics: inout [ConfigDiagnostic]) throws(BudgetedYAML.Failure) -> ConfigNode {
        try budget.enter(node, depth: depth)
        let loc = location(node.mark)
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            if !quoted, s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL" || s.string.isEmpty {
                return ConfigNode(.null, location: loc, path: path)
            }
            let text = interpolate(s.string, at: loc, path: path, diagnostics: &diagnostics)
            var scalar = ConfigNode(.scalar(text, quoted: quoted), location: loc, path: path)
            if s.style == .literal || s.style == .folded, let line = loc?.line { scalar.blockColumn = blockColumn(after: line) }
            return scalar
        case .sequence(let seq):
            var items: [ConfigNode] = []
            for (offset, element) in seq.enumerated() {
                items.append(try convert(element, path: "\(path)/\(offset)", depth: depth + 1, budget: &budget, diagnostics: &diagnostics))
            }
            return ConfigNode(.sequence(items), location: loc, path: path)
        case .mapping(let map):
            var entries: [ConfigNode.Entry] = []
            for (k, v) in map {
                let key = k.string ?? String(describing: k)
                let childPath = path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                entries.append(ConfigNode.Entry(key: key, keyLocation: location(k.mark),
                                                value: try convert(v, path: childPath, depth: depth + 1, budget: &budget, diagnostics: &diagnostics)))
            }
            return ConfigNode(.mapping(entries), location: loc, path: path)
        case .alias:
            return ConfigNode(.null, location: loc, path: path)
        }
    }

    /// The column where the content of a block scalar whose indicator is on `line` begins: the
    /// indentation of its first non-blank line, plus one.
    private func blockColumn(after line: Int) -> Int? {
        var current = 1
        var index = text.startIndex
        while current <= line, let newline = text[index...].firstIndex(of: "\n") {
            index = text.index(after: newline)
            current += 1
        }
        guard current > line else { return nil }
        for row in text[index...].split(separator: "\n", omittingEmptySubsequences: false) {
            let spaces = row.prefix { $0 == " " }.count
            if spaces < row.count { return spaces + 1 }
        }
        return nil
    }

    /// Replaces `${NAME}` and `${NAME:-default}`; `$${` writes a literal `${`.
    private func interpolate(_ s: String, at loc: SourceLocation?, path: String, diagnostics: inout [ConfigDiagnostic]) -> String {
        guard s.contains("${") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "${") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "${"
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else {
                diagnostics.append(ConfigDiagnostic(code: "bad_interpolation", message: "'${' without a closing '}'",
                                                    location: loc, path: path))
                return s
            }
            let expr = String(rest[r.upperBound..<close])
            let (name, fallback): (String, String?) = {
                if let d = expr.range(of: ":-") { return (String(expr[..<d.lowerBound]), String(expr[d.upperBound...])) }
                return (expr, nil)
            }()
            if let value = environment[name] {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                diagnostics.append(ConfigDiagnostic(
                    code: "unset_variable", message: "environment variable '\(name)' is not set",
                    location: loc, path: path, hint: "export \(name)=... before the run, or write ${\(name):-default}"))
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private func diagnostic(for failure: BudgetedYAML.Failure) -> ConfigDiagnostic {
        let code: String
        switch failure.kind {
        case .syntax: code = "yaml_syntax"
        case .duplicateKey: code = "duplicate_key"
        case .tooDeep: code = "yaml_too_deep"
        case .aliasBudget: code = "yaml_alias_budget"
        case .aliasInKey: code = "yaml_alias_in_key"
        }
        return ConfigDiagnostic(code: code, message: failure.message,
                                location: SourceLocation(file: file, line: failure.line, column: failure.column), path: "")
    }
}
