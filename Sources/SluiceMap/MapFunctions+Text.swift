import Foundation
import SluiceJSON
import SluiceRegex

extension MapFunctions {
    static let text: [MapFunction] = [
        MapFunction(
            name: "split", parameters: [.p("value", .string), .p("separator", .string), .p("limit", .int, optional: true)],
            returns: .array, fallible: false,
            summary: "The parts of a string between separators (a plain string, not a regex); with `limit`, at most that many parts (the last holds the rest).",
            examples: [("split(\"a|b||c\", \"|\")", "[\"a\",\"b\",\"\",\"c\"]"), ("split(\"k=v=w\", \"=\", 2)", "[\"k\",\"v=w\"]")]
        ) { args throws(FunctionError) in
            let s = try args.string(0), sep = try args.string(1)
            guard !sep.isEmpty else { throw args.fail("the separator is empty", argument: 1) }
            let limit = args.has(2) ? try args.int(2) : Int.max
            guard limit >= 1 else { throw args.fail("limit must be at least 1", argument: 2) }
            let bytes = Array(s.utf8)
            var parts: [JSONValue] = []
            var start = 0
            for hit in ByteSearch(Array(sep.utf8)).occurrences(in: bytes) where parts.count < limit - 1 {
                guard hit >= start else { continue }
                parts.append(.string(String(decoding: bytes[start..<hit], as: UTF8.self)))
                start = hit + sep.utf8.count
            }
            parts.append(.string(String(decoding: bytes[start...], as: UTF8.self)))
            return .array(parts)
        },
        MapFunction(
            name: "join", parameters: [.p("value", .array), .p("separator", .string, optional: true)], returns: .string, fallible: false,
            summary: "The items of an array of strings, numbers or booleans joined with `separator` (default `\"\"`).",
            examples: [("join(.tags, \", \")", "\"news, tech\""), ("join([1, 2, 3])", "\"123\"")]
        ) { args throws(FunctionError) in
            let items = try args.array(0)
            let sep = args.has(1) ? try args.string(1) : ""
            var out = ""
            for (i, item) in items.enumerated() {
                switch item {
                case .string, .number, .bool: break
                default: throw args.fail("item \(i) is \(TypeSet.of(item).name), not a string, number or boolean")
                }
                if i > 0 { out += sep }
                out += MapText.render(item)
                try args.bounded(out.utf8.count)
            }
            return .string(out)
        },
        simple("trim", "The string without white space (and line breaks) at both ends.", ("trim(\"  a b \\n\")", "\"a b\"")) {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        },
        simple("lower", "The string in lower case (Unicode rules, no locale).", ("lower(\"ÉtÉ\")", "\"été\"")) { $0.lowercased() },
        simple("upper", "The string in upper case (Unicode rules, no locale).", ("upper(\"abc\")", "\"ABC\"")) { $0.uppercased() },
        MapFunction(
            name: "replace", parameters: [.p("value", .string), .p("pattern", .string), .p("with", .string)], returns: .string, fallible: false,
            summary: "Replaces every occurrence of a plain string (for regexes: `replace_regex`).",
            examples: [("replace(\"a-b-c\", \"-\", \"+\")", "\"a+b+c\"")]
        ) { args throws(FunctionError) in
            let s = try args.string(0), pattern = try args.string(1), with = try args.string(2)
            guard !pattern.isEmpty else { throw args.fail("the pattern is empty", argument: 1) }
            let bytes = Array(s.utf8), replacement = Array(with.utf8), width = pattern.utf8.count
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var start = 0
            for hit in ByteSearch(Array(pattern.utf8)).occurrences(in: bytes) {
                out.append(contentsOf: bytes[start..<hit])
                out.append(contentsOf: replacement)
                start = hit + width
                try args.bounded(out.count)
            }
            out.append(contentsOf: bytes[start...])
            return .string(String(decoding: out, as: UTF8.self))
        },
        MapFunction(
            name: "slice", parameters: [.p("value", [.string, .array]), .p("start", .int), .p("end", .int, optional: true)],
            returns: [.string, .array], fallible: false,
            summary: "Part of a string (by Unicode scalars) or an array, from `start` up to but not including `end`; negative positions count from the end; out-of-range positions are clamped.",
            examples: [("slice(\"abcdef\", 1, 3)", "\"bc\""), ("slice(\"abcdef\", -2)", "\"ef\""), ("slice(.tags, 0, 1)", "[\"news\"]")]
        ) { args throws(FunctionError) in
            func bounds(_ n: Int) throws(FunctionError) -> Range<Int> {
                func clamp(_ v: Int) -> Int { v < 0 ? max(0, n + v) : min(n, v) }
                let lo = clamp(try args.int(1))
                let hi = args.has(2) ? clamp(try args.int(2)) : n
                return lo..<max(lo, hi)
            }
            switch args.values[0] {
            case .string(let s):
                let scalars = s.unicodeScalars
                let r = try bounds(scalars.count)
                let from = scalars.index(scalars.startIndex, offsetBy: r.lowerBound)
                let to = scalars.index(from, offsetBy: r.count)
                return .string(String(scalars[from..<to]))
            case .array(let a):
                return .array(Array(a[try bounds(a.count)]))
            default: throw args.wrongType(0, "a string or an array")
            }
        },
        MapFunction(
            name: "contains", parameters: [.p("value", [.string, .array]), .p("item", .any)], returns: .bool, fallible: false,
            summary: "Whether a string contains a substring, or an array an item (JSON equality: `1 == 1.0`).",
            examples: [("contains(.title, \"ell\")", "true"), ("contains(.tags, \"sport\")", "false")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .string(let s):
                let needle = try args.string(1)
                return .bool(needle.isEmpty || !ByteSearch(Array(needle.utf8)).occurrences(in: Array(s.utf8)).isEmpty)
            case .array(let a): return .bool(a.contains(args.values[1]))
            default: throw args.wrongType(0, "a string or an array")
            }
        },
        MapFunction(
            name: "starts_with", parameters: [.p("value", .string), .p("prefix", .string)], returns: .bool, fallible: false,
            summary: "Whether the string begins with `prefix`.", examples: [("starts_with(.title, \"He\")", "true")]
        ) { args throws(FunctionError) in .bool(try args.string(0).hasPrefix(try args.string(1))) },
        MapFunction(
            name: "ends_with", parameters: [.p("value", .string), .p("suffix", .string)], returns: .bool, fallible: false,
            summary: "Whether the string ends with `suffix`.", examples: [("ends_with(\"notes.txt\", \".md\")", "false")]
        ) { args throws(FunctionError) in .bool(try args.string(0).hasSuffix(try args.string(1))) },
        MapFunction(
            name: "length", parameters: [.p("value", [.string, .array, .object])], returns: .int, fallible: false,
            summary: "The number of Unicode scalars of a string, items of an array or members of an object.",
            examples: [("length(\"été\")", "3"), ("length(.tags)", "2")]
        ) { args throws(FunctionError) in
            switch args.values[0] {
            case .string(let s): return .number(JSONNumber(s.unicodeScalars.count))
            case .array(let a): return .number(JSONNumber(a.count))
            case .object(let o): return .number(JSONNumber(o.count))
            default: throw args.wrongType(0, "a string, an array or an object")
            }
        },
        MapFunction(
            name: "parse_name_email", parameters: [.p("value", .string)], returns: .object, fallible: true,
            summary: "`{name, email}` from `Ann Lee <ann@x.org>`, `\"Lee, Ann\" <ann@x.org>`, `ann@x.org (Ann Lee)` or a bare address (name null).",
            examples: [("parse_name_email!(\"Ann Lee <ann@x.org>\")", "{\"name\":\"Ann Lee\",\"email\":\"ann@x.org\"}"),
                       ("parse_name_email!(\"ann@x.org\")", "{\"name\":null,\"email\":\"ann@x.org\"}"),
                       ("parse_name_email(\"Ann Lee\") ?? null", "null")]
        ) { args throws(FunctionError) in
            guard let (name, email) = NameEmail.parse(try args.string(0)) else {
                throw args.fail("the string is not a name and e-mail address")
            }
            return .object(JSONObject([("name", name.map { .string($0) } ?? .null), ("email", .string(email))]))
        },
    ]

