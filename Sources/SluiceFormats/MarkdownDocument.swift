import SluiceJSON

/// Markdown: `{path, title, body, ...front matter fields}`.
///
/// `title` is the first level-1 heading (`# Title` or a `Title` line underlined with `===`) outside
/// fenced code blocks, else the front matter's `title`, else the first heading of any level; it is
/// absent when there is none. `body` is the text after the front matter, unchanged but for the
/// file's one final line break, which is not part of it. Lines end at `\n`, `\r\n` or a lone `\r`. Front matter
/// fields follow `title`; ones named `path`, `title` or `body` do not override the document's own
/// (a front matter `title` is used only as the fallback above).
enum MarkdownDocument {
    static func convert(_ text: String, path: String, maxDepth: Int) -> Result<JSONObject, DocumentFailure> {
        var body = Substring(text)
        var front = JSONObject()
        if let (yaml, rest) = FrontMatter.split(text) {
            switch FrontMatter.parse(yaml, maxDepth: maxDepth) {
            case .failure(let f): return .failure(f)
            case .success(let o): front = o
            }
            body = rest
        }
        body = body.droppingFinalLineBreak()
        var object = JSONObject()
        object["path"] = .string(path)
        let headings = self.headings(in: body)
        if let title = headings.first(where: { $0.level == 1 })?.text ?? front["title"]?.stringValue ?? headings.first?.text {
            object["title"] = .string(title)
        }
        for (key, value) in front where key != "path" && key != "title" && key != "body" {
            object[key] = value
        }
        object["body"] = .string(String(body))
        return .success(object)
    }

    struct Heading: Equatable {
        var level: Int
        var text: String
    }

    /// ATX (`## Text`) and setext (`Text` / `===`, `---`) headings outside fenced code blocks, in order.
    static func headings(in text: Substring) -> [Heading] {
        var result: [Heading] = []
        var fence: String?
        var previous: Substring?
        var rest = text
        while let (line, after) = rest.splitFirstLine() {
            rest = after
            let trimmed = line.drop { $0 == " " }
            if let f = fence {
                if trimmed.hasPrefix(f) { fence = nil }
                previous = nil
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                previous = nil
                continue
            }
            if line.count - trimmed.count < 4, trimmed.hasPrefix("#") {
                let hashes = trimmed.prefix { $0 == "#" }.count
                let rest = trimmed.dropFirst(hashes)
                if hashes <= 6, rest.isEmpty || rest.first == " " || rest.first == "\t" {
                    var content = String(rest).trimmingSpaces()
                    while content.hasSuffix("#") { content.removeLast() }
                    result.append(Heading(level: hashes, text: content.trimmingSpaces()))
                    previous = nil
                    continue
                }
            }
            if let prev = previous, !prev.trimmingSpacesSub().isEmpty, !trimmed.isEmpty,
               trimmed.allSatisfy({ $0 == "=" }) || (trimmed.allSatisfy({ $0 == "-" }) && trimmed.count >= 2) {
                result.append(Heading(level: trimmed.first == "=" ? 1 : 2, text: String(prev).trimmingSpaces()))
                previous = nil
                continue
            }
            previous = line
        }
        return result
    }
}

extension Substring {
    func trimmingSpacesSub() -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
