import CLibXML2
import SluiceCore
import SluiceJSON

/// HTML: text and metadata extracted with libxml2's HTML parser (recovering from broken markup,
/// no network, errors silenced).
///
/// Fields, in this order, each only when present: `path`; `title` (`<title>`, else the first
/// `<h1>`); `lang` (`<html lang>`); `canonical_url` (`<link rel=canonical href>`); `author`,
/// `description`, `keywords` (a list, split at commas), `published_time`, `modified_time` (from
/// the usual `<meta>` names, see `metaAliases`); `meta` (every `<meta name|property content>`,
/// names lower-cased as written, e.g. `og:title`, `article:modified_time`; a repeated name gives a
/// list); `body`.
///
/// `body` is markdown-like text: `# Heading` lines, paragraphs separated by blank lines, list items
/// as `- item` (`1. item` in ordered lists), table cells joined by ` | `, `<pre>` as a fenced
/// block, entities decoded, whitespace collapsed. Dropped: `script`, `style`, `noscript`,
/// `template`, `svg`, `iframe`, `canvas`, `nav`, `aside`, `form`, `button`, and `header`/`footer`
/// unless inside `<article>` or `<main>` (there they belong to the content). With
/// `content_element` set (`article`, `main`, ...), only the first such element is read; when the
/// page has none, the whole body is.
enum HTMLDocument {
    static let dropped: Set<String> = ["script", "style", "noscript", "template", "svg", "iframe", "canvas", "nav", "aside",
                                       "form", "button", "select", "textarea", "head", "object", "embed"]
    static let blocks: Set<String> = ["p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre", "ul", "ol",
                                      "li", "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt",
                                      "dd", "figure", "figcaption", "address", "hr", "body", "details", "summary", "caption"]
    /// Top-level fields and the `<meta>` names they are read from, first match wins.
    static let metaAliases: [(field: String, names: [String])] = [
        ("author", ["author", "article:author", "dc.creator", "twitter:creator"]),
        ("description", ["description", "og:description", "dc.description", "twitter:description"]),
        ("keywords", ["keywords", "news_keywords"]),
        ("published_time", ["article:published_time", "date", "dc.date", "dcterms.created", "pubdate"]),
        ("modified_time", ["article:modified_time", "og:updated_time", "last-modified", "dcterms.modified"]),
    ]

    static func convert(_ text: String, path: String, contentElement: String?, maxDepth: Int) -> Result<JSONObject, DocumentFailure> {
        LibXML.ensureInitialised()
        var utf8 = Array(text.utf8)
        guard utf8.count < Int(Int32.max) else { return .failure(DocumentFailure(code: .tooLarge, message: "the page is too large for the HTML parser")) }
        // XML_PARSE_HUGE lifts libxml2's own depth limit (256), which otherwise cuts a deeper page
        // silently (the parser stops and the rest of the text is lost); `max_depth` is enforced
        // by the extractor below, with its own reason.
        let options = LibXML.options([HTML_PARSE_NONET.rawValue, HTML_PARSE_NOERROR.rawValue, HTML_PARSE_NOWARNING.rawValue,
                                      HTML_PARSE_RECOVER.rawValue, HTML_PARSE_NOBLANKS.rawValue, XML_PARSE_HUGE.rawValue])
        let parsed = utf8.withUnsafeMutableBytes { raw -> htmlDocPtr? in
            guard let base = raw.baseAddress else { return nil }
            return htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, "UTF-8", options)
        }
        guard let doc = parsed else {
            return .failure(DocumentFailure(code: .malformed, message: "libxml2 could not make a document of this HTML"))
        }
        defer { xmlFreeDoc(doc) }
        utf8 = []
        guard let root = xmlDocGetRootElement(doc) else {
            return .failure(DocumentFailure(code: .empty, message: "the HTML has no elements"))
        }
        let head = HTMLHead.read(root: root)
        let start = contentElement.flatMap { find($0.lowercased(), from: root) } ?? find("body", from: root) ?? root
        var extractor = HTMLTextExtractor(maxDepth: maxDepth)
        guard extractor.walk(start) else {
            return .failure(DocumentFailure(code: .tooDeep, message: "the HTML nests elements deeper than max_depth (\(maxDepth))"))
        }
        var object = JSONObject()
        object["path"] = .string(path)
        if let title = head.title ?? extractor.firstH1 { object["title"] = .string(title) }
        if let lang = head.lang { object["lang"] = .string(lang) }
        if let canonical = head.canonical { object["canonical_url"] = .string(canonical) }
        for (field, names) in metaAliases {
            guard let value = names.lazy.compactMap({ head.meta[$0] }).first else { continue }
            let first = value.stringValue ?? value.arrayValue?.first?.stringValue ?? ""
            if field == "keywords" {
                let words = first.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                object[field] = .array(words.map { .string($0) })
            } else {
                object[field] = .string(first)
            }
        }
        if !head.meta.isEmpty { object["meta"] = .object(head.meta) }
        object["body"] = .string(extractor.text)
        return .success(object)
    }

    /// The first element named `name` in document order (iterative, no recursion).
    static func find(_ name: String, from root: xmlNodePtr) -> xmlNodePtr? {
        var found: xmlNodePtr?
        forEachElement(from: root) { node in
            if LibXML.name(node) == name {
                found = node
                return false
            }
            return true
        }
        return found
    }

    /// Visits elements in document order until `visit` returns false.
    static func forEachElement(from root: xmlNodePtr, _ visit: (xmlNodePtr) -> Bool) {
        var node: xmlNodePtr? = root
        while let n = node {
            if n.pointee.type == XML_ELEMENT_NODE, !visit(n) { return }
            if let child = n.pointee.children, n.pointee.type == XML_ELEMENT_NODE {
                node = child
                continue
            }
            var cursor: xmlNodePtr? = n
            node = nil
            while let c = cursor, c != root {
                if let next = c.pointee.next {
                    node = next
                    break
                }
                cursor = c.pointee.parent
            }
        }
    }
}

/// What the page says about itself: `<title>`, `<html lang>`, `<meta>`, `<link rel=canonical>`.
struct HTMLHead {
    var title: String?
    var lang: String?
    var canonical: String?
    var meta = JSONObject()

    static func read(root: xmlNodePtr) -> HTMLHead {
        var head = HTMLHead()
        if let lang = LibXML.attribute(root, "lang")?.trimmingSpaces(), !lang.isEmpty { head.lang = lang }
        HTMLDocument.forEachElement(from: root) { node in
            switch LibXML.name(node) {
            case "title" where head.title == nil:
                var extractor = HTMLTextExtractor(maxDepth: 8)
                _ = extractor.walk(node)
                let t = extractor.text.trimmingSpaces()
                if !t.isEmpty { head.title = t }
            case "meta":
                guard let key = (LibXML.attribute(node, "name") ?? LibXML.attribute(node, "property"))?.trimmingSpaces().lowercased(),
                      !key.isEmpty, let content = LibXML.attribute(node, "content") else { break }
                let value = JSONValue.string(content.trimmingSpaces())
                switch head.meta[key] {
                case nil: head.meta[key] = value
                case .array(let list)?: head.meta[key] = .array(list + [value])
                case let existing?: head.meta[key] = .array([existing, value])
                }
            case "link" where head.canonical == nil:
                let rels = (LibXML.attribute(node, "rel") ?? "").lowercased().split(separator: " ")
                if rels.contains("canonical"), let href = LibXML.attribute(node, "href")?.trimmingSpaces(), !href.isEmpty {
                    head.canonical = href
                }
            default:
                break
            }
            return true
        }
        return head
    }
}
