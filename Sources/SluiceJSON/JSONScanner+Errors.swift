extension JSONScanner {
    /// Builds an error at `offset`, computing line and column only now (never on the happy path).
    func error(_ code: JSONParseError.Code, _ what: String, at offset: Int) -> JSONParseError {
        var line = 1
        var lineStart = 0
        var k = 0
        let stop = min(offset, input.count)
        while k < stop {
            if input[k] == .newline {
                line += 1
                lineStart = k + 1
            }
            k += 1
        }
        let column = offset - lineStart + 1
        return JSONParseError(
            code: code, message: "\(what) at line \(line), column \(column)",
            byteOffset: offset, line: line, column: column)
    }

    func endOfInput(expecting what: String) -> JSONParseError {
        error(.unexpectedEnd, "the input ends where \(what) was expected", at: input.count)
    }

    func unexpected(_ byte: UInt8, expecting what: String) -> JSONParseError {
        error(.unexpectedCharacter, "expected \(what) but found \(describe(byte))", at: index)
    }

    func tooDeep() -> JSONParseError {
        error(.tooDeep, "arrays and objects are nested deeper than the limit of \(maxDepth)", at: index)
    }

    /// A byte for a message: printable ASCII quoted, anything else in hex (never more than one byte).
    func describe(_ byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "'") {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte \(hex(byte))"
    }

    func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(digits)" : "0x\(digits)"
    }

    func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let period = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")

    @inline(__always)
    var isDigit: Bool { self &- .zero < 10 }
}
