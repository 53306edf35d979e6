/// The parser's engine: a cursor over the input bytes plus an explicit stack of open containers.
///
/// Values are built bottom-up on a heap stack (`values`, `keys`), never by recursion, so nesting
/// depth is bounded only by `maxDepth` and memory, not by the thread's stack.
struct JSONScanner {
    let input: UnsafeBufferPointer<UInt8>
    var index = 0
    let maxDepth: Int
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        input = bytes.assumingMemoryBound(to: UInt8.self)
        self.maxDepth = maxDepth
    }

    private struct Frame {
        var isObject: Bool
        var valuesStart: Int
        var keysStart: Int
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            throw error(.unexpectedCharacter, "a UTF-8 byte order mark is not allowed in JSON; strip it before parsing", at: 0)
        }
        skipWhitespace()
        guard index < input.count else {
            throw error(.empty, "no JSON value: the input is empty or only whitespace", at: index)
        }
        var frames: [Frame] = []
        var values: [JSONValue] = []
        var keys: [String] = []
        // Typical records nest a few levels with a few dozen pending members; reserving up front
        // saves the first rounds of regrowth on every small document.
        frames.reserveCapacity(8)
        values.reserveCapacity(32)
        keys.reserveCapacity(32)

        nextValue: while true {
            guard index < input.count else { throw endOfInput(expecting: "a value") }
            switch input[index] {
            case .openBrace:
                guard frames.count < maxDepth else { throw tooDeep() }
                index += 1
                skipWhitespace()
                if index < input.count, input[index] == .closeBrace {
                    index += 1
                    values.append(.object(JSONObject()))
                } else {
                    frames.append(Frame(isObject: true, valuesStart: values.count, keysStart: keys.count))
                    keys.append(try parseKeyAndColon())
                    continue nextValue
                }
            case .openBracket:
                guard frames.count < maxDepth else { throw tooDeep() }
                index += 1
                skipWhitespace()
                if index < input.count, input[index] == .closeBracket {
                    index += 1
                    values.append(.array([]))
                } else {
                    frames.append(Frame(isObject: false, valuesStart: values.count, keysStart: keys.count))
                    continue nextValue
                }
            case .quote:
                index += 1
                values.append(.string(try parseString()))
            case .minus, .zero ... .nine:
                values.append(.number(try parseNumber()))
            case UInt8(ascii: "t"):
                try parseLiteral("true")
                values.append(.bool(true))
            case UInt8(ascii: "f"):
                try parseLiteral("false")
                values.append(.bool(false))
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                values.append(.null)
            case let byte:
                throw unexpected(byte, expecting: "a value")
            }

            // A value is complete: close containers until one expects another member.
            while true {
                skipWhitespace()
                guard let frame = frames.last else {
                    guard index == input.count else {
                        throw error(.trailingData, "unexpected \(describe(input[index])) after the end of the JSON value", at: index)
                    }
                    return values.removeLast()
                }
                guard index < input.count else {
                    throw endOfInput(expecting: frame.isObject ? "',' or '}'" : "',' or ']'")
                }
                let byte = input[index]
                if byte == .comma {
                    index += 1
                    skipWhitespace()
                    if frame.isObject { keys.append(try parseKeyAndColon()) }
                    continue nextValue
                }
                if frame.isObject, byte == .closeBrace {
                    index += 1
                    let memberKeys = takeTail(of: &keys, from: frame.keysStart, filler: "")
                    assert(memberKeys.count == values.count - frame.valuesStart, "one value per key")
                    let object = values.withUnsafeMutableBufferPointer { all in
                        // Every key read in this frame was followed by exactly one value.
                        all.baseAddress.map { JSONObject(orderedKeys: memberKeys, movingValuesFrom: $0 + frame.valuesStart) }
                    }
                    values.removeSubrange(frame.valuesStart...)
                    values.append(.object(object ?? JSONObject()))
                    frames.removeLast()
                } else if !frame.isObject, byte == .closeBracket {
                    index += 1
                    values.append(.array(takeTail(of: &values, from: frame.valuesStart, filler: .null)))
                    frames.removeLast()
                } else {
                    throw unexpected(byte, expecting: frame.isObject ? "',' or '}'" : "',' or ']'")
                }
            }
        }
    }

    /// Reads `"key"` and `:` (with whitespace around) and leaves the cursor on the value.
    private mutating func parseKeyAndColon() throws(JSONParseError) -> String {
        guard index < input.count else { throw endOfInput(expecting: "a string key") }
        guard input[index] == .quote else { throw unexpected(input[index], expecting: "a string key") }
        index += 1
        let key = try parseString()
        skipWhitespace()
        guard index < input.count else { throw endOfInput(expecting: "':'") }
        guard input[index] == .colon else { throw unexpected(input[index], expecting: "':'") }
        index += 1
        skipWhitespace()
        return key
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for k in 0..<expected.count {
            guard index + k < input.count else { throw endOfInput(expecting: "'\(word)'") }
            guard input[index + k] == expected[k] else {
                throw error(.unexpectedCharacter, "expected '\(word)' but found \(describe(input[index + k]))", at: index + k)
            }
        }
        index += expected.count
    }

    /// Moves `stack[start...]` into a new array. The elements are moved, not copied, so closing
    /// a container costs no reference-count traffic per member; the vacated slots get `filler`
    /// (a value without references) before they are dropped.
    @inline(__always)
    private func takeTail<Element>(of stack: inout [Element], from start: Int, filler: Element) -> [Element] {
        let count = stack.count - start
        guard count > 0 else { return [] }
        let tail = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            stack.withUnsafeMutableBufferPointer { all in
                guard let target = buffer.baseAddress, let base = all.baseAddress else { return }
                target.moveInitialize(from: base + start, count: count)
                (base + start).initialize(repeating: filler, count: count)
                initialized = count
            }
        }
        stack.removeSubrange(start...)
        return tail
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case .space, .newline, .carriageReturn, .tab: index += 1
            default: return
            }
        }
    }
}
