import Foundation
import SluiceJSON
@testable import SluiceMap
import Testing

/// Bad input (issue 13): a 10 MB string, an array of two million items and an object of
/// 200,000 members through every function. Each call ends (with a value or a failure the
/// mapping handles); none crashes or runs away. The work is linear by construction (see
/// `MapFunction`); this sweep is what keeps it so when a function is added.
///
/// In a debug build the sweep takes about 50 s of one core (measured 2026-12-08): the regex
/// functions search from every one of the 10 million positions in the unoptimised backtracking
/// machine (`capture` and `replace_regex` about 10 s each), `split`, `replace` and `contains`
/// walk the string scalar by scalar (4 to 6 s each). Each is one linear pass over the input (no
/// function was found quadratic); the time is the debug build's.
@Suite struct HugeValueTests {
    static let big = String(repeating: "ab|c ", count: 2_000_000) // 10 MB

    static let record: JSONValue = .object(JSONObject([
        ("s", .string(big)),
        ("list", .array(big.split(separator: "|").map { .string(String($0)) })),
        ("object", .object(JSONObject((0..<200_000).map { ("k\($0)", .number(JSONNumber($0))) }))),
    ]))

    /// A call of `function` with the huge value of its first parameter's type first and small
    /// values for the rest.
    static func call(_ function: MapFunction) -> String? {
        guard let first = function.parameters.first else { return nil }
        let huge: String
        if first.types.contains(.string) { huge = ".s" } else if first.types.contains(.array) { huge = ".list" } else { huge = ".object" }
        let rest = function.parameters.dropFirst().filter { !$0.optional }.map { p -> String in
            if p.isRegex { return "r'c $'" }
            if p.types.contains(.string) { return "\"|\"" }
            if p.types.contains(.int) { return "1" }
            if p.types.contains(.object) { return "{\"a\": 1}" }
            return "\"x\""
        }
        let text = "\(function.name)(\(([huge] + rest).joined(separator: ", ")))"
        return function.fallible ? "(\(text) ?? null)" : text
    }

    @Test func everyFunctionTakesHugeValues() throws {
        var lines: [String] = []
        for function in MapFunctions.all {
            guard let call = Self.call(function) else { continue }
            lines.append(".r_\(function.name) = length(to_string(\(call)))")
        }
        lines.append(".count_split = length(split(.s, \"|\"))")
        lines.append(".count_replace = length(replace(.s, \"|\", \"--\"))")
        lines.append(".count_slice = length(slice(.s, 5, -5))")
        let program = try MapProgram(source: lines.joined(separator: "\n"))
        let r = try program.run(Self.record, metadata: MapHarness.metadata, now: MapHarness.now)
        for function in MapFunctions.all where !function.parameters.isEmpty {
            #expect(r.value["r_" + function.name] != nil, "\(function.name) gave nothing")
        }
        #expect(r.value["r_upper"] == .number(JSONNumber(10_000_000)))
        #expect(r.value["r_sha256"] == 64)
        #expect(r.value["r_match"] == 4, "match(.s, r'c $') is true (rendered as 4 characters)")
        #expect(r.value["count_split"] == 2_000_001)
        #expect(r.value["count_replace"] == .number(JSONNumber(12_000_000)))
        #expect(r.value["count_slice"] == .number(JSONNumber(9_999_990)))
    }
}
