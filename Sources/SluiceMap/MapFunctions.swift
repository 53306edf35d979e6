import Foundation
import SluiceCore
import SluiceJSON

/// The function library: one list, looked up by name when a mapping is loaded.
enum MapFunctions {
    static let all: [MapFunction] = conversions + timestamps + text + regexes + collections + predicates

    private static let byName: [String: MapFunction] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    static var names: [String] { all.map(\.name) }

    static func named(_ name: String) -> MapFunction? { byName[name] }

    /// `did you mean 'to_int'?` for a misspelt or over-long name (`to_integer`).
    static func suggestion(for name: String) -> String? {
        if let close = Suggestion.closest(to: name, among: names) { return "did you mean '\(close)'?" }
        let lower = name.lowercased()
        if let prefix = names.filter({ $0.count >= 4 && (lower.hasPrefix($0) || $0.hasPrefix(lower)) }).max(by: { $0.count < $1.count }) {
            return "did you mean '\(prefix)'?"
        }
        return nil
    }

    // MARK: conversions

    static let conversions: [MapFunction] = [
        MapFunction(
            name: "to_int", parameters: [.p("value", [.int, .float, .string, .bool])], returns: .int, fallible: true,
            summary: "An integer from an integer, an integral float, a boolean (1/0) or a string of digits (surrounding spaces ignored).",
            examples: [("to_int!(\"42\")", "42"), ("to_int(\" 7 \") ?? 0", "7"), ("to_int(\"4x\") ?? -1", "-1"), ("to_int!(3.0)", "3")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .number(let n):
                if let i = n.intValue { return .number(JSONNumber(i)) }
                let d = n.doubleValue
                guard d == d.rounded(), let i = Int(exactly: d) else { throw args.fail("the number has a fraction or is out of range") }
                return .number(JSONNumber(i))
            case .bool(let b): return .number(JSONNumber(b ? 1 : 0))
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces)
                guard let i = Int(t) else { throw args.fail("the string is not an integer") }
                return .number(JSONNumber(i))
            default: throw args.wrongType(0, "an integer, float, boolean or string")
            }
        },
        MapFunction(
            name: "to_float", parameters: [.p("value", [.int, .float, .string, .bool])], returns: .float, fallible: true,
            summary: "A number from a number, a boolean or a decimal string (`1.5`, `-2e3`).",
            examples: [("to_float!(\"2.5\")", "2.5"), ("to_float(\"n/a\") ?? 0", "0")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .number(let n): return .number(n)
            case .bool(let b): return .number(JSONNumber(b ? 1.0 : 0.0))
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces)
                guard let n = JSONNumber(text: t) ?? (Double(t).flatMap { $0.isFinite ? JSONNumber($0) : nil }), !t.isEmpty,
                      !t.lowercased().contains("n") else { throw args.fail("the string is not a number") }
                return .number(n)
            default: throw args.wrongType(0, "a number, boolean or string")
            }
        },
        MapFunction(
            name: "to_bool", parameters: [.p("value", [.bool, .int, .float, .string])], returns: .bool, fallible: true,
            summary: "A boolean from a boolean, a number (0 is false) or one of `true false yes no on off 1 0` (any case).",
            examples: [("to_bool!(\"Yes\")", "true"), ("to_bool!(0)", "false"), ("to_bool(\"maybe\") ?? false", "false")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .bool(let b): return .bool(b)
            case .number(let n): return .bool(n.doubleValue != 0)
            case .string(let s):
                switch s.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true", "yes", "on", "1", "y", "t": return .bool(true)
                case "false", "no", "off", "0", "n", "f": return .bool(false)
                default: throw args.fail("the string is not a boolean word")
                }
            default: throw args.wrongType(0, "a boolean, number or string")
            }
        },
        MapFunction(
            name: "to_string", parameters: [.p("value", .any)], returns: .string, fallible: false,
            summary: "Text of any value: strings as they are, numbers as written, `true`/`false`, null as `\"\"`, arrays and objects as JSON.",
            examples: [("to_string(12)", "\"12\""), ("to_string(null)", "\"\""), ("to_string([1, \"a\"])", "\"[1,\\\"a\\\"]\"")]
        ) { args throws(FunctionError) in
            .string(MapText.render(args.values[0]))
        },
        MapFunction(
            name: "sha256", parameters: [.p("value", .string)], returns: .string, fallible: false,
            summary: "The SHA-256 of the string's UTF-8 bytes, lowercase hex.",
            examples: [("sha256(\"abc\")", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")]
        ) { args throws(FunctionError) in
            .string(ContentHash.sha256Hex(try args.string(0)))
        },
        MapFunction(
            name: "coalesce", parameters: [.p("value", .any), .p("values", .any)], variadic: true, returns: .any, fallible: false,
            summary: "The first argument that is not null (null when all are).",
            examples: [("coalesce(.missing, .title, \"x\")", "\"Hello\"")]
        ) { args throws(FunctionError) in
            args.values.first { !$0.isNull } ?? .null
        },
    ]

    // MARK: timestamps

    static let timestamps: [MapFunction] = [
        MapFunction(
            name: "parse_timestamp", parameters: [.p("value", .string), .p("format", .string, optional: true)], returns: .string, fallible: true,
            summary: "A timestamp as RFC 3339 in UTC. Without a format: RFC 3339, RFC 2822 or `%Y-%m-%d`; with one, strftime-style (`%Y %m %d %H %M %S %y %e %b %B %a %A %F %T %f %s %z %Z %%`). No zone means UTC.",
            examples: [("parse_timestamp!(\"2024-03-05\")", "\"2024-03-05T00:00:00Z\""),
                       ("parse_timestamp!(\"Tue, 05 Mar 2024 14:07:00 +0100\")", "\"2024-03-05T13:07:00Z\""),
                       ("parse_timestamp!(\"05/03/2024 14:07\", \"%d/%m/%Y %H:%M\")", "\"2024-03-05T14:07:00Z\""),
                       ("parse_timestamp!(\"2024-03-05T14:07:00.250+02:00\")", "\"2024-03-05T12:07:00.25Z\"")]
        ) { args throws(FunctionError) in
            let text = try args.string(0)
            let parsed = args.has(1) ? TimestampParser.parse(text, format: try args.string(1)) : TimestampParser.parse(text)
            guard let ts = parsed else { throw args.fail(args.has(1) ? "the string does not match the format" : "the string is not an RFC 3339, RFC 2822 or %Y-%m-%d timestamp") }
            return .string(ts.rfc3339)
        },
        MapFunction(
            name: "format_timestamp", parameters: [.p("value", .string), .p("format", .string)], returns: .string, fallible: true,
            summary: "Formats an RFC 3339 timestamp (as `parse_timestamp` returns) with a strftime-style format, in UTC.",
            examples: [("format_timestamp!(\"2024-03-05T14:07:00Z\", \"%d %b %Y\")", "\"05 Mar 2024\"")]
        ) { args throws(FunctionError) in
            guard let ts = TimestampParser.parse(try args.string(0), format: "%Y-%m-%dT%H:%M:%S%z") else {
                throw args.fail("the value is not an RFC 3339 timestamp with a zone")
            }
            return .string(ts.format(try args.string(1)))
        },
        MapFunction(
            name: "now", parameters: [], returns: .string, fallible: false,
            summary: "The run's clock as RFC 3339 in UTC (the injected clock: tests fix it).",
            examples: [("now()", "\"2026-01-02T03:04:05Z\"")]
        ) { args throws(FunctionError) in
            .string(MapTimestamp(date: args.now).rfc3339)
        },
    ]

    // MARK: predicates

    static let predicates: [MapFunction] = {
        let kinds: [(String, TypeSet, String)] = [
            ("is_null", .null, "null (a missing field reads as null)"), ("is_string", .string, "a string"),
            ("is_int", .int, "an integer"), ("is_float", .float, "a number with a fraction"),
            ("is_number", .number, "a number"), ("is_bool", .bool, "a boolean"),
            ("is_array", .array, "an array"), ("is_object", .object, "an object"),
        ]
        var list = kinds.map { name, type, words in
            MapFunction(name: name, parameters: [.p("value", .any)], returns: .bool, fallible: false,
                        summary: "Whether the value is \(words).",
                        examples: [("\(name)(.title)", type == .string ? "true" : "false")]) { args throws(FunctionError) in
                .bool(type.contains(TypeSet.of(args.values[0])))
            }
        }
        list.append(MapFunction(
            name: "is_empty", parameters: [.p("value", .any)], returns: .bool, fallible: false,
            summary: "Whether the value is null, `\"\"`, `[]` or `{}` (strings of only white space count as empty).",
            examples: [("is_empty(\"  \")", "true"), ("is_empty(.tags)", "false")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .null: return .bool(true)
            case .string(let s): return .bool(s.allSatisfy(\.isWhitespace))
            case .array(let a): return .bool(a.isEmpty)
            case .object(let o): return .bool(o.isEmpty)
            default: return .bool(false)
            }
        })
        return list
    }()
}

/// Rendering values as text (`to_string`, interpolation, `join`).
enum MapText {
    static func render(_ v: JSONValue) -> String {
        switch v {
        case .null: return ""
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .array, .object: return JSONWriter.string(v)
        }
    }
}
