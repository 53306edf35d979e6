import SluiceJSON

/// Plain text: `{path, title, body}`, optionally with an e-mail-like header block as fields.
///
/// `title` is the first non-empty line (trimmed). With `header_fields: true`, a block of
/// `Key: value` lines at the very top (ended by a blank line; lines starting with a space or tab
/// continue the previous value) becomes fields: keys lower-cased with spaces and `-` turned into
/// `_` (`Content-Type` → `content_type`), a repeated key gives a list. The header block is then not
/// part of `body`, and a `title` or `subject` header is the title. Headers named `path` or `body`
/// are not copied (the document's own fields win). Nothing is a header block unless its first line
/// is a `Key: value` line.
enum TextDocument {
    static func convert(_ text: String, path: String, headerFields: Bool) -> JSONObject {
        var body = Substring(text)
        var headers: [(String, JSONValue)] = []
        if headerFields, let (parsed, rest) = parseHeaders(text) {
            headers = parsed
            body = rest
        }
        var object = JSONObject()
        object["path"] = .string(path)
        let headerTitle = headers.first { $0.0 == "title" }?.1 ?? headers.first { $0.0 == "subject" }?.1
        if let title = headerTitle?.stringValue ?? headerTitle?.arrayValue?.first?.stringValue {
            object["title"] = .string(title)
        } else if let first = body.split(whereSeparator: \.isNewline).first(where: { !String($0).trimmingSpaces().isEmpty }) {
            object["title"] = .string(String(first).trimmingSpaces())
        }
        for (key, value) in headers where key != "path" && key != "body" && object[key] == nil {
            object[key] = value
        }
        object["body"] = .string(String(body))
        return object
    }

    /// The header block and the text after it, or nil when the text does not start with one.
    static func parseHeaders(_ text: String) -> ([(String, JSONValue)], Substring)? {
        var fields: [(String, [String])] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let lineEnd = rest.firstIndex(of: "\n") ?? rest.endIndex
            var line = rest[..<lineEnd]
            if line.last == "\r" { line = line.dropLast() }
            let after = lineEnd < rest.endIndex ? rest.index(after: lineEnd) : rest.endIndex
            if line.isEmpty {
                rest = rest[after...]
                break
            }
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].1[fields[fields.count - 1].1.count - 1] += " " + String(line).trimmingSpaces()
            } else if let key = headerKey(line) {
                let value = line[line.index(after: key.colon)...]
                if let i = fields.firstIndex(where: { $0.0 == key.name }) {
                    fields[i].1.append(String(value).trimmingSpaces())
                } else {
                    fields.append((key.name, [String(value).trimmingSpaces()]))
                }
            } else {
                if fields.isEmpty { return nil }
                break
            }
            rest = rest[after...]
        }
        guard !fields.isEmpty else { return nil }
        return (fields.map { ($0.0, $0.1.count == 1 ? .string($0.1[0]) : .array($0.1.map { .string($0) })) }, rest)
    }

    private static func headerKey(_ line: Substring) -> (name: String, colon: Substring.Index)? {
        guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return nil }
        let key = line[..<colon]
        guard key.count <= 64, key.unicodeScalars.allSatisfy({
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == " ") && $0.isASCII
        }), key.first != " " else { return nil }
        let name = String(key.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
        return (name, colon)
    }
}
