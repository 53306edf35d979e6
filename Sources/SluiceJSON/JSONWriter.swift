/// Writes `JSONValue`s as RFC 8259 JSON text (UTF-8).
///
/// Guarantees:
/// - Numbers are written as their exact text, objects in their key order (unless `sortedKeys`),
///   so `JSONParser.parse(JSONWriter.bytes(v))` gives back a value equal to `v`, with the same
///   key order and number text.
/// - Strings escape `"`, `\` and the control characters U+0000-U+001F (`\n`, `\t`, ... where JSON
///   has a short form, else `\u001f`). Other characters are written as UTF-8, or as `\uXXXX`
///   escapes (surrogate pairs above U+FFFF) when `escapeNonASCII` is set, giving pure ASCII output.
/// - Compact output has no whitespace at all; pretty output indents by two spaces and writes
///   `"key": value`. Neither adds a trailing newline.
public struct JSONWriter {
    public struct Options: Sendable {
        /// Order object members by their keys' Unicode code points (UTF-8 byte order) instead of
        /// document order; gives a canonical form for hashing and diffing.
        public var sortedKeys: Bool
        /// Write every non-ASCII character as a `\uXXXX` escape.
        public var escapeNonASCII: Bool
        /// Indent nested values by two spaces, one member or element per line.
        public var prettyPrinted: Bool

        public init(sortedKeys: Bool = false, escapeNonASCII: Bool = false, prettyPrinted: Bool = false) {
            self.sortedKeys = sortedKeys
            self.escapeNonASCII = escapeNonASCII
            self.prettyPrinted = prettyPrinted
        }
    }

    /// Appends the JSON text of `value` to `buffer`.
    public static func write(_ value: JSONValue, into buffer: inout [UInt8], options: Options = .init()) {
        var emitter = JSONEmitter(options: options, output: buffer)
        buffer = []
        emitter.write(value)
        buffer = emitter.output
    }

    /// The JSON text of `value` as UTF-8 bytes.
    public static func bytes(_ value: JSONValue, options: Options = .init()) -> [UInt8] {
        var buffer: [UInt8] = []
        write(value, into: &buffer, options: options)
        return buffer
    }

    /// The JSON text of `value`.
    public static func string(_ value: JSONValue, options: Options = .init()) -> String {
        String(decoding: bytes(value, options: options), as: UTF8.self)
    }
}
