public import Yams

/// Composes YAML that may have been written to hurt: pipeline files and markdown front matter.
///
/// Yams composes recursively, follows aliases by sharing nodes, and hashes mapping keys; three
/// things a few hundred bytes of YAML can turn into a crash or an exponential hang. This loader
/// refuses them before or while they happen, each with the line and column to look at:
/// - nesting deeper than `Limits.maxNesting` (checked on the text, before Yams recurses; and
///   again while walking, because aliases can nest what they name),
/// - an alias inside a mapping key (Yams hashes whole keys, so an aliased key can cost 2^n),
/// - more than `Limits.maxExpansion` nodes and scalar bytes produced by following aliases (a
///   "billion laughs"): walkers call `Budget.enter(_:depth:)` for each node they visit.
public enum BudgetedYAML {
    public struct Limits: Sendable {
        /// Deepest nesting of mappings and sequences, counted on the text and after aliases.
        public var maxNesting: Int
        /// Nodes plus scalar bytes that following aliases may add beyond the text's own size.
        public var maxExpansion: Int

        public init(maxNesting: Int = 128, maxExpansion: Int = 1_000_000) {
            self.maxNesting = maxNesting
            self.maxExpansion = maxExpansion
        }
    }

    /// What stopped the YAML from being read, and where (1-based line and column).
    public struct Failure: Error, Sendable {
        public enum Kind: Sendable { case syntax, duplicateKey, tooDeep, aliasBudget, aliasInKey }
        public var kind: Kind
        public var message: String
        public var line: Int
        public var column: Int
    }

    /// The document's root node (nil for an empty document) after the checks on the text.
    public static func compose(_ text: String, limits: Limits = .init()) throws(Failure) -> Node? {
        try YAMLTextScan.check(text, limits: limits)
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw failure(for: error)
        } catch {
            throw Failure(kind: .syntax, message: "cannot read YAML: \(error)", line: 1, column: 1)
        }
    }

    /// Counts what a walk over the composed nodes produces; call `enter` once per node visited.
    public struct Budget: Sendable {
        public let limits: Limits
        /// Units left: nodes plus scalar bytes.
        private var left: Int

        public init(text: String, limits: Limits) {
            self.limits = limits
            left = text.utf8.count + limits.maxExpansion
        }

        public mutating func enter(_ node: Node, depth: Int) throws(Failure) {
            let mark = node.mark
            guard depth <= limits.maxNesting else {
                throw Failure(kind: .tooDeep, message: "the YAML nests deeper than \(limits.maxNesting) levels (counting what aliases name)",
                              line: mark?.line ?? 1, column: mark?.column ?? 1)
            }
            var cost = 1
            if case .scalar(let s) = node { cost += s.string.utf8.count }
            left -= cost
            guard left >= 0 else {
                throw Failure(kind: .aliasBudget,
                              message: "aliases expand the YAML beyond \(limits.maxExpansion) nodes and bytes more than its text holds (an alias bomb?); the node repeated is here",
                              line: mark?.line ?? 1, column: mark?.column ?? 1)
            }
        }
    }

    static func failure(for error: YamlError) -> Failure {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Failure(kind: .syntax, message: "YAML syntax: \(problem)", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Failure(kind: .duplicateKey, message: "key given twice: \(duplicates.joined(separator: ", "))",
                           line: context.mark.line, column: context.mark.column)
        default:
            return Failure(kind: .syntax, message: "cannot read YAML: \(error)", line: 1, column: 1)
        }
    }
}
