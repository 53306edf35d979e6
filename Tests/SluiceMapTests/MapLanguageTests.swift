import Foundation
import Testing
import SluiceJSON
@testable import SluiceMap

/// Runs mappings over records and checks values, diagnostics and failures.
enum MapHarness {
    static let now = Date(timeIntervalSince1970: 1_767_323_045) // 2026-01-02T03:04:05Z
    static let metadata = MapMetadata(input: "notes", uri: "notes/art-x81k.txt.gz", line: 3, index: 2, kind: "record", id: "notes:art")

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    static func run(_ source: String, on record: String = "{}") throws -> MapResult {
        let program = try MapProgram(source: source)
        return try program.run(try json(record), metadata: metadata, now: now)
    }

    static func value(_ source: String, on record: String = "{}") throws -> JSONValue {
        try run(source, on: record).value
    }

    /// The diagnostics of a mapping that must not load.
    static func diagnostics(_ source: String) -> [MapDiagnostic] {
        do {
            _ = try MapProgram(source: source)
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func failure(_ source: String, on record: String = "{}") throws -> MapFailure? {
        let program = try MapProgram(source: source)
        let value = try json(record)
        do {
            _ = try program.run(value, metadata: metadata, now: now)
            return nil
        } catch {
            return error
        }
    }
}

@Suite struct MapLanguageTests {
    @Test func pathsAssignmentsAndParents() throws {
        let v = try MapHarness.value("""
            .author.name = .author_name
            .author.email = .author_email
            del(.author_name)
            del(.author_email)
            .first = .tags[0]
            .last = .tags[-1]
            ."@id" = "x"
            .list[0] = 1
            .list[1] = 2
            .count = to_int!(.count)
            """, on: #"{"author_name": "Ann", "author_email": "ann@x.org", "tags": ["a", "b", "c"], "count": "3"}"#)
        #expect(v == (try MapHarness.json(#"""
            {"tags": ["a","b","c"], "count": 3, "author": {"name": "Ann", "email": "ann@x.org"},
             "first": "a", "last": "c", "@id": "x", "list": [1, 2]}
            """#)))
    }

    @Test func changedPointersAreReportedWithoutValues() throws {
        let r = try MapHarness.run(".a.b = 1\n.a.b = 2\ndel(.x)\ndel(.missing)\n.\"s/t\" = 3", on: #"{"x": 1}"#)
        #expect(r.set == ["/a/b", "/s~1t"])
        #expect(r.removed == ["/x"])
    }

    @Test func operatorsConditionalsAndInterpolation() throws {
        let v = try MapHarness.value("""
            .sum = 1 + 2 * 3
            .ratio = 7 / 2
            .neg = -.n
            .both = .n > 1 && !(.s == "x") || false
            .name = "{{ .s }}-{{ .n + 1 }}"
            .size = if .n >= 10 { "big" } else if .n >= 5 { "mid" } else { "small" }
            .greeting = "hi" + " " + .s
            .d = .missing ?? "default"
            x = .n * 2
            .x = x
            """, on: #"{"n": 5, "s": "y"}"#)
        #expect(v == (try MapHarness.json(#"""
            {"n": 5, "s": "y", "sum": 7, "ratio": 3.5, "neg": -5, "both": true, "name": "y-6", "size": "mid",
             "greeting": "hi y", "d": "default", "x": 10}
            """#)))
    }

    @Test func metadataIsReadOnlyAndComplete() throws {
        let v = try MapHarness.value("""
            .a = [%input, %uri, %path, %file_name, %file_stem, %line, %index, %fetched_at, %source_charset, %kind, %id]
            """)
        #expect(v == (try MapHarness.json(#"""
            {"a": ["notes", "notes/art-x81k.txt.gz", "notes/art-x81k.txt.gz", "art-x81k.txt.gz", "art-x81k", 3, 2, null, null, "record", "notes:art"]}
            """#)))
        #expect(MapHarness.diagnostics("%path = 1").first?.code == "syntax")
        #expect(MapHarness.diagnostics(".a = %file_stemm").first?.hint == "did you mean '%file_stem'?")
    }

    @Test func unknownFunctionsSuggestTheClosestName() throws {
        let d = MapHarness.diagnostics(".a = 1\n.x = to_integer(.y)")
        #expect(d.count == 1)
        #expect(d.first?.code == "unknown_function")
        #expect(d.first?.message == "unknown function 'to_integer'")
        #expect(d.first?.hint == "did you mean 'to_int'?")
        #expect(MapPosition(offset: d[0].offset, in: ".a = 1\n.x = to_integer(.y)") == MapPosition(line: 2, column: 6))
        #expect(MapHarness.diagnostics(".x = uper(.y)").first?.hint == "did you mean 'upper'?")
    }

    @Test func loadTimeErrorsAreAllReported() throws {
        let d = MapHarness.diagnostics("""
            .a = upper(1)
            .b = split(.x)
            .c = to_int(.x)
            .d = match(.x, "(")
            .e = match(.x, .pattern)
            .f = upper!(.x)
            .g = "a" - 1
            .h = if 3 { 1 }
            """)
        #expect(d.map(\.code) == ["type_error", "arity", "unhandled_error", "invalid_regex", "regex_not_literal",
                                  "needless_abort", "type_error", "type_error"])
        #expect(d[0].message == "argument 'value' of upper must be string, not integer")
        #expect(d[2].hint?.contains("to_int!(…)") == true)
    }

    @Test func syntaxErrorsRecoverAtTheNextLine() throws {
        let d = MapHarness.diagnostics(".a = (1\n.b = \"open\n.c = 1 +\n.d = 1 < 2 < 3")
        // The unfinished `.c = 1 +` reads on into the next line, so lines 3 and 4 give one error.
        #expect(d.count == 3)
        #expect(d.allSatisfy { $0.code == "syntax" })
    }

    @Test func deepPathsAndNestingAreRefusedAtLoad() throws {
        let deep = "." + Array(repeating: "a", count: 10_000).joined(separator: ".") + " = 1"
        #expect(MapHarness.diagnostics(deep).first?.code == "path_too_deep")
        let nested = ".a = " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(MapHarness.diagnostics(nested).first?.code == "too_deep")
        let arrays = ".a = " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(MapHarness.diagnostics(arrays).first?.code == "too_deep")
    }

    @Test func runtimeFailuresNameTheFieldAndTheExpectedType() throws {
        let f = try #require(try MapHarness.failure(".a = 1\n.b = upper(.n)", on: #"{"n": 5}"#))
        #expect(f.message == "argument 'value' of upper must be a string, not integer")
        #expect(f.pointer == "/n")
        #expect(MapPosition(offset: f.offset, in: ".a = 1\n.b = upper(.n)") == MapPosition(line: 2, column: 6))
        let g = try #require(try MapHarness.failure(".id = to_int!(.id)", on: #"{"id": "abc"}"#))
        #expect(g.message == "to_int: the string is not an integer")
        #expect(g.pointer == "/id")
        #expect(try MapHarness.failure(".x = 1 / 0") != nil)
        #expect(try MapHarness.failure(".x = 9223372036854775807 + 1") != nil)
        #expect(try MapHarness.failure(".s.t = 1", on: #"{"s": "text"}"#)?.message == "cannot set field 't' inside string")
        #expect(try MapHarness.failure("if .s { .a = 1 }", on: #"{"s": "text"}"#)?.pointer == "/s")
    }

    @Test func defaultsCatchFailuresAndNulls() throws {
        let v = try MapHarness.value(".a = to_int(.x) ?? 0\n.b = upper(.n) ?? \"none\"\n.c = .missing ?? .x", on: #"{"x": "no", "n": 1}"#)
        #expect(v == (try MapHarness.json(#"{"x": "no", "n": 1, "a": 0, "b": "none", "c": "no"}"#)))
    }

    @Test func growingValuesAreCapped() throws {
        var source = ".s = \"0123456789abcdef\"\n"
        for _ in 0..<30 { source += ".s = .s + .s\n" }
        let f = try #require(try MapHarness.failure(source))
        #expect(f.message.contains("larger than"))
    }

    @Test func everyFunctionExampleHolds() throws {
        let record = Self.exampleRecord
        for function in MapFunctions.all {
            #expect(!function.examples.isEmpty, "\(function.name) has no example")
            for (expression, expected) in function.examples {
                let result = try MapHarness.value(".result = " + expression, on: record)
                #expect(result["result"] == (try MapHarness.json(expected)), "\(expression) gave \(JSONWriter.string(result["result"] ?? .null))")
            }
        }
    }

    /// The record the function examples (and docs/mapping.md's function table) run against.
    static let exampleRecord = #"{"title": "Hello", "tags": ["news", "tech"]}"#

    @Test func timestampsParseAndFormatInUTC() throws {
        #expect(TimestampParser.parse("2024-02-30") == nil)
        #expect(TimestampParser.parse("1999-12-31T23:59:60Z")?.rfc3339 == "1999-12-31T23:59:59Z")
        #expect(TimestampParser.parse("1969-07-20T20:17:40Z")?.seconds == -14_182_940)
        #expect(TimestampParser.parse("2024-03-05T14:07:00Z")?.format("%A %j %y %e") == "Tuesday 065 24  5")
        #expect(TimestampParser.parse("Mon, 4 Mar 2024 08:00 EST")?.rfc3339 == "2024-03-04T13:00:00Z")
        #expect(TimestampParser.parse("1700000000", format: "%s")?.rfc3339 == "2023-11-14T22:13:20Z")
    }
}