    /// A string-to-string function that cannot fail.
    static func simple(_ name: String, _ summary: String, _ example: (String, String),
                       _ body: @escaping @Sendable (String) -> String) -> MapFunction {
        MapFunction(name: name, parameters: [.p("value", .string)], returns: .string, fallible: false,
                    summary: summary, examples: [example]) { args throws(FunctionError) in
            .string(body(try args.string(0)))
        }
    }
}

/// `Name <address>` parsing, strict about the address: one `@`, no spaces, a dot-free local
/// part allowed, a domain with no empty labels.
enum NameEmail {
    static func parse(_ raw: String) -> (String?, String)? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = s.lastIndex(of: "<"), s.hasSuffix(">") {
            let email = String(s[s.index(after: open)..<s.index(before: s.endIndex)]).trimmingCharacters(in: .whitespaces)
            var name = String(s[..<open]).trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            guard isAddress(email) else { return nil }
            return (name.isEmpty ? nil : name, email)
        }
        if let open = s.firstIndex(of: "("), s.hasSuffix(")") {
            let email = String(s[..<open]).trimmingCharacters(in: .whitespaces)
            let name = String(s[s.index(after: open)..<s.index(before: s.endIndex)]).trimmingCharacters(in: .whitespaces)
            guard isAddress(email) else { return nil }
            return (name.isEmpty ? nil : name, email)
        }
        return isAddress(s) ? (nil, s) : nil
    }

    static func isAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }) else { return false }
        return !parts[1].split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
    }
}

/// Knuth-Morris-Pratt search over UTF-8 bytes: linear in text plus pattern, whatever both hold.
struct ByteSearch {
    let pattern: [UInt8]
    let failure: [Int]

    init(_ pattern: [UInt8]) {
        self.pattern = pattern
        var f = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in pattern.indices.dropFirst() {
            while k > 0 && pattern[i] != pattern[k] { k = f[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            f[i] = k
        }
        failure = f
    }

    /// Start offsets of the non-overlapping occurrences, left to right.
    func occurrences(in text: [UInt8]) -> [Int] {
        guard !pattern.isEmpty else { return [] }
        var out: [Int] = []
        var k = 0
        for (i, b) in text.enumerated() {
            while k > 0 && b != pattern[k] { k = failure[k - 1] }
            if b == pattern[k] { k += 1 }
            if k == pattern.count {
                out.append(i - k + 1)
                k = 0
            }
        }
        return out
    }
}
