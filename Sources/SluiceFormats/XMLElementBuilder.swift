import SluiceCore
import SluiceJSON

/// Builds one record element's JSON from reader events, with a bounded depth and size.
///
/// Mapping: attributes become `@name` members (namespace declarations are left out); child
/// elements become members named as written (prefix included, `dc:creator`); a name that repeats
/// gives a list in document order; an element with only text becomes a string; text beside child
/// elements or attributes is `#text`. Text is trimmed of surrounding whitespace and
/// whitespace-only text is ignored. CDATA is text. An empty element is `""`. The record element
/// itself is always an object (`{"#text": ...}` when it holds only text).
///
/// The record's raw bytes are the element re-serialised from the events (attributes in double
/// quotes, text escaped): libxml2's reader does not hand out the original bytes.
struct XMLElementBuilder {
    private struct Frame {
        var name: String
        var attributes: [(String, String)]
        var children = JSONObject()
        var hasChildren = false
        var text = ""
    }

    let maxDepth: Int
    let maxBytes: Int
    private var stack: [Frame] = []
    private(set) var result: JSONValue?
    private(set) var raw: [UInt8] = []
    private(set) var rawTotal = 0
    private var hasher: StreamingSHA256?
    /// Set when the element is too deep or too large; building stops, counting goes on.
    private(set) var problem: (RecordFailure.Code, String)?
    private var depth = 0

    init(maxDepth: Int, maxBytes: Int) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    var rawSHA256: String? { hasher?.finalizeHex() }

    mutating func start(_ name: String, attributes: [(String, String)]) {
        depth += 1
        var tag = "<" + name
        for (k, v) in attributes { tag += " \(k)=\"" + Self.escape(v, attribute: true) + "\"" }
        record(tag + ">")
        guard problem == nil else { return }
        if depth > maxDepth {
            problem = (.tooDeep, "the element nests deeper than max_depth (\(maxDepth))")
            stack = []
            return
        }
        stack.append(Frame(name: name, attributes: attributes))
    }

    mutating func text(_ s: String) {
        record(Self.escape(s, attribute: false))
        guard problem == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += s
    }

    /// A reference to an entity the document does not declare (`&name;`, allowed by XML when the
    /// document has an external DTD, which is never loaded): the text it stands for is unknown, so
    /// the record is refused rather than read with it left out.
    mutating func unresolvedEntity(_ name: String) {
        record("&\(name);")
        guard problem == nil else { return }
        problem = (.forbiddenXML, "it uses the entity &\(name); which the document does not declare (a DTD outside the document "
                   + "is never loaded), so the text the entity stands for is unknown")
        stack = []
    }

    mutating func end(_ name: String) {
        depth -= 1
        record("</\(name)>")
        guard problem == nil, let frame = stack.popLast() else { return }
        let value = Self.value(of: frame, isRecord: stack.isEmpty)
        if stack.isEmpty {
            result = value
            return
        }
        stack[stack.count - 1].hasChildren = true
        switch stack[stack.count - 1].children[frame.name] {
        case nil: stack[stack.count - 1].children[frame.name] = value
        case .array(var list)?:
            list.append(value)
            stack[stack.count - 1].children[frame.name] = .array(list)
        case let existing?:
            stack[stack.count - 1].children[frame.name] = .array([existing, value])
        }
    }

    var isComplete: Bool { depth == 0 }

    private static func value(of frame: Frame, isRecord: Bool) -> JSONValue {
        let text = frame.text.trimmingSpaces()
        if frame.attributes.isEmpty && !frame.hasChildren && !isRecord { return .string(text) }
        var object = JSONObject()
        for (k, v) in frame.attributes { object["@" + k] = .string(v) }
        for (k, v) in frame.children { object[k] = v }
        if !text.isEmpty { object["#text"] = .string(text) }
        return .object(object)
    }

    private mutating func record(_ s: String) {
        let bytes = s.utf8
        if hasher == nil && rawTotal + bytes.count > maxBytes {
            var h = StreamingSHA256()
            h.update(raw)
            hasher = h
            raw = Array(raw.prefix(RawBytes.defaultLimit))
            if problem == nil { problem = (.tooLarge, "") }
            stack = []
        }
        if hasher != nil {
            hasher?.update(Array(bytes))
            if raw.count < RawBytes.defaultLimit { raw.append(contentsOf: bytes.prefix(RawBytes.defaultLimit - raw.count)) }
        } else {
            raw.append(contentsOf: bytes)
        }
        rawTotal += bytes.count
    }

    static func escape(_ s: String, attribute: Bool) -> String {
        let quote: UInt8 = attribute ? 0x22 : 0x26
        let needsEscaping = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b == 0x26 || b == 0x3C || b == 0x3E || b == quote { return true }
            return false
        } ?? true
        guard needsEscaping else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22 where attribute: out += "&quot;".utf8
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
