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
///
/// Lines end at `\n`, `\r\n` or a lone `\r`. `body` is the text after the header block without
/// the file's one final line break (so a `.txt` file and the same text in JSON give the same body).
/// Header parsing is one pass over the block: 200,000 header lines take well under a second.
enum TextDocument {
    static func convert(_ text: String, path: String, headerFields: Bool) -> JSONObject {
        var body = Substring(text)
        var headers: [(String, JSONValue)] = []
        if headerFields, let (parsed, rest) = parseHeaders(text) {
            headers = parsed
            body = rest
        }
        body = body.droppingFinalLineBreak()
        var object = JSONObject()
        object["path"] = .string(path)
        let headerTitle = headers.first { $0.0 == "title" }?.1 ?? headers.first { $0.0 == "subject" }?.1
        if let title = headerTitle?.stringValue ?? headerTitle?.arrayValue?.first?.stringValue {
            object["title"] = .string(title)
        } else if let first = firstNonBlankLine(body) {
            object["title"] = .string(first)
        }
        for (key, value) in headers where key != "path" && key != "body" && object[key] == nil {
            object[key] = value
        }
        object["body"] = .string(String(body))
        return object
    }

    private static func firstNonBlankLine(_ text: Substring) -> String? {
        var rest = text
        while let (line, after) = rest.splitFirstLine() {
            let trimmed = String(line).trimmingSpaces()
            if !trimmed.isEmpty { return trimmed }
            rest = after
        }
        return nil
    }

    /// The header block and the text after it, or nil when the text does not start with one.
    static func parseHeaders(_ text: String) -> ([(String, JSONValue)], Substring)? {
        var fields: [(String, [String])] = []
        var position: [String: Int] = [:]
        var rest = Substring(text)
        while let (line, after) = rest.splitFirstLine() {
            if line.isEmpty {
                rest = after
                break
            }
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].1[fields[fields.count - 1].1.count - 1] += " " + String(line).trimmingSpaces()
            } else if let key = headerKey(line) {
                let value = String(line[line.index(after: key.colon)...]).trimmingSpaces()
                if let i = position[key.name] {
                    fields[i].1.append(value)
                } else {
                    position[key.name] = fields.count
                    fields.append((key.name, [value]))
                }
            } else {
                if fields.isEmpty { return nil }
                break
            }
            rest = after
        }
        guard !fields.isEmpty else { return nil }
        return (fields.map { ($0.0, $0.1.count == 1 ? .string($0.1[0]) : .array($0.1.map { .string($0) })) }, rest)
    }

    private static func headerKey(_ line: Substring) -> (name: String, colon: Substring.Index)? {
        // A key is at most 64 characters: look no further for the colon (a long line is body text).
        guard let colon = line.utf8.prefix(65).firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return nil }
        let key = line[..<colon]
        guard key.utf8.count <= 64, key.unicodeScalars.allSatisfy({
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == " ") && $0.isASCII
        }), key.first != " " else { return nil }
        let name = String(key.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
        return (name, colon)
    }
}
