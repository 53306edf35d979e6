/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Guarantees:
/// - Accepts exactly RFC 8259 JSON: any value at the top level, surrounded by optional whitespace.
///   No comments, trailing commas, single quotes, `NaN`, leading zeros or byte order mark (callers
///   that read files strip a BOM first).
/// - Strings must be well-formed UTF-8 (no overlongs, no encoded surrogates, nothing above
///   U+10FFFF) and raw control characters must be escaped. Escapes are decoded; a `\uD83D\uDE00`
///   pair becomes one scalar, and a surrogate escape outside a pair is an error. Invalid input is
///   never replaced by U+FFFD.
/// - Numbers keep their exact text (`1E400`, `-0.0`, `12345678901234567890`).
/// - Objects keep their members in document order. A repeated key keeps the position of its first
///   occurrence and the value of its last.
/// - Arrays and objects nested deeper than `Options.maxDepth` are rejected with `.tooDeep`. The
///   parser keeps its own stack on the heap, so no input can overflow the call stack.
/// - Every rejection is a `JSONParseError` with a code, byte offset, line and column; the parser
///   never traps on any input.
public struct JSONParser {
    public struct Options: Sendable {
        /// The deepest nesting of arrays and objects accepted; `[[1]]` has depth 2. Default 512.
        ///
        /// The parser copes with any depth, and so do the values it returns: they are freed,
        /// compared, hashed and written without recursion (a value whose outermost level is an
        /// array is freed flat by `JSONValue.dismantle()`; objects do it on their own).
        public var maxDepth: Int

        public init(maxDepth: Int = 512) { self.maxDepth = maxDepth }
    }

    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer, options: Options = .init()) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(bytes: bytes, maxDepth: options.maxDepth)
        return try scanner.parseDocument()
    }

    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8], options: Options = .init()) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) -> JSONValue in try parse(raw, options: options) }
        }
        return try result.get()
    }

    /// Parses one JSON document from a string (its UTF-8 form).
    public static func parse(_ text: String, options: Options = .init()) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) -> JSONValue in try parse(UnsafeRawBufferPointer(utf8), options: options) }
        }
        return try result.get()
    }
}
