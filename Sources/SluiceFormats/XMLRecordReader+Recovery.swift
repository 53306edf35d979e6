import CLibXML2
import SluiceCore

/// What the reader did with a node of libxml2's tree, kept in the node's `_private` pointer
/// (libxml2 leaves it to applications and zeroes it for every new node).
enum XMLNodeMark {
    /// The reader handed out the element's start; its end is still to come.
    static var started: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 0x1) }
    /// The node is done: an ended or empty element, a text, a comment.
    static var done: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 0x2) }
}

/// libxml2's streaming reader parses ahead of the node it hands out (a chunk at a time), and after a
/// fatal error it hands out nothing more, although the chunk before the error may hold complete
/// records. The nodes are still in the tree: this walks what the reader had not handed out yet,
/// in document order, as start, text and end events. Nodes that were still open when the parser
/// stopped (the element holding the error and its ancestors) get no end: the walk stops where the
/// parser did.
struct XMLPendingTree {
    enum Event {
        case start(xmlNodePtr)
        case text(String)
        /// A reference to an undeclared entity (`&name;`), which the parser left unexpanded.
        case entity(String)
        case end(xmlNodePtr)
    }

    private enum Phase { case node, children, end }

    private let open: Set<xmlNodePtr>
    private var node: xmlNodePtr?
    private var phase = Phase.node
    private var stopped = false

    /// `open` are the elements the parser had not closed; nil: not known, so the last element of
    /// every level (the tree's right edge, where the parser stopped) counts as open.
    init(document: xmlDocPtr, open: Set<xmlNodePtr>?) {
        node = document.pointee.children
        if let open {
            self.open = open
        } else {
            var edge = Set<xmlNodePtr>()
            var last = document.pointee.last
            while let n = last, n.pointee.type == XML_ELEMENT_NODE {
                edge.insert(n)
                last = n.pointee.last
            }
            self.open = edge
        }
    }

    mutating func next() -> Event? {
        while !stopped, let n = node {
            switch phase {
            case .node:
                let mark = n.pointee._private
                switch n.pointee.type {
                case XML_ELEMENT_NODE:
                    if mark == XMLNodeMark.done {
                        advance(from: n)
                        continue
                    }
                    phase = .children
                    if mark != XMLNodeMark.started { return .start(n) }
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    let text = mark == XMLNodeMark.done ? nil : LibXML.string(n.pointee.content)
                    advance(from: n)
                    if let text { return .text(text) }
                case XML_ENTITY_REF_NODE:
                    let name = mark == XMLNodeMark.done ? nil : LibXML.name(n)
                    advance(from: n)
                    if let name { return .entity(name) }
                default:
                    advance(from: n)
                }
            case .children:
                if let child = n.pointee.children {
                    node = child
                    phase = .node
                } else {
                    phase = .end
                }
            case .end:
                // An element still open when the parser stopped has no end: nothing after it exists.
                if open.contains(n) {
                    stopped = true
                    return nil
                }
                advance(from: n)
                return .end(n)
            }
        }
        return nil
    }

    /// Moves to the node after `n`: its next sibling, else its parent's end.
    private mutating func advance(from n: xmlNodePtr) {
        if let next = n.pointee.next {
            node = next
            phase = .node
        } else if let parent = n.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
            node = parent
            phase = .end
        } else {
            node = nil
        }
    }
}

extension LibXML {
    /// An element's or attribute's name as written: `prefix:local` or `local`.
    static func qualifiedName(_ name: UnsafePointer<xmlChar>?, ns: xmlNsPtr?) -> String {
        let local = string(name) ?? ""
        if let prefix = ns.flatMap({ string($0.pointee.prefix) }) { return prefix + ":" + local }
        return local
    }

    /// An element's attributes with their names as written (namespace declarations are not attributes).
    static func qualifiedAttributes(_ node: xmlNodePtr) -> [(String, String)] {
        var out: [(String, String)] = []
        var attr = node.pointee.properties
        while let a = attr {
            var text = ""
            var child = a.pointee.children
            while let c = child {
                if let s = string(c.pointee.content) { text += s }
                child = c.pointee.next
            }
            out.append((qualifiedName(a.pointee.name, ns: a.pointee.ns), text))
            attr = a.pointee.next
        }
        return out
    }
}
