import SluiceCore
import SluiceJSON
import SluiceYAML
import Yams

/// YAML front matter (`---` ... `---` at the top of a markdown file) as JSON.
///
/// Scalars keep YAML's types (integers and floats become numbers with their written text where it
/// is valid JSON, `true`/`false` booleans, `null`/`~` null, dates stay strings). Aliases are
/// followed, but the conversion stops after `maxNodes` nodes and scalar bytes beyond the text's
/// own size so that an alias bomb cannot blow up; nesting is bounded by `maxDepth`.
enum FrontMatter {
    static let maxNodes = 100_000

    /// Splits `text` into front matter (YAML text, with the line where it starts) and the rest.
    /// Nil when the file has no front matter or it is never closed (then `---` was a rule).
    /// The fences are `---` lines (the closing one may be `...`), ended by `\n`, `\r\n` or a lone
    /// `\r`; a byte order mark before the opening fence is skipped.
    static func split(_ text: String) -> (yaml: Substring, body: Substring)? {
        var all = Substring(text)
        if all.unicodeScalars.first == "\u{FEFF}" { all = all.dropFirst() }
        guard all.hasPrefix("---"), let (open, afterOpen) = all.splitFirstLine(), open == "---" else { return nil }
        var rest = afterOpen
        while let (line, after) = rest.splitFirstLine() {
            if line == "---" || line == "..." {
                return (afterOpen[afterOpen.startIndex..<rest.startIndex], after)
            }
            rest = after
        }
        return nil
    }

    /// Front matter nests a few levels; the YAML library composes recursively, so deeper input is
    /// refused before it runs (its stack would otherwise be at the mercy of the file).
    static let maxNesting = 64

    /// Parses front matter YAML into an object, through the loader pipeline files use too
    /// (`BudgetedYAML`: nesting checked before Yams runs, aliases counted while converting).
    static func parse(_ yaml: Substring, maxDepth: Int) -> Result<JSONObject, DocumentFailure> {
        // CRLF and lone CR become LF (same line numbers), so every scan sees the lines.
        let text = yaml.withLFLineBreaks()
        let limits = BudgetedYAML.Limits(maxNesting: min(maxDepth, maxNesting), maxExpansion: maxNodes)
        let node: Node?
        do {
            node = try BudgetedYAML.compose(text, limits: limits)
        } catch {
            return .failure(failure(error))
        }
        guard let node else { return .success(JSONObject()) }
        guard case .mapping = node else {
            return .failure(DocumentFailure(code: .malformed, message: "the front matter must be a mapping of fields, not a \(kind(node))"))
        }
        var budget = BudgetedYAML.Budget(text: text, limits: limits)
        do {
            let value = try convert(node, depth: 0, maxDepth: maxDepth, budget: &budget)
            return .success(value.objectValue ?? JSONObject())
        } catch {
            return .failure(error)
        }
    }

    /// A loader failure as a document failure; lines are counted from the line after the opening `---`.
    private static func failure(_ error: BudgetedYAML.Failure) -> DocumentFailure {
        let place = "(line \(error.line), column \(error.column) after the opening '---')"
        switch error.kind {
        case .tooDeep: return DocumentFailure(code: .tooDeep, message: "the front matter nests too deep: \(error.message) \(place)")
        case .aliasBudget: return DocumentFailure(code: .tooLarge, message: "the front matter: \(error.message) \(place)")
        case .syntax, .duplicateKey, .aliasInKey:
            return DocumentFailure(code: .malformed, message: "the front matter is not valid YAML: \(error.message) \(place)")
        }
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .alias: return "alias"
        }
    }

    private static func convert(_ node: Node, depth: Int, maxDepth: Int, budget: inout BudgetedYAML.Budget) throws(DocumentFailure) -> JSONValue {
        do {
            try budget.enter(node, depth: depth)
        } catch {
            throw failure(error)
        }
        guard depth < maxDepth else {
            throw DocumentFailure(code: .tooDeep, message: "the front matter nests deeper than max_depth (\(maxDepth))")
        }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar, node: node)
        case .sequence(let seq):
            var items: [JSONValue] = []
            for child in seq { items.append(try convert(child, depth: depth + 1, maxDepth: maxDepth, budget: &budget)) }
            return .array(items)
        case .mapping(let map):
            var object = JSONObject()
            for (key, value) in map {
                let name = key.string ?? String(describing: key)
                object[name] = try convert(value, depth: depth + 1, maxDepth: maxDepth, budget: &budget)
            }
            return .object(object)
        case .alias:
            throw DocumentFailure(code: .malformed, message: "the front matter uses an alias that could not be resolved")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, node: Node) -> JSONValue {
        let text = scalar.string
        switch node.tag.description {
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue:
            return node.bool.map(JSONValue.bool) ?? .string(text)
        case Tag.Name.int.rawValue:
            if let n = JSONNumber(text: text) { return .number(n) }
            return node.int.map { .number(JSONNumber($0)) } ?? .string(text)
        case Tag.Name.float.rawValue:
            if let n = JSONNumber(text: text) { return .number(n) }
            if let d = node.float, d.isFinite { return .number(JSONNumber(d)) }
            return .string(text)
        default:
            return .string(text)
        }
    }
}
