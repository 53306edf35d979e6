/// The writer's engine: appends JSON text to a byte array.
struct JSONEmitter {
    let options: JSONWriter.Options
    var output: [UInt8]
    private var indent = 0

    init(options: JSONWriter.Options, output: [UInt8]) {
        self.options = options
        self.output = output
    }

    /// An open array or object and the position of the next member to write. Frames are
    /// only ever accessed in place (`stack[top].field`), never copied, to keep reference
    /// counting off the per-member path.
    private struct Frame {
        var isObject: Bool
        /// An array's elements or an object's values.
        var values: [JSONValue]
        var keys: [String] = []
        /// Member positions in key order, when writing with sorted keys.
        var order: [Int]?
        var next = 0
    }

    /// Member positions ordered by key, comparing UTF-8 bytes (code point order).
    private static func sortedOrder(_ keys: [String]) -> [Int] {
        keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
    }

    /// Nesting written by plain recursion (cheapest: values are borrowed, not copied); deeper
    /// subtrees go to the explicit-stack writer, so a value of any depth can be written.
    private static let recursionLimit = 128

    mutating func write(_ value: JSONValue) {
        writeNested(value, depth: 0)
    }

    private mutating func writeNested(_ value: JSONValue, depth: Int) {
        guard depth < Self.recursionLimit else {
            writeIteratively(value)
            return
        }
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): writeUTF8(n.text)
        case .string(let s): writeString(s)
        case .array(let elements):
            guard !elements.isEmpty else { append("[]"); return }
            output.append(.openBracket)
            indent += 1
            for i in elements.indices {
                if i > 0 { output.append(.comma) }
                newline()
                writeNested(elements[i], depth: depth + 1)
            }
            indent -= 1
            newline()
            output.append(.closeBracket)
        case .object(let object):
            guard !object.isEmpty else { append("{}"); return }
            output.append(.openBrace)
            indent += 1
            let order = options.sortedKeys ? Self.sortedOrder(object.keys) : nil
            for n in 0..<object.count {
                let i = order?[n] ?? n
                if n > 0 { output.append(.comma) }
                newline()
                writeString(object.keys[i])
                output.append(.colon)
                if options.prettyPrinted { output.append(.space) }
                writeNested(object.values[i], depth: depth + 1)
            }
            indent -= 1
            newline()
            output.append(.closeBrace)
        }
    }

    /// Writes without recursion (an explicit stack).
    private mutating func writeIteratively(_ value: JSONValue) {
        var stack: [Frame] = []
        var current = value
        nextValue: while true {
            switch current {
            case .null: append("null")
            case .bool(let b): append(b ? "true" : "false")
            case .number(let n): writeUTF8(n.text)
            case .string(let s): writeString(s)
            case .array(let elements):
                if elements.isEmpty {
                    append("[]")
                } else {
                    output.append(.openBracket)
                    indent += 1
                    stack.append(Frame(isObject: false, values: elements))
                }
            case .object(let object):
                if object.isEmpty {
                    append("{}")
                } else {
                    output.append(.openBrace)
                    indent += 1
                    let order = options.sortedKeys ? Self.sortedOrder(object.keys) : nil
                    stack.append(Frame(isObject: true, values: object.values, keys: object.keys, order: order))
                }
            }
            // Pick the next member of the innermost open container, closing finished ones.
            while !stack.isEmpty {
                let top = stack.count - 1
                let k = stack[top].next
                if k < stack[top].values.count {
                    let i = stack[top].order?[k] ?? k
                    if k > 0 { output.append(.comma) }
                    newline()
                    if stack[top].isObject {
                        writeString(stack[top].keys[i])
                        output.append(.colon)
                        if options.prettyPrinted { output.append(.space) }
                    }
                    current = stack[top].values[i]
                    stack[top].next = k + 1
                    continue nextValue
                }
                let closing: UInt8 = stack[top].isObject ? .closeBrace : .closeBracket
                stack.removeLast()
                indent -= 1
                newline()
                output.append(closing)
            }
            return
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
        let escapeNonASCII = options.escapeNonASCII
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { writeEscaped($0, escapingNonASCII: escapeNonASCII) }
        if done == nil {
            var copy = string
            copy.withUTF8 { writeEscaped($0, escapingNonASCII: escapeNonASCII) }
        }
        output.append(.quote)
    }

    private mutating func writeUTF8(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { output.append(contentsOf: $0) }
        if done == nil { output.append(contentsOf: text.utf8) }
    }

    /// Copies runs that need no escaping in bulk.
    private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, escapingNonASCII: Bool) {
        var runStart = 0
        var i = 0
        while i < bytes.count {
            i = JSONStringBytes.plainRunEnd(bytes, from: i, stopAtNonASCII: escapingNonASCII).end
            guard i < bytes.count else { break }
            let byte = bytes[i]
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
                i = Swift.min(i + length, bytes.count)
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
