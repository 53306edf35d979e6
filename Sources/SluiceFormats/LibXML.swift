import CLibXML2

/// libxml2's process-wide set-up, done once before the first parser is made (thread-safe: a
/// global `let` is initialised exactly once). Each reader or document then has its own context.
enum LibXML {
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    static func ensureInitialised() { _ = initialised }

    /// A libxml2 string as a Swift String (libxml2 hands out UTF-8).
    static func string(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    /// An element's or attribute's name.
    static func name(_ node: xmlNodePtr) -> String {
        string(node.pointee.name) ?? ""
    }

    /// The value of attribute `name` (ASCII case-insensitive), read from the attribute's text
    /// children without allocating through libxml2.
    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if let n = string(a.pointee.name), n.lowercased() == name {
                var text = ""
                var child = a.pointee.children
                while let c = child {
                    if let s = string(c.pointee.content) { text += s }
                    child = c.pointee.next
                }
                return text
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// Options as the Int32 the parse functions take.
    static func options(_ flags: [UInt32]) -> Int32 {
        Int32(bitPattern: flags.reduce(0, |))
    }
}
