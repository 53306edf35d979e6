public import SluiceCore
public import Foundation
import Yams

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

    /// The document's root node, or the diagnostics that stop it from being read.
    public func parse() -> (root: ConfigNode?, diagnostics: [ConfigDiagnostic]) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [diagnostic(for: error)])
        } catch {
            return (nil, [ConfigDiagnostic(code: "yaml_syntax", message: "cannot read YAML: \(error)",
                                           location: SourceLocation(file: file, line: 1, column: 1), path: "")])
        }
        guard let node else {
            return (nil, [ConfigDiagnostic(code: "empty_document", message: "the pipeline file is empty",
                                           location: SourceLocation(file: file, line: 1, column: 1), path: "")])
        }
        var diagnostics: [ConfigDiagnostic] = []
        let root = convert(node, path: "", diagnostics: &diagnostics)
        return (root, diagnostics)
    }

    private func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    private func convert(_ node: Node, path: String, diagnostics: inout [ConfigDiagnostic]) -> ConfigNode {
        let loc = location(node.mark)
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            if !quoted, s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL" || s.string.isEmpty {
                return ConfigNode(.null, location: loc, path: path)
            }
            let text = interpolate(s.string, at: loc, path: path, diagnostics: &diagnostics)
            return ConfigNode(.scalar(text, quoted: quoted), location: loc, path: path)
        case .sequence(let seq):
            let items = seq.enumerated().map { convert($0.element, path: "\(path)/\($0.offset)", diagnostics: &diagnostics) }
            return ConfigNode(.sequence(items), location: loc, path: path)
        case .mapping(let map):
            var entries: [ConfigNode.Entry] = []
            for (k, v) in map {
                let key = k.string ?? String(describing: k)
                let childPath = path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                entries.append(ConfigNode.Entry(key: key, keyLocation: location(k.mark),
                                                value: convert(v, path: childPath, diagnostics: &diagnostics)))
            }
            return ConfigNode(.mapping(entries), location: loc, path: path)
        case .alias:
            return ConfigNode(.null, location: loc, path: path)
        }
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

    private func diagnostic(for error: YamlError) -> ConfigDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigDiagnostic(code: "yaml_syntax", message: "YAML syntax: \(problem)",
                                    location: location(mark), path: "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(code: "duplicate_key", message: "key given twice: \(duplicates.joined(separator: ", "))",
                                    location: location(context.mark), path: "")
        default:
            return ConfigDiagnostic(code: "yaml_syntax", message: "cannot read YAML: \(error)",
                                    location: SourceLocation(file: file, line: 1, column: 1), path: "")
        }
    }
}
