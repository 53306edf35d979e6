import SluiceCore
import SluiceJSON
import Yams

/// YAML front matter (`---` ... `---` at the top of a markdown file) as JSON.
///
/// Scalars keep YAML's types (integers and floats become numbers with their written text where it
/// is valid JSON, `true`/`false` booleans, `null`/`~` null, dates stay strings). Aliases are
/// followed, but the conversion stops after `maxNodes` values so that an alias bomb cannot blow
/// up; nesting is bounded by `maxDepth`.
enum FrontMatter {
    static let maxNodes = 100_000

    /// Splits `text` into front matter (YAML text, with the line where it starts) and the rest.
    /// Nil when the file has no front matter or it is never closed (then `---` was a rule).
    static func split(_ text: String) -> (yaml: Substring, body: Substring)? {
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return nil }
        let afterOpen = text.index(text.startIndex, offsetBy: text.hasPrefix("---\n") ? 4 : 5)
        var lineStart = afterOpen
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            var line = text[lineStart..<lineEnd]
            if line.last == "\r" { line = line.dropLast() }
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            if line == "---" || line == "..." {
                return (text[afterOpen..<lineStart], text[next...])
            }
            lineStart = next
        }
        return nil
    }

    /// Front matter nests a few levels; the YAML library composes recursively, so deeper input is
    /// refused before it runs (its stack would otherwise be at the mercy of the file).
    static let maxNesting = 64

    /// Parses front matter YAML into an object.
    static func parse(_ yaml: Substring, maxDepth: Int) -> Result<JSONObject, DocumentFailure> {
        let limit = min(maxDepth, maxNesting)
        if let line = firstLineNestedDeeper(than: limit, in: yaml) {
            return .failure(DocumentFailure(code: .tooDeep, message: "the front matter nests deeper than \(limit) levels (line \(line) after the opening '---')"))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(yaml))
        } catch {
            return .failure(DocumentFailure(code: .malformed, message: "the front matter is not valid YAML (lines counted from the line after the opening '---'): \(error)"))
        }
        guard let node else { return .success(JSONObject()) }
        guard case .mapping = node else {
            return .failure(DocumentFailure(code: .malformed, message: "the front matter must be a mapping of fields, not a \(kind(node))"))
        }
        var budget = maxNodes
        do {
            let value = try convert(node, depth: 0, maxDepth: maxDepth, budget: &budget)
            return .success(value.objectValue ?? JSONObject())
        } catch {
            return .failure(error)
        }
    }

    /// An upper bound of YAML nesting, line by line: open indentation levels, `- ` entries that
    /// start a line, and `[`/`{` still open (outside quotes). Returns the first line over `limit`.
    static func firstLineNestedDeeper(than limit: Int, in yaml: Substring) -> Int? {
        var indents: [Int] = []
        var flow = 0
        var lineNumber = 0
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if flow == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var dashes = 0
            var rest = content
            while rest.hasPrefix("- ") || rest == "-" {
                dashes += 1
                rest = rest.dropFirst(2).drop { $0 == " " }
            }
            var quote: Character?
            var peak = flow
            for ch in rest {
                if let q = quote {
                    if ch == q { quote = nil }
                } else if ch == "\"" || ch == "'" {
                    quote = ch
                } else if ch == "[" || ch == "{" {
                    flow += 1
                    peak = max(peak, flow)
                } else if ch == "]" || ch == "}" {
                    flow = max(0, flow - 1)
                } else if ch == "#" {
                    break
                }
            }
            if indents.count + dashes + peak > limit { return lineNumber }
        }
        return nil
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .alias: return "alias"
        }
    }

    private static func convert(_ node: Node, depth: Int, maxDepth: Int, budget: inout Int) throws(DocumentFailure) -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw DocumentFailure(code: .tooLarge, message: "the front matter expands to more than \(maxNodes) values (an alias bomb?)")
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
