#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONScanner {
    /// Reads a string whose opening quote has been consumed; leaves the cursor after the closing
    /// quote. A string without escapes is copied once, straight from the input.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        var nonASCII = scanPlainRun()
        if index < input.count, input[index] == .quote {
            let string = try makeString(start..<index, nonASCII: nonASCII)
            index += 1
            return string
        }

        // Escapes: unescaped runs are copied into `scratch` in bulk, escapes decoded between them.
        scratch.removeAll(keepingCapacity: true)
        var segmentStart = start
        while index < input.count {
            let byte = input[index]
            if byte == .quote {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<index]))
                let string = String(decoding: scratch, as: UTF8.self)
                if nonASCII {
                    let intact = scratch.withUnsafeBufferPointer { Self.isUnchanged(string, from: $0) }
                    guard intact else { throw invalidUTF8Error(in: start..<index) }
                }
                index += 1
                return string
            } else if byte == .backslash {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<index]))
                try parseEscape()
                segmentStart = index
            } else if byte < 0x20 {
                throw error(.controlCharacter, "raw control character \(hex(byte)) in a string; it must be escaped (\\n, \\t, \\u00XX)", at: index)
            }
            if scanPlainRun() { nonASCII = true }
        }
        throw endOfInput(expecting: "the closing '\"' of the string")
    }

    /// Moves the cursor over string bytes that need no attention; tells whether any was non-ASCII
    /// (pure ASCII needs no UTF-8 validation).
    @inline(__always)
    private mutating func scanPlainRun() -> Bool {
        let (end, sawNonASCII) = JSONStringBytes.plainRunEnd(input, from: index, stopAtNonASCII: false)
        index = end
        return sawNonASCII
    }

    @inline(__always)
    private func makeString(_ range: Range<Int>, nonASCII: Bool) throws(JSONParseError) -> String {
        let bytes = UnsafeBufferPointer(rebasing: input[range])
        guard nonASCII else { return String(decoding: bytes, as: UTF8.self) }
        let string = String(decoding: bytes, as: UTF8.self)
        guard Self.isUnchanged(string, from: bytes) else { throw invalidUTF8Error(in: range) }
        return string
    }

    /// Whether decoding kept `bytes` as they were. `String(decoding:)` validates and replaces
    /// ill-formed sequences with U+FFFD, and a replacement always changes the bytes (U+FFFD is
    /// well-formed, the bytes it replaces are not), so an unchanged result proves the input valid.
    /// This is cheaper than `String(validating:)`, whose generic path is not specialised.
    @inline(__always)
    private static func isUnchanged(_ string: String, from bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard string.utf8.count == bytes.count else { return false }
        let same: Bool? = string.utf8.withContiguousStorageIfAvailable { decoded in
            guard let a = decoded.baseAddress, let b = bytes.baseAddress else { return decoded.count == bytes.count }
            return memcmp(a, b, bytes.count) == 0
        }
        return same ?? string.utf8.elementsEqual(bytes)
    }

    /// Finds the first ill-formed UTF-8 sequence in `range` (known to hold one) and describes it.
    private func invalidUTF8Error(in range: Range<Int>) -> JSONParseError {
        var k = range.lowerBound
        while k < range.upperBound {
            if input[k] < 0x80 {
                k += 1
                continue
            }
            switch checkUTF8Sequence(at: k) {
            case .success(let length): k += length
            case .failure(let error): return error
            }
        }
        return error(.invalidUTF8, "invalid UTF-8 in a string", at: range.lowerBound)
    }

    /// Decodes the escape at the cursor (a backslash) into `scratch`.
    private mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = index
        guard index + 1 < input.count else { throw endOfInput(expecting: "an escape after '\\'") }
        let kind = input[index + 1]
        index += 2
        switch kind {
        case .quote, .backslash, .slash: scratch.append(kind)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(.newline)
        case UInt8(ascii: "r"): scratch.append(.carriageReturn)
        case UInt8(ascii: "t"): scratch.append(.tab)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error(.loneSurrogate, "low surrogate escape \\u\(hex4(scalar)) without a preceding high surrogate", at: escapeStart)
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard index + 1 < input.count else { throw endOfInput(expecting: "a low surrogate escape") }
                guard input[index] == .backslash, input[index + 1] == UInt8(ascii: "u") else {
                    throw error(.loneSurrogate, "high surrogate escape \\u\(hex4(scalar)) is not followed by a low surrogate escape", at: escapeStart)
                }
                index += 2
                let low = try readHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error(.loneSurrogate, "high surrogate escape \\u\(hex4(scalar)) is followed by \\u\(hex4(low)), not a low surrogate", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar)
        default:
            throw error(.invalidEscape, "invalid escape '\\' followed by \(describe(kind))", at: escapeStart)
        }
    }

    /// Reads four hex digits at the cursor.
    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < input.count else { throw endOfInput(expecting: "four hex digits after '\\u'") }
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case .zero ... .nine: digit = byte &- .zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default:
                throw error(.invalidEscape, "'\\u' must be followed by four hex digits, found \(describe(byte))", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `start` (Unicode table 3-7: no overlongs, no
    /// surrogates, nothing above U+10FFFF); gives its length or the error.
    private func checkUTF8Sequence(at start: Int) -> Result<Int, JSONParseError> {
        let lead = input[start]
        var continuation = 0
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0: continuation = 2; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
        case 0xED: continuation = 2; secondHigh = 0x9F
        case 0xF0: continuation = 3; secondLow = 0x90
        case 0xF1...0xF3: continuation = 3
        case 0xF4: continuation = 3; secondHigh = 0x8F
        case 0x80...0xBF:
            return .failure(error(.invalidUTF8, "invalid UTF-8: continuation byte \(hex(lead)) without a lead byte", at: start))
        case 0xC0, 0xC1:
            return .failure(error(.invalidUTF8, "invalid UTF-8: overlong encoding (lead byte \(hex(lead)))", at: start))
        default:
            return .failure(error(.invalidUTF8, "invalid UTF-8: byte \(hex(lead)) cannot occur in UTF-8", at: start))
        }
        for k in 1...continuation {
            guard start + k < input.count else {
                return .failure(error(.invalidUTF8, "invalid UTF-8: the input ends inside a sequence", at: start + k))
            }
            let byte = input[start + k]
            let (low, high) = k == 1 ? (secondLow, secondHigh) : (0x80, 0xBF)
            guard byte >= low && byte <= high else {
                let why = k == 1 && lead == 0xED && byte >= 0xA0 ? "an encoded surrogate"
                    : k == 1 && (lead == 0xE0 || lead == 0xF0) && byte < low ? "an overlong encoding"
                    : k == 1 && lead == 0xF4 && byte > high ? "a code point above U+10FFFF"
                    : "byte \(hex(byte)) where a continuation byte was expected"
                return .failure(error(.invalidUTF8, "invalid UTF-8: \(why) (sequence starting \(hex(lead)))", at: start + k))
            }
        }
        return .success(continuation + 1)
    }
}
