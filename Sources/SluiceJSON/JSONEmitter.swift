/// The writer's engine: appends JSON text to a byte array.
struct JSONEmitter {
    let options: JSONWriter.Options
    var output: [UInt8]
    private var indent = 0

    init(options: JSONWriter.Options, output: [UInt8]) {
        self.options = options
        self.output = output
    }

    /// An open array or object and the position of the next member to write.
    private struct Frame {
        var elements: [JSONValue] = []
        var object: JSONObject?
        var keys: [String] = []
        var next = 0
    }

    /// Writes without recursion (an explicit stack), so a value of any depth can be written.
    mutating func write(_ value: JSONValue) {
        var stack: [Frame] = []
        var current = value
        while true {
            switch current {
            case .null: append("null")
            case .bool(let b): append(b ? "true" : "false")
            case .number(let n): output.append(contentsOf: n.text.utf8)
            case .string(let s): writeString(s)
            case .array(let elements):
                if elements.isEmpty {
                    append("[]")
                } else {
                    output.append(.openBracket)
                    indent += 1
                    stack.append(Frame(elements: elements))
                }
            case .object(let object):
                if object.isEmpty {
                    append("{}")
                } else {
                    output.append(.openBrace)
                    indent += 1
                    var keys = object.keys
                    if options.sortedKeys { keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
                    stack.append(Frame(object: object, keys: keys))
                }
            }
            // Pick the next member of the innermost open container, closing finished ones.
            while true {
                guard let top = stack.last else { return }
                let k = top.next
                var found = false
                if let object = top.object {
                    if k < top.keys.count {
                        if k > 0 { output.append(.comma) }
                        newline()
                        writeString(top.keys[k])
                        output.append(.colon)
                        if options.prettyPrinted { output.append(.space) }
                        current = object[top.keys[k]] ?? .null
                        found = true
                    }
                } else if k < top.elements.count {
                    if k > 0 { output.append(.comma) }
                    newline()
                    current = top.elements[k]
                    found = true
                }
                if found {
                    stack[stack.count - 1].next = k + 1
                    break
                } else {
                    stack.removeLast()
                    indent -= 1
                    newline()
                    output.append(top.object == nil ? .closeBracket : .closeBrace)
                }
            }
        }
    }

    @inline(__always)
    private mutating func append(_ literal: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func newline() {
        guard options.prettyPrinted else { return }
        output.append(.newline)
        output.append(contentsOf: repeatElement(UInt8.space, count: indent * 2))
    }

    private mutating func writeString(_ string: String) {
        output.append(.quote)
        var string = string
        if options.escapeNonASCII {
            string.withUTF8 { writeEscaped($0, escapingNonASCII: true) }
        } else {
            string.withUTF8 { writeEscaped($0, escapingNonASCII: false) }
        }
        output.append(.quote)
    }

    /// Copies runs that need no escaping in bulk.
    private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, escapingNonASCII: Bool) {
        var runStart = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            let special = byte == .quote || byte == .backslash || byte < 0x20 || (escapingNonASCII && byte >= 0x80)
            if !special { i += 1; continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            if byte >= 0x80 {
                let (scalar, length) = decodeScalar(bytes, at: i)
                if scalar >= 0x10000 {
                    let v = scalar - 0x10000
                    appendUnicodeEscape(0xD800 + (v >> 10))
                    appendUnicodeEscape(0xDC00 + (v & 0x3FF))
                } else {
                    appendUnicodeEscape(scalar)
                }
                i += length
            } else {
                switch byte {
                case .quote, .backslash: output.append(.backslash); output.append(byte)
                case .newline: append("\\n")
                case .tab: append("\\t")
                case .carriageReturn: append("\\r")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                default: appendUnicodeEscape(UInt32(byte))
                }
                i += 1
            }
            runStart = i
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    private mutating func appendUnicodeEscape(_ unit: UInt32) {
        let hexDigits: StaticString = "0123456789abcdef"
        let digits = hexDigits.utf8Start
        append("\\u")
        output.append(digits[Int(unit >> 12 & 0xF)])
        output.append(digits[Int(unit >> 8 & 0xF)])
        output.append(digits[Int(unit >> 4 & 0xF)])
        output.append(digits[Int(unit & 0xF)])
    }

    /// Decodes the scalar at `i` of valid UTF-8 (Swift strings always are).
    private func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[i])
        func cont(_ k: Int) -> UInt32 { i + k < bytes.count ? UInt32(bytes[i + k] & 0x3F) : 0 }
        switch lead {
        case 0xC0..<0xE0: return ((lead & 0x1F) << 6 | cont(1), 2)
        case 0xE0..<0xF0: return ((lead & 0x0F) << 12 | cont(1) << 6 | cont(2), 3)
        default: return ((lead & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4)
        }
    }
}
