import Foundation
import SluiceJSON
import SluiceRegex

extension MapFunctions {
    // MARK: regexes (the project's bounded ECMA engine; patterns compiled at load time)

    static let regexes: [MapFunction] = [
        MapFunction(
            name: "match", parameters: [.p("value", .string), .regex()], returns: .bool, fallible: false,
            summary: "Whether the regex matches anywhere in the string (ECMA-262 syntax, unicode mode; anchor with `^…$`).",
            examples: [("match(\"art-x81k\", r'^art-[a-z0-9]+$')", "true")]
        ) { args throws(FunctionError) in
            guard let re = args.regex else { throw args.fail("no pattern") }
            do { return .bool(try re.isMatch(in: try args.string(0))) } catch { throw args.fail("the regex needed too many steps on this string") }
        },
        MapFunction(
            name: "capture", parameters: [.p("value", .string), .regex()], returns: .object, fallible: true,
            summary: "The groups of the first match as an object: named groups by name, the others by number (`\"1\"`); fails when nothing matches.",
            examples: [("capture!(\"art-x81k.txt\", r'^(?<kind>[a-z]+)-(?<id>[a-z0-9]+)')", "{\"kind\":\"art\",\"id\":\"x81k\"}"),
                       ("capture(\"v2\", r'v(\\d+)') ?? {}", "{\"1\":\"2\"}")]
        ) { args throws(FunctionError) in
            guard let re = args.regex else { throw args.fail("no pattern") }
            let s = try args.string(0)
            let scalars = s.unicodeScalars.map(\.value)
            var budget = ECMARegex.defaultBudget(forLength: scalars.count)
            let found: RegexMatch?
            do { found = try scalars.withUnsafeBufferPointer { buffer throws(RegexBudgetExceeded) in try re.firstMatch(in: buffer, from: 0, budget: &budget) } }
            catch { throw args.fail("the regex needed too many steps on this string") }
            guard let m = found else { throw args.fail("the regex does not match") }
            var names = [Int: String]()
            for (name, k) in re.groupNames { names[k] = name }
            var out = JSONObject()
            for (i, g) in m.groups.enumerated() {
                let value: JSONValue = g.map { .string(MapRegexText.string(scalars[$0])) } ?? .null
                out[names[i + 1] ?? String(i + 1)] = value
            }
            return .object(out)
        },
        MapFunction(
            name: "replace_regex", parameters: [.p("value", .string), .regex(), .p("with", .string)], returns: .string, fallible: false,
            summary: "Replaces every match; `$1` and `$<name>` in `with` insert groups, `$$` a dollar sign.",
            examples: [("replace_regex(\"a1b22\", r'\\d+', \"#\")", "\"a#b#\""), ("replace_regex(\"Lee, Ann\", r'^(\\w+), (\\w+)$', \"$2 $1\")", "\"Ann Lee\"")]
        ) { args throws(FunctionError) in
            guard let re = args.regex else { throw args.fail("no pattern") }
            let scalars = try args.string(0).unicodeScalars.map(\.value)
            let with = try args.string(2)
            var budget = ECMARegex.defaultBudget(forLength: scalars.count)
            var out: [UInt32] = []
            out.reserveCapacity(scalars.count)
            do {
                try scalars.withUnsafeBufferPointer { buffer throws(RegexBudgetExceeded) in
                    var pos = 0, copied = 0
                    while pos <= buffer.count, let m = try re.firstMatch(in: buffer, from: pos, budget: &budget) {
                        out.append(contentsOf: buffer[copied..<m.range.lowerBound])
                        MapRegexText.expand(with, match: m, names: re.groupNames, input: buffer, into: &out)
                        copied = m.range.upperBound
                        pos = m.range.isEmpty ? m.range.upperBound + 1 : m.range.upperBound
                        if out.count > MapLimits.maxValueBytes { break }
                    }
                    out.append(contentsOf: buffer[min(copied, buffer.count)...])
                }
            } catch { throw args.fail("the regex needed too many steps on this string") }
            try args.bounded(out.count)
            return .string(MapRegexText.string(out[...]))
        },
    ]

    // MARK: arrays and objects

