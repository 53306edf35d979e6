extension JSONScanner {
    /// Reads a number by the RFC 8259 grammar and keeps its exact text.
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        if input[index] == .minus { index += 1 }
        try requireDigit(after: index == start ? "the start" : "'-'")
        if input[index] == .zero {
            index += 1
            if index < input.count, input[index].isDigit {
                throw error(.invalidNumber, "a number cannot have a leading zero", at: start)
            }
        } else {
            skipDigits()
        }
        if index < input.count, input[index] == .period {
            index += 1
            try requireDigit(after: "'.'")
            skipDigits()
        }
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < input.count, input[index] == .plus || input[index] == .minus { index += 1 }
            try requireDigit(after: "the exponent mark")
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        return JSONNumber(uncheckedText: text)
    }

    @inline(__always)
    private mutating func skipDigits() {
        while index < input.count, input[index].isDigit { index += 1 }
    }

    private func requireDigit(after what: String) throws(JSONParseError) {
        guard index < input.count else { throw endOfInput(expecting: "a digit after \(what) of a number") }
        guard input[index].isDigit else {
            throw error(.invalidNumber, "expected a digit after \(what) of a number but found \(describe(input[index]))", at: index)
        }
    }
}
