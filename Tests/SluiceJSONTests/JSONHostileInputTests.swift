import SluiceCore
import Testing
@testable import SluiceJSON

/// Input built to hurt: deep nesting, huge strings, truncation and random bytes. Each must end in
/// a value or a `JSONParseError`, never a crash or a hang.
@Suite struct JSONHostileInputTests {
    @Test(arguments: [10_000, 100_000, 1_000_000])
    func deepNestingIsRejectedQuickly(depth: Int) {
        var arrays = [UInt8](repeating: UInt8(ascii: "["), count: depth)
        arrays += [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        let error = parseError(arrays)
        #expect(error?.code == .tooDeep)
        #expect(error?.byteOffset == 512)

        var objects: [UInt8] = []
        for _ in 0..<depth { objects += Array(#"{"a":"#.utf8) }
        let objectError = parseError(objects)
        #expect(objectError?.code == .tooDeep)
        #expect(objectError?.byteOffset == 512 * 5)
    }

    @Test func deepNestingWithinARaisedLimitParsesWithoutRecursion() throws {
        let depth = 10_000
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text, options: .init(maxDepth: depth))
        var levels = 0
        while case .array(let inner) = value, let first = inner.first {
            levels += 1
            value = first
        }
        #expect(levels == depth)
        #expect(value == 1)
        #expect(parseError(text, maxDepth: depth - 1)?.code == .tooDeep)
    }

    @Test func unclosedDeepNestingWithinTheLimitEndsCleanly() {
        let text = String(repeating: "[{\"k\":", count: 200)
        #expect(parseError(text)?.code == .unexpectedEnd)
    }

    @Test func fiftyMegabyteString() throws {
        let size = 50 * 1024 * 1024
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: size + 2)
        bytes[0] = UInt8(ascii: "\"")
        bytes[size + 1] = UInt8(ascii: "\"")
        let value = try JSONParser.parse(bytes)
        #expect(value.stringValue?.utf8.count == size)

        // The same with an escape at the very end takes the decoding path.
        bytes[size - 1] = UInt8(ascii: "\\")
        bytes[size] = UInt8(ascii: "n")
        let escaped = try JSONParser.parse(bytes)
        #expect(escaped.stringValue?.utf8.count == size - 1)
        #expect(escaped.stringValue?.hasSuffix("a\n") == true)

        bytes.removeLast()
        #expect(parseError(bytes)?.code == .unexpectedEnd)
    }

    @Test func everyPrefixOfADocumentIsRejected() throws {
        let document = """
            {"id": "doc-1", "title": "Caf\\u00e9 \\ud83d\\ude00 ü", "n": [-0.5e+3, 0, 12, true, false, null],
             "nested": {"a": [{}, [], {"b": "\\"\\\\\\/\\b\\f\\n\\r\\t"}], "c": 1E400}, "s": "日本"}
            """
        let bytes = Array(document.utf8)
        let full = try JSONParser.parse(bytes)
        #expect(full["nested"]?["c"]?.numberValue?.text == "1E400")
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            // A prefix that ends right after a complete number inside the top-level object is
            // still incomplete (the object is open), so every prefix must fail.
            let error = parseError(prefix)
            #expect(error != nil, "prefix of \(length) bytes was accepted")
            if let error {
                #expect(error.byteOffset <= length)
                #expect([.unexpectedEnd, .empty].contains(error.code), "prefix \(length): \(error)")
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED_1234)
        let alphabet = Array(#"{}[],:"\ 0123456789-+.eEtrufalsn\u"#.utf8) + [0x0A, 0xC3, 0xA9, 0xED, 0xA0, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x00]
        var accepted = 0
        var rejected = 0
        for round in 0..<4000 {
            let length = Int(rng.next() % 64)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let r = rng.next()
                bytes.append(round % 2 == 0 ? UInt8(truncatingIfNeeded: r) : alphabet[Int(r % UInt64(alphabet.count))])
            }
            do {
                let value = try JSONParser.parse(bytes, options: .init(maxDepth: 8))
                accepted += 1
                // Whatever parses must survive a round trip.
                #expect(try JSONParser.parse(JSONWriter.bytes(value)) == value)
            } catch {
                rejected += 1
                #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count)
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        print("random bytes: \(accepted) accepted, \(rejected) rejected")
        #expect(accepted > 5, "the alphabet rounds must also produce valid documents, so the round trip is exercised")
    }

    @Test func mutatedValidDocumentsNeverCrash() throws {
        var rng = SplitMix64(seed: 42)
        let seed = Array(#"{"a": [1, 2.5e-3, "x\u00e9y", {"b": null}], "c": "héllo", "d": true}"#.utf8)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<(1 + rng.next() % 3) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                }
                if bytes.isEmpty { break }
            }
            if let value = try? JSONParser.parse(bytes) {
                accepted += 1
                #expect(try JSONParser.parse(JSONWriter.bytes(value)) == value)
            }
        }
        print("mutated documents: \(accepted) of 3000 still valid")
        #expect(accepted > 0 && accepted < 3000)
    }
}
