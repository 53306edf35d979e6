/// Checks on YAML text made before Yams composes it (Yams recurses once per nesting level and
/// hashes whole mapping keys, so both must be bounded before it starts).
///
/// The scan is line by line and deliberately conservative: it over-counts rather than misses.
/// Nesting is open indentation levels + `- ` entries that start the line + open `[`/`{` outside
/// quotes and comments; the content of block scalars (`|`, `>`) is skipped. An alias (`*name`)
/// before a `: ` on the same line, or any explicit `? ` key in a document that uses aliases, is an
/// alias inside a key.
enum YAMLTextScan {
    static func check(_ text: String, limits: BudgetedYAML.Limits) throws(BudgetedYAML.Failure) {
        var indents: [Int] = []
        var flow = 0
        var lineNumber = 0
        var blockScalarIndent: Int?  // lines indented deeper than this are a block scalar's text
        var explicitKey: (line: Int, column: Int)?
        var sawAlias = false
        for line in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            let blank = content.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
            if let scalarIndent = blockScalarIndent {
                if blank || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if blank || content.first == "#" { continue }
            if flow == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var dashes = 0
            var rest = Substring.UnicodeScalarView(content)
            while rest.first == "-", rest.dropFirst().first.map({ $0 == " " }) ?? true {
                dashes += 1
                rest = rest.dropFirst().drop { $0 == " " }
            }
            if rest.first == "?", rest.dropFirst().first.map({ $0 == " " }) ?? true, explicitKey == nil {
                explicitKey = (lineNumber, indent + 1)
            }
            var quote: Unicode.Scalar?
            var peak = flow
            var previous: Unicode.Scalar = " "
            var aliasColumn: Int?
            var lastSignificant: Unicode.Scalar?
            var column = line.count - rest.count
            var iterator = rest.makeIterator()
            var current = iterator.next()
            while let ch = current {
                column += 1
                let next = iterator.next()
                defer { previous = ch; current = next }
                if let q = quote {
                    if ch == q { quote = nil }
                    continue
                }
                switch ch {
                case "\"", "'":
                    if " [{,:".unicodeScalars.contains(previous) { quote = ch }
                case "[", "{":
                    flow += 1
                    peak = max(peak, flow)
                case "]", "}":
                    flow = max(0, flow - 1)
                case "#" where previous == " " || previous == "\t":
                    current = nil  // a comment: the rest of the line is not YAML
                    continue
                case "*" where " \t[{,".unicodeScalars.contains(previous) && next.map({ !" \t,[]{}".unicodeScalars.contains($0) }) ?? false:
                    sawAlias = true
                    if aliasColumn == nil { aliasColumn = column }
                case ":" where next.map({ " \t,]}\r".unicodeScalars.contains($0) }) ?? true:
                    if let at = aliasColumn {
                        throw BudgetedYAML.Failure(kind: .aliasInKey, message: "an alias (*name) inside a mapping key is not accepted (keys are compared whole, so an aliased key can cost exponential time)",
                                                   line: lineNumber, column: at)
                    }
                default:
                    break
                }
                if ch != " " && ch != "\t" && ch != "\r" { lastSignificant = ch }
            }
            if indents.count + dashes + peak > limits.maxNesting {
                throw BudgetedYAML.Failure(kind: .tooDeep, message: "the YAML nests deeper than \(limits.maxNesting) levels",
                                           line: lineNumber, column: indent + 1)
            }
            if quote == nil, flow == 0, lastSignificant == "|" || lastSignificant == ">" || lastSignificant.map({ "-+123456789".unicodeScalars.contains($0) }) == true, isBlockScalarHeader(rest) {
                blockScalarIndent = indent
            }
        }
        if sawAlias, let key = explicitKey {
            throw BudgetedYAML.Failure(kind: .aliasInKey, message: "explicit '? ' keys are not accepted in YAML that uses aliases (keys are compared whole, so an aliased key can cost exponential time)",
                                       line: key.line, column: key.column)
        }
    }

    /// `key: |-`, `- >2`, `|`: the line ends in a block scalar indicator.
    private static func isBlockScalarHeader(_ rest: Substring.UnicodeScalarView) -> Bool {
        var tail = rest
        while let last = tail.last, last == " " || last == "\t" || last == "\r" { tail = tail.dropLast() }
        var indicators = 0
        while let last = tail.last, last == "-" || last == "+" || ("1"..."9").contains(last), indicators < 2 {
            tail = tail.dropLast()
            indicators += 1
        }
        guard let mark = tail.last, mark == "|" || mark == ">" else { return false }
        let before = tail.dropLast().last
        return before == nil || before == " " || before == "\t"
    }
}
