/// Finds a charset a document declares about itself: an XML declaration
/// (`<?xml version="1.0" encoding="ISO-8859-2"?>`) or an HTML `<meta charset>` /
/// `<meta http-equiv="Content-Type" content="...; charset=...">` in the first 4 KB.
enum CharsetDeclaration {
    static let sniffLimit = 4096

    /// The declared label, if any (not yet validated).
    static func sniff(_ bytes: [UInt8]) -> String? {
        let prefix = bytes.prefix(sniffLimit)
        // Lowercase ASCII view; other bytes become `?` (declarations are ASCII).
        let lower = String(decoding: prefix.map { b -> UInt8 in
            if b >= 0x41 && b <= 0x5A { return b + 0x20 }
            return b < 0x80 ? b : 0x3F
        }, as: UTF8.self)
        if lower.hasPrefix("<?xml"), let end = lower.range(of: "?>") {
            let decl = lower[lower.startIndex..<end.lowerBound]
            if let r = decl.range(of: "encoding") { return quotedValue(after: decl[r.upperBound...]) }
            return nil
        }
        var search = lower[...]
        while let m = search.range(of: "<meta") {
            let tagEnd = search[m.upperBound...].firstIndex(of: ">") ?? search.endIndex
            let tag = search[m.upperBound..<tagEnd]
            if let r = tag.range(of: "charset") {
                if let label = quotedValue(after: tag[r.upperBound...]) { return label }
            }
            search = search[tagEnd...]
        }
        return nil
    }

    /// Parses a Content-Type header value (`text/html; charset="utf-8"`) or a bare label.
    static func label(fromHeader value: String) -> String {
        let lower = value.lowercased()
        if let r = lower.range(of: "charset") {
            return quotedValue(after: lower[r.upperBound...]) ?? value
        }
        return value
    }

    /// `= "value"`, `='value'` or `=value` after a keyword; the value ends at a quote, space,
    /// `;`, `>` or `/`.
    private static func quotedValue(after s: Substring) -> String? {
        var rest = s.drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        if let q = rest.first, q == "\"" || q == "'" { rest = rest.dropFirst() }
        let value = rest.prefix { !"\"' ;>/\t\r\n".contains($0) }
        return value.isEmpty ? nil : String(value)
    }
}
