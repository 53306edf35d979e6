extension JSONScanner {
    /// Reads a string whose opening quote has been consumed; leaves the cursor after the closing
    /// quote. Plain ASCII without escapes takes the first loop and is copied once.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        while index < input.count {
            let byte = input[index]
            if byte == .quote {
                let string = makeString(start..<index)
                index += 1
                return string
            }
            if byte == .backslash || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        return try parseStringSlowly(start: start)
    }

    /// Strings with escapes, non-ASCII or errors: validates UTF-8 and decodes escapes into
    /// `scratch` segment by segment, so unescaped runs are copied in bulk.
    private mutating func parseStringSlowly(start: Int) throws(JSONParseError) -> String {
        var hasEscapes = false
        var segmentStart = start
        while index < input.count {
            let byte = input[index]
            if byte == .quote {
                let string: String
                if hasEscapes {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<index]))
                    string = String(decoding: scratch, as: UTF8.self)
                } else {
                    string = makeString(start..<index)
                }
                index += 1
                return string
            } else if byte == .backslash {
                if !hasEscapes {
                    scratch.removeAll(keepingCapacity: true)
                    hasEscapes = true
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[segmentStart..<index]))
                try parseEscape()
                segmentStart = index
            } else if byte >= 0x80 {
                try skipUTF8Sequence()
            } else if byte < 0x20 {
                throw error(.controlCharacter, "raw control character \(hex(byte)) in a string; it must be escaped (\\n, \\t, \\u00XX)", at: index)
            } else {
                index += 1
            }
        }
        throw endOfInput(expecting: "the closing '\"' of the string")
    }

    @inline(__always)
    private func makeString(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: input[range]), as: UTF8.self)
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

    /// Checks one multi-byte UTF-8 sequence at the cursor (Unicode table 3-7: no overlongs, no
    /// surrogates, nothing above U+10FFFF) and moves past it.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = input[index]
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
            throw error(.invalidUTF8, "invalid UTF-8: continuation byte \(hex(lead)) without a lead byte", at: index)
        case 0xC0, 0xC1:
            throw error(.invalidUTF8, "invalid UTF-8: overlong encoding (lead byte \(hex(lead)))", at: index)
        default:
            throw error(.invalidUTF8, "invalid UTF-8: byte \(hex(lead)) cannot occur in UTF-8", at: index)
        }
        for k in 1...continuation {
            guard index + k < input.count else { throw endOfInput(expecting: "the rest of a UTF-8 sequence") }
            let byte = input[index + k]
            let (low, high) = k == 1 ? (secondLow, secondHigh) : (0x80, 0xBF)
            guard byte >= low && byte <= high else {
                let why = k == 1 && lead == 0xED && byte >= 0xA0 ? "an encoded surrogate"
                    : k == 1 && (lead == 0xE0 || lead == 0xF0) && byte < low ? "an overlong encoding"
                    : k == 1 && lead == 0xF4 && byte > high ? "a code point above U+10FFFF"
                    : "byte \(hex(byte)) where a continuation byte was expected"
                throw error(.invalidUTF8, "invalid UTF-8: \(why) (sequence starting \(hex(lead)))", at: index + k)
            }
        }
        index += continuation + 1
    }
}
