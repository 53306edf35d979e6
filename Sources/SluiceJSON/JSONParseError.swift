/// Why and where a JSON document was rejected.
///
/// `byteOffset` is 0-based into the input bytes; `line` and `column` are 1-based, lines counted
/// by `\n` and columns in bytes. `message` says what was expected and where; it never quotes more
/// than a few bytes of the input, so record content does not leak into logs.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. New codes may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// A stable snake_case name, suitable for quarantine reasons and metrics.
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The input ended inside a value.
        public static let unexpectedEnd = Code("unexpected_end")
        /// A byte that cannot start or continue the value at this position.
        public static let unexpectedCharacter = Code("unexpected_character")
        /// Bytes inside a string that are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, ...).
        public static let invalidUTF8 = Code("invalid_utf8")
        /// A backslash escape that JSON does not define, or a `\u` without four hex digits.
        public static let invalidEscape = Code("invalid_escape")
        /// A `\uD800`-`\uDFFF` escape that is not part of a high-low surrogate pair.
        public static let loneSurrogate = Code("lone_surrogate")
        /// A number that breaks the JSON grammar (`01`, `1.`, `-`, `1e`).
        public static let invalidNumber = Code("invalid_number")
        /// A raw control character (U+0000-U+001F) inside a string; it must be escaped.
        public static let controlCharacter = Code("control_character")
        /// Arrays and objects nested deeper than `JSONParser.Options.maxDepth`.
        public static let tooDeep = Code("too_deep")
        /// Something other than whitespace after the top-level value.
        public static let trailingData = Code("trailing_data")
        /// No value at all: empty input or only whitespace.
        public static let empty = Code("empty")
    }

    public var code: Code
    /// What went wrong and where, e.g. `expected ',' or ']' but found 'x' at line 3, column 7`.
    public var message: String
    /// 0-based offset of the offending byte (the input length when the input ended too early).
    public var byteOffset: Int
    /// 1-based line of `byteOffset`.
    public var line: Int
    /// 1-based column of `byteOffset`, counted in bytes.
    public var column: Int

    public init(code: Code, message: String, byteOffset: Int, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    public var description: String { "\(code.name): \(message)" }
}
