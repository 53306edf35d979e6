import Foundation
import Testing
import SluiceJSON

@Suite struct JSONWriterTests {
    @Test func writesCompactByDefault() {
        let value: JSONValue = ["b": [1, "x", nil, true, false], "a": ["c": [:], "d": []]]
        #expect(JSONWriter.string(value) == #"{"b":[1,"x",null,true,false],"a":{"c":{},"d":[]}}"#)
    }

    @Test func writesPrettyPrinted() {
        let value: JSONValue = ["b": [1, "x"], "a": ["c": [:], "d": []]]
        let expected = """
            {
              "b": [
                1,
                "x"
              ],
              "a": {
                "c": {},
                "d": []
              }
            }
            """
        #expect(JSONWriter.string(value, options: .init(prettyPrinted: true)) == expected)
    }

    @Test func sortsKeysByCodePoint() {
        let value = JSONValue.object(JSONObject([("é", 1), ("b", 2), ("B", 3), ("a", ["z": 1, "y": 2]), ("😀", 4), ("\u{FFFF}", 5)]))
        #expect(JSONWriter.string(value, options: .init(sortedKeys: true)) ==
            "{\"B\":3,\"a\":{\"y\":2,\"z\":1},\"b\":2,\"é\":1,\"\u{FFFF}\":5,\"😀\":4}")
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        var text = "q\"b\\s/"
        for c in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        text += "\u{7F}é"
        let written = JSONWriter.string(.string(text))
        let expected = #""q\"b\\s/\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\u{7F}é\""
        #expect(written == expected)
        #expect(try JSONParser.parse(written) == .string(text))
    }

    /// The writer scans eight bytes at a time; a byte to escape must be caught at any position.
    @Test func escapesAtEveryPositionOfALongString() {
        for position in 0..<20 {
            let pad = String(repeating: "x", count: position)
            let rest = String(repeating: "y", count: 20 - position)
            #expect(JSONWriter.string(.string(pad + "\"" + rest)) == "\"" + pad + "\\\"" + rest + "\"")
            #expect(JSONWriter.string(.string(pad + "\u{1}" + rest)) == "\"" + pad + "\\u0001" + rest + "\"")
            #expect(JSONWriter.string(.string(pad + "é" + rest), options: .init(escapeNonASCII: true)) == "\"" + pad + "\\u00e9" + rest + "\"")
            #expect(JSONWriter.string(.string(pad + "é" + rest)) == "\"" + pad + "é" + rest + "\"")
        }
    }

    @Test func keepsNonASCIIUnlessAskedToEscapeIt() throws {
        let value: JSONValue = ["ключ": "é € 😀 \u{10FFFF}"]
        #expect(JSONWriter.string(value) == "{\"ключ\":\"é € 😀 \u{10FFFF}\"}")
        let ascii = JSONWriter.string(value, options: .init(escapeNonASCII: true))
        #expect(ascii == #"{"\u043a\u043b\u044e\u0447":"\u00e9 \u20ac \ud83d\ude00 \udbff\udfff"}"#)
        #expect(ascii.utf8.allSatisfy { $0 < 0x80 })
        #expect(try JSONParser.parse(ascii) == value)
    }

    @Test func writesNumbersExactly() throws {
        let text = #"[12345678901234567890,1E400,-0.0,0.1,1e-999,-0,2.50,1E+2]"#
        #expect(JSONWriter.string(try JSONParser.parse(text)) == text)
    }

    @Test func appendsToAnExistingBuffer() {
        var buffer = Array("prefix ".utf8)
        JSONWriter.write(["a": 1], into: &buffer)
        JSONWriter.write([true], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix {"a":1}[true]"#)
    }

    @Test func roundTripsKeepKeyOrderNumbersAndEscapes() throws {
        let documents = [
            #"{"z":1,"a":{"y":[1.50,"\u0000\"\\"],"b":null},"m":"\ud83d\ude00 ü"}"#,
            #"[[],{},[{}],"",0,-0,1e5,"\u2028\u2029"]"#,
            #"{"dup":1,"x":2,"dup":3}"#,
        ]
        for document in documents {
            let value = try JSONParser.parse(document)
            for options in [JSONWriter.Options(), .init(escapeNonASCII: true), .init(prettyPrinted: true), .init(sortedKeys: true)] {
                let written = JSONWriter.bytes(value, options: options)
                let reparsed = try JSONParser.parse(written)
                #expect(reparsed == value)
                if !options.sortedKeys { #expect(JSONWriter.bytes(reparsed, options: options) == written) }
                if !options.sortedKeys, case .object(let a) = value, case .object(let b) = reparsed {
                    #expect(a.keys == b.keys)
                }
            }
        }
        #expect(JSONWriter.string(try JSONParser.parse(documents[2])) == #"{"dup":3,"x":2}"#)
    }

    /// Past a nesting of 128 the writer switches from recursion to its explicit stack; both must
    /// write the same text under every option.
    @Test func deepAndShallowPartsAreWrittenAlike() throws {
        var value: JSONValue = ["z": "leaf", "a": [1, "x\n"]]
        for level in 0..<300 { value = level % 3 == 0 ? [value, .null] : ["z": value, "a": .number(JSONNumber(level))] }
        for options in [JSONWriter.Options(), .init(sortedKeys: true), .init(prettyPrinted: true),
                        .init(sortedKeys: true, escapeNonASCII: true, prettyPrinted: true)] {
            let text = JSONWriter.string(value, options: options)
            let reparsed = try JSONParser.parse(text)
            #expect(reparsed == value)
            let orders = JSONPropertyTests.keyOrders(reparsed)
            #expect(orders.allSatisfy { $0 == (options.sortedKeys ? ["a", "z"] : ["z", "a"]) })
            if options.prettyPrinted {
                // Every line is indented by two spaces per open container before it.
                var depth = 0
                for line in text.split(separator: "\n") {
                    let trimmed = line.drop { $0 == " " }
                    if trimmed.first == "]" || trimmed.first == "}" { depth -= 1 }
                    #expect(line.count - trimmed.count == 2 * depth)
                    if trimmed.last == "[" || trimmed.last == "{" { depth += 1 }
                }
                #expect(depth == 0)
                #expect(JSONWriter.string(reparsed, options: .init(sortedKeys: options.sortedKeys)) ==
                    text.split(separator: "\n").map { $0.drop { $0 == " " } }.joined().replacingOccurrences(of: "\": ", with: "\":"))
            }
        }
    }

    /// 100,000 levels would overflow the stack of a recursive writer (the value is then freed,
    /// without recursion too).
    @Test func writesDeepValuesWithoutRecursion() throws {
        let pairs = 50_000
        let text = String(repeating: #"[{"k":"#, count: pairs) + "1" + String(repeating: "}]", count: pairs)
        let value = try JSONParser.parse(text, options: .init(maxDepth: 2 * pairs))
        #expect(JSONWriter.bytes(value) == Array(text.utf8))
    }
}

