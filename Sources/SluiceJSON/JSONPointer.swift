/// A JSON Pointer (RFC 6901): `/author/name`, `/tags/0`, `` (the whole document).
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public var tokens: [String]

    public init(tokens: [String]) { self.tokens = tokens }

    /// The root pointer (``), which selects the whole document.
    public static let root = JSONPointer(tokens: [])

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "invalid JSON Pointer '\(text)': \(reason)" }
    }

    /// Parses RFC 6901 text: empty, or `/`-separated tokens with `~0` for `~` and `~1` for `/`.
    ///
    /// Works on Unicode scalars, not Characters, so a `/` or `~` followed by a combining mark is
    /// still a separator or an escape.
    public init(parsing text: String) throws(ParseError) {
        if text.isEmpty { tokens = []; return }
        guard text.utf8.first == UInt8(ascii: "/") else {
            throw ParseError(text: text, reason: "a pointer starts with '/'")
        }
        var result: [String] = []
        var token = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.dropFirst().makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "/":
                result.append(String(token))
                token = String.UnicodeScalarView()
            case "~":
                switch scalars.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw ParseError(text: text, reason: "'~' must be followed by 0 or 1")
                }
            default:
                token.append(scalar)
            }
        }
        result.append(String(token))
        tokens = result
    }

    /// The pointer as RFC 6901 text.
    public var description: String {
        var text = String.UnicodeScalarView()
        for token in tokens {
            text.append("/")
            for scalar in token.unicodeScalars {
                switch scalar {
                case "~": text.append(contentsOf: "~0".unicodeScalars)
                case "/": text.append(contentsOf: "~1".unicodeScalars)
                default: text.append(scalar)
                }
            }
        }
        return String(text)
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens: tokens + [String(index)]) }

    /// The value this pointer selects in `document`, or nil.
    public func get(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(token), i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    public enum SetError: Error, Sendable, Equatable {
        /// A parent along the path is missing or not a container.
        case noParent(String)
        case badIndex(String)
    }

    /// Sets the value at this pointer. Objects along the way must exist, except the last
    /// token's parent object which gains the member; `-` appends to an array.
    public func set(_ value: JSONValue, in document: inout JSONValue) throws(SetError) {
        try JSONPointer.set(value, tokens[...], in: &document, full: description)
    }

    /// Removes the value at this pointer; returns it, or nil when there was none.
    @discardableResult
    public func remove(from document: inout JSONValue) -> JSONValue? {
        guard let last = tokens.last else { return nil }
        let parent = JSONPointer(tokens: Array(tokens.dropLast()))
        guard let container = parent.get(in: document) else { return nil }
        var removed: JSONValue?
        var updated = container
        switch container {
        case .object(var o):
            removed = o.removeValue(forKey: last)
            updated = .object(o)
        case .array(var a):
            guard let i = JSONPointer.arrayIndex(last), i < a.count else { return nil }
            removed = a.remove(at: i)
            updated = .array(a)
        default:
            return nil
        }
        if parent.tokens.isEmpty { document = updated } else { try? parent.set(updated, in: &document) }
        return removed
    }

    /// Containers along the path are detached from `node` before they are changed, so each one is
    /// uniquely referenced and updated in place instead of copied.
    private static func set(_ value: JSONValue, _ tokens: ArraySlice<String>, in node: inout JSONValue, full: String) throws(SetError) {
        guard let token = tokens.first else { node = value; return }
        let rest = tokens.dropFirst()
        switch node {
        case .object(var o):
            var child = o[token] ?? .null
            if child.isNull && !rest.isEmpty { throw SetError.noParent(full) }
            node = .null
            o[token] = JSONValue.null
            defer {
                o[token] = child
                node = .object(o)
            }
            try set(value, rest, in: &child, full: full)
        case .array(var a):
            if token == "-" && rest.isEmpty {
                node = .null
                a.append(value)
                node = .array(a)
                return
            }
            guard let i = arrayIndex(token), i < a.count else { throw SetError.badIndex(full) }
            node = .null
            var child = a[i]
            a[i] = .null
            defer {
                a[i] = child
                node = .array(a)
            }
            try set(value, rest, in: &child, full: full)
        default:
            throw SetError.noParent(full)
        }
    }

    /// A token as an array index: digits without leading zeros.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }
}
