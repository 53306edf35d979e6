/// The formats the file input reads.
enum FileFormat: String, Sendable, CaseIterable {
    case jsonl, json, csv, text, markdown, html, xml

    /// The format for a file name by its extension, after a trailing `.gz` is set aside:
    /// `.jsonl`/`.ndjson`, `.json`, `.csv`/`.tsv`, `.txt`/`.text`, `.md`/`.markdown`,
    /// `.html`/`.htm`/`.xhtml`, `.xml`/`.rss`/`.atom`. Nil for anything else.
    static func detect(fileName: String) -> FileFormat? {
        var name = fileName.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...] {
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        case "csv", "tsv": return .csv
        case "txt", "text": return .text
        case "md", "markdown": return .markdown
        case "html", "htm", "xhtml": return .html
        case "xml", "rss", "atom": return .xml
        default: return nil
        }
    }

    static func isGzip(fileName: String) -> Bool { fileName.lowercased().hasSuffix(".gz") }

    static func isTSV(fileName: String) -> Bool {
        let name = fileName.lowercased()
        return name.hasSuffix(".tsv") || name.hasSuffix(".tsv.gz")
    }
}