    static let collections: [MapFunction] = [
        MapFunction(name: "keys", parameters: [.p("value", .object)], returns: .array, fallible: false,
                    summary: "The member names of an object, in order.", examples: [("keys({\"a\": 1, \"b\": 2})", "[\"a\",\"b\"]")]
        ) { args throws(FunctionError) in .array(try args.object(0).keys.map { .string($0) }) },
        MapFunction(name: "values", parameters: [.p("value", .object)], returns: .array, fallible: false,
                    summary: "The member values of an object, in order.", examples: [("values({\"a\": 1, \"b\": 2})", "[1,2]")]
        ) { args throws(FunctionError) in .array(try args.object(0).values) },
        MapFunction(name: "merge", parameters: [.p("value", .object), .p("other", .object)], returns: .object, fallible: false,
                    summary: "The first object with the members of the second added (the second wins; shallow).",
                    examples: [("merge({\"a\": 1, \"b\": 1}, {\"b\": 2})", "{\"a\":1,\"b\":2}")]
        ) { args throws(FunctionError) in
            var o = try args.object(0)
            for (k, v) in try args.object(1) { o[k] = v }
            return .object(o)
        },
        MapFunction(name: "compact", parameters: [.p("value", [.array, .object])], returns: [.array, .object], fallible: false,
                    summary: "The value without null, `\"\"`, `[]` and `{}` members and items, at every level.",
                    examples: [("compact({\"a\": null, \"b\": \"\", \"c\": [1, null], \"d\": {}})", "{\"c\":[1]}")]
        ) { args throws(FunctionError) in Collections.compact(args.values[0]) ?? (args.values[0].arrayValue != nil ? .array([]) : .object(JSONObject())) },
        MapFunction(name: "flatten", parameters: [.p("value", [.array, .object])], returns: [.array, .object], fallible: false,
                    summary: "Nested arrays as one array; nested objects as one object with dotted names (`{\"a\": {\"b\": 1}}` → `{\"a.b\": 1}`).",
                    examples: [("flatten([1, [2, [3]]])", "[1,2,3]"), ("flatten({\"a\": {\"b\": 1}, \"c\": 2})", "{\"a.b\":1,\"c\":2}")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .array(let a):
                var out: [JSONValue] = []
                Collections.flatten(a, into: &out)
                return .array(out)
            case .object(let o):
                var out = JSONObject()
                Collections.flatten(o, prefix: "", into: &out)
                return .object(out)
            default: throw args.wrongType(0, "an array or an object")
            }
        },
        MapFunction(name: "unique", parameters: [.p("value", .array)], returns: .array, fallible: false,
                    summary: "The array without repeated items (the first of each is kept, JSON equality).",
                    examples: [("unique([\"a\", \"b\", \"a\", 1, 1.0])", "[\"a\",\"b\",1]")]
        ) { args throws(FunctionError) in
            var seen = Set<JSONValue>()
            return .array(try args.array(0).filter { seen.insert($0).inserted })
        },
    ]
}

/// Helpers over containers; recursion is bounded by the value's depth, which readers limit.
enum Collections {
    static func isEmptyish(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return false
        }
    }

    /// nil when the value itself ends up empty.
    static func compact(_ v: JSONValue) -> JSONValue? {
        switch v {
        case .array(let a):
            var items: [JSONValue] = []
            for item in a { if let c = compactValue(item) { items.append(c) } }
            if items.isEmpty { return Optional.none }
            return .array(items)
        case .object(let o):
            var members: [(String, JSONValue)] = []
            for (k, member) in o.members { if let c = compactValue(member) { members.append((k, c)) } }
            if members.isEmpty { return Optional.none }
            return .object(JSONObject(members))
        default:
            // (`nil` in a ternary would become JSONValue.null: JSONValue is nil-literal expressible.)
            if isEmptyish(v) { return Optional.none }
            return v
        }
    }

    private static func compactValue(_ v: JSONValue) -> JSONValue? { compact(v) }

    static func flatten(_ a: [JSONValue], into out: inout [JSONValue]) {
        for item in a {
            if case .array(let inner) = item { flatten(inner, into: &out) } else { out.append(item) }
        }
    }

    static func flatten(_ o: JSONObject, prefix: String, into out: inout JSONObject) {
        for (k, v) in o {
            if case .object(let inner) = v, !inner.isEmpty { flatten(inner, prefix: prefix + k + ".", into: &out) } else { out[prefix + k] = v }
        }
    }
}

/// Scalars back to strings, and replacement templates.
enum MapRegexText {
    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == UInt32 {
        var s = String.UnicodeScalarView()
        for v in scalars { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
    }

    /// Appends `template` with `$1`, `$<name>` and `$$` expanded.
    static func expand(_ template: String, match: RegexMatch, names: [String: Int], input: UnsafeBufferPointer<UInt32>, into out: inout [UInt32]) {
        let t = Array(template.unicodeScalars.map(\.value))
        var i = 0
        func group(_ k: Int) {
            guard k >= 1, k <= match.groups.count, let r = match.groups[k - 1] else { return }
            out.append(contentsOf: input[r])
        }
        while i < t.count {
            let c = t[i]
            guard c == 36, i + 1 < t.count else { out.append(c); i += 1; continue } // $
            let n = t[i + 1]
            if n == 36 { out.append(36); i += 2; continue }
            if n >= 48 && n <= 57 {
                var k = 0, j = i + 1
                while j < t.count, t[j] >= 48, t[j] <= 57, j - i <= 2 { k = k * 10 + Int(t[j] - 48); j += 1 }
                group(k)
                i = j
                continue
            }
            if n == 60, let close = t[(i + 2)...].firstIndex(of: 62) { // $<name>
                let name = string(t[(i + 2)..<close])
                if let k = names[name] { group(k) }
                i = close + 1
                continue
            }
            out.append(c)
            i += 1
        }
    }
}
