import Testing
@testable import SluiceJSON

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": "" } "#)
        let expected: JSONValue = ["a": [1, -2500, true, false, nil], "b": ["c": "d"], "e": ""]
        #expect(value == expected)
        #expect(try JSONParser.parse("0") == 0)
        #expect(try JSONParser.parse("\"x\"") == "x")
        #expect(try JSONParser.parse("[]") == [])
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse(" \t\r\nnull\n ") == nil)
    }

    @Test func entryPointsAgree() throws {
        let text = #"{"k": ["v", 1.5]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser.parse(text)
        let fromArray = try JSONParser.parse(bytes)
        let fromPointer = try bytes.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(raw) }
        #expect(fromString == fromArray)
        #expect(fromArray == fromPointer)
    }

    @Test func numbersKeepTheirExactText() throws {
        for text in ["12345678901234567890", "1E400", "-0.0", "0.1", "-0", "1e-999", "0.10000000000000001",
                     "123456789012345678901234567890.123456789e+10", "1E+2", "1e-2"] {
            let value = try JSONParser.parse("[\(text)]")
            #expect(value.arrayValue?.first?.numberValue?.text == text)
        }
    }

    @Test func objectsKeepKeyOrderAndLastDuplicateWins() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3, "a": 4}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == 4)
        #expect(object.count == 3)
    }

    @Test func decodesEveryEscape() throws {
        let value = try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \u0000""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é € \u{0}"))
    }

    @Test func combinesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSONParser.parse(#""\uD834\uDD1E x""#) == "𝄞 x")
        #expect(try JSONParser.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test func keepsNonASCIIText() throws {
        let text = "\"héllo wörld ✓ 日本語 😀\""
        #expect(try JSONParser.parse(text) == "héllo wörld ✓ 日本語 😀")
        #expect(try JSONParser.parse("{\"ключ\": \"значение\\n\"}") == ["ключ": "значение\n"])
    }

    @Test(arguments: [
        (#"["\ud800"]"#, 1),
        (#"["\ud800\u0041"]"#, 1),
        (#"["\udc00"]"#, 1),
        (#"["x\uDFFF\uD800"]"#, 2),
        (#"["\ud800\n"]"#, 1),
    ])
    func rejectsLoneSurrogates(text: String, offset: Int) {
        let error = parseError(text)
        #expect(error?.code == .loneSurrogate)
        #expect(error?.byteOffset == offset + 1)
    }

    @Test(arguments: [
        ([0x22, 0xC0, 0x80, 0x22], 1, "overlong NUL"),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 2, "overlong slash"),
        ([0x22, 0xF0, 0x82, 0x82, 0xAC, 0x22], 2, "overlong euro"),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 2, "encoded surrogate"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2, "above U+10FFFF"),
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1, "F5 lead"),
        ([0x22, 0x80, 0x22], 1, "lone continuation"),
        ([0x22, 0xE2, 0x82, 0x22], 3, "truncated sequence"),
        ([0x22, 0xFF, 0x22], 1, "FF"),
    ] as [([UInt8], Int, String)])
    func rejectsInvalidUTF8(bytes: [UInt8], offset: Int, label: String) {
        let error = parseError(bytes)
        #expect(error?.code == .invalidUTF8, "\(label)")
        #expect(error?.byteOffset == offset, "\(label)")
    }

    /// Strings are scanned eight bytes at a time; a special byte must be found wherever it sits.
    @Test func findsSpecialBytesAtEveryPositionOfALongString() throws {
        let a = UInt8(ascii: "a")
        for position in 0..<24 {
            let before = [UInt8](repeating: a, count: position)
            let after = [UInt8](repeating: a, count: 24 - position)
            let text = String(repeating: "a", count: position)
            let tail = String(repeating: "a", count: 24 - position)
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

            #expect(try JSONParser.parse([quote] + before + [backslash, UInt8(ascii: "n")] + after + [quote]) == .string(text + "\n" + tail))
            #expect(try JSONParser.parse([quote] + before + [0xC3, 0xA9] + after + [quote]) == .string(text + "é" + tail))
            #expect(try JSONParser.parse([quote] + before + [quote]) == .string(text))
            #expect(parseError([quote] + before + [0x01] + after + [quote])?.code == .controlCharacter)
            #expect(parseError([quote] + before + [0x01] + after + [quote])?.byteOffset == position + 1)
            #expect(parseError([quote] + before + [0xFF] + after + [quote])?.byteOffset == position + 1)
            // Invalid UTF-8 after an escape takes the decoding path and is still located exactly.
            let escaped = [quote, backslash, UInt8(ascii: "t")] + before + [0xE2, 0x28, 0xA1] + after + [quote]
            let error = parseError(escaped)
            #expect(error?.code == .invalidUTF8)
            #expect(error?.byteOffset == position + 4)
        }
    }

    @Test func rejectsRawControlCharacters() {
        for byte in UInt8(0)..<0x20 {
            let error = parseError([0x22, 0x61, byte, 0x22])
            #expect(error?.code == .controlCharacter)
            #expect(error?.byteOffset == 2)
        }
        #expect((try? JSONParser.parse([0x22, 0x7F, 0x22])) == .string("\u{7F}"))
    }

    @Test(arguments: [
        ("", JSONParseError.Code.empty, 0), (" \n\t ", .empty, 4),
        ("[1,]", .unexpectedCharacter, 3), ("[1 2]", .unexpectedCharacter, 3),
        ("{\"a\" 1}", .unexpectedCharacter, 5), ("{\"a\":1,}", .unexpectedCharacter, 7),
        ("{1:2}", .unexpectedCharacter, 1), ("[01]", .invalidNumber, 1), ("[-]", .invalidNumber, 2),
        ("[1.]", .invalidNumber, 3), ("[1e]", .invalidNumber, 3), ("[.5]", .unexpectedCharacter, 1),
        ("[+1]", .unexpectedCharacter, 1), ("[-01]", .invalidNumber, 1), ("[1.e5]", .invalidNumber, 3),
        ("tru", .unexpectedEnd, 3), ("trUe", .unexpectedCharacter, 2), ("nul", .unexpectedEnd, 3),
        ("[NaN]", .unexpectedCharacter, 1), ("\"\\x\"", .invalidEscape, 1), ("\"\\u12G4\"", .invalidEscape, 5),
        ("\"abc", .unexpectedEnd, 4), ("[1", .unexpectedEnd, 2), ("{\"a\":", .unexpectedEnd, 5),
        ("1 2", .trailingData, 2), ("{} x", .trailingData, 3), ("[1]]", .trailingData, 3),
        ("\u{FEFF}{}", .unexpectedCharacter, 0), ("'a'", .unexpectedCharacter, 0), ("[1,2", .unexpectedEnd, 4),
    ])
    func rejectsMalformedDocuments(text: String, code: JSONParseError.Code, offset: Int) {
        let error = parseError(text)
        #expect(error?.code == code, "\(text)")
        #expect(error?.byteOffset == offset, "\(text)")
    }

    @Test func reportsLineAndColumnInAMultiLineDocument() throws {
        let text = "{\n  \"a\": 1,\n  \"b\": [true,\n         tru]\n}\n"
        let error = try #require(parseError(text))
        #expect(error.code == .unexpectedCharacter)
        #expect(error.line == 4)
        #expect(error.column == 13)
        #expect(error.byteOffset == Array(text.utf8).firstIndex(of: UInt8(ascii: "]")))
        #expect(error.message.contains("line 4, column 13"))

        let crlf = "[\r\n1,\r\n  x]"
        let second = try #require(parseError(crlf))
        #expect(second.line == 3)
        #expect(second.column == 3)
    }

    @Test func columnsCountBytes() throws {
        let error = try #require(parseError("[\"é\", x]"))
        #expect(error.line == 1)
        #expect(error.column == 8)
    }

    @Test func messagesQuoteAtMostOneByte() throws {
        let secret = String(repeating: "secret", count: 20)
        let error = try #require(parseError("{\"a\": \(secret)}"))
        #expect(!error.message.contains("secret"))
        #expect(!error.message.contains("ecr"))
        #expect(error.description.hasPrefix("unexpected_character: "))
    }

    @Test func depthLimitCountsNestedContainers() {
        let ok = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        #expect((try? JSONParser.parse(ok, options: .init(maxDepth: 5))) != nil)
        let error = parseError(String(repeating: "[", count: 6) + String(repeating: "]", count: 6), maxDepth: 5)
        #expect(error?.code == .tooDeep)
        #expect(error?.byteOffset == 5)
        let objects = String(repeating: "{\"a\":", count: 3) + "1" + String(repeating: "}", count: 3)
        #expect(parseError(objects, maxDepth: 2)?.code == .tooDeep)
        #expect((try? JSONParser.parse(objects, options: .init(maxDepth: 3))) != nil)
        #expect((try? JSONParser.parse("1", options: .init(maxDepth: 0))) == 1)
        #expect(parseError("[]", maxDepth: 0)?.code == .tooDeep)
    }
}

func parseError(_ text: String, maxDepth: Int = 512) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

func parseError(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, options: .init(maxDepth: maxDepth))
        return nil
    } catch {
        return error
    }
}
