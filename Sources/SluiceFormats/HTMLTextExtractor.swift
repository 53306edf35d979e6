import CLibXML2

/// Turns an HTML subtree into markdown-like text (see `HTMLDocument`). Walks iteratively with a
/// heap stack bounded by `maxDepth`.
struct HTMLTextExtractor {
    let maxDepth: Int
    private(set) var text = ""
    private(set) var firstH1: String?
    private var line = ""
    private var prefix = ""
    /// List items follow each other on single lines, and so do table rows.
    private enum LineKind { case paragraph, listItem, tableRow }
    private var lineKind = LineKind.paragraph
    private var lastKind = LineKind.paragraph
    private var pendingSpace = false
    private var preDepth = 0
    private var lineIsPre = false
    /// Open lists: ordered or not, and the next number.
    private var lists: [(ordered: Bool, next: Int)] = []
    /// How many `<article>`/`<main>` elements are open: inside one, header and footer are content.
    private var semanticDepth = 0
    private var h1Start: String.Index?

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    /// Returns false when the subtree is deeper than `maxDepth`.
    mutating func walk(_ root: xmlNodePtr) -> Bool {
        var stack: [xmlNodePtr] = []
        var current = root.pointee.children
        if LibXML.name(root) == "article" || LibXML.name(root) == "main" { semanticDepth += 1 }
        while true {
            if let node = current {
                switch node.pointee.type {
                case XML_ELEMENT_NODE:
                    let name = LibXML.name(node)
                    if skips(name) {
                        current = node.pointee.next
                        continue
                    }
                    enter(name, node)
                    if let child = node.pointee.children {
                        guard stack.count < maxDepth else { return false }
                        stack.append(node)
                        current = child
                    } else {
                        exit(name)
                        current = node.pointee.next
                    }
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let s = LibXML.string(node.pointee.content) { append(s) }
                    current = node.pointee.next
                default:
                    current = node.pointee.next
                }
            } else {
                guard let parent = stack.popLast() else { break }
                exit(LibXML.name(parent))
                current = parent.pointee.next
            }
        }
        flush()
        return true
    }

    private func skips(_ name: String) -> Bool {
        if HTMLDocument.dropped.contains(name) { return true }
        return (name == "header" || name == "footer") && semanticDepth == 0
    }

    private mutating func enter(_ name: String, _ node: xmlNodePtr) {
        switch name {
        case "article", "main":
            semanticDepth += 1
            startBlock()
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let level = Int(String(name.dropFirst())) ?? 1
            startBlock(prefix: String(repeating: "#", count: level) + " ")
        case "ul", "ol":
            startBlock()
            lists.append((name == "ol", Int(LibXML.attribute(node, "start") ?? "") ?? 1))
        case "li":
            let indent = String(repeating: "  ", count: max(0, lists.count - 1))
            var marker = "- "
            if let last = lists.last, last.ordered {
                marker = "\(last.next). "
                lists[lists.count - 1].next += 1
            }
            startBlock(prefix: indent + marker, kind: .listItem)
        case "pre":
            startBlock()
            preDepth += 1
            lineIsPre = true
        case "br":
            if !line.isEmpty { line += "\n" }
            pendingSpace = false
        case "tr":
            startBlock(kind: .tableRow)
        case "td", "th":
            if !line.isEmpty { line += " | " }
            pendingSpace = false
        case "img":
            break
        default:
            if HTMLDocument.blocks.contains(name) { startBlock() }
        }
        if name == "h1", firstH1 == nil { h1Start = line.endIndex }
    }

    private mutating func exit(_ name: String) {
        if name == "h1", firstH1 == nil, let start = h1Start, start <= line.endIndex {
            let t = String(line[start...]).trimmingSpaces()
            if !t.isEmpty { firstH1 = t }
            h1Start = nil
        }
        switch name {
        case "article", "main":
            semanticDepth -= 1
            flush()
        case "ul", "ol":
            flush()
            _ = lists.popLast()
            if lists.isEmpty { lastKind = .paragraph }
        case "table":
            flush()
            lastKind = .paragraph
        case "pre":
            flush()
            preDepth -= 1
        default:
            if HTMLDocument.blocks.contains(name) { flush() }
        }
    }

    private mutating func append(_ s: String) {
        if preDepth > 0 {
            line += s
            return
        }
        for ch in s.unicodeScalars {
            if ch.properties.isWhitespace || ch == "\u{00A0}" {
                if !line.isEmpty { pendingSpace = true }
            } else {
                if pendingSpace, let last = line.unicodeScalars.last, last != "\n" { line += " " }
                pendingSpace = false
                line.unicodeScalars.append(ch)
            }
        }
    }

    private mutating func startBlock(prefix newPrefix: String = "", kind: LineKind = .paragraph) {
        // A block opening right inside a list item or heading that has no text yet keeps the marker.
        if line.trimmingSpaces().isEmpty && newPrefix.isEmpty && !prefix.isEmpty {
            return
        }
        flush()
        prefix = newPrefix
        lineKind = kind
    }

    private mutating func flush() {
        var content: String
        if lineIsPre {
            content = line
            while content.hasPrefix("\n") { content.removeFirst() }
            while content.hasSuffix("\n") || content.hasSuffix(" ") { content.removeLast() }
            if !content.isEmpty { content = "```\n" + content + "\n```" }
        } else {
            content = line.trimmingSpaces()
        }
        if !content.isEmpty {
            if !text.isEmpty { text += (lineKind == lastKind && lineKind != .paragraph) ? "\n" : "\n\n" }
            text += prefix + content
            lastKind = lineKind
        }
        line = ""
        prefix = ""
        lineKind = .paragraph
        lineIsPre = false
        pendingSpace = false
        h1Start = h1Start == nil ? nil : line.startIndex
    }
}
