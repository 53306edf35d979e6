/// A problem found when a mapping is loaded, at a UTF-8 offset of its source.
public struct MapDiagnostic: Error, Sendable, Hashable {
    /// `syntax`, `unknown_function`, `arity`, `type_error`, `invalid_regex`, `unhandled_error`, ...
    public var code: String
    public var message: String
    /// UTF-8 offset in the mapping's source.
    public var offset: Int
    /// `did you mean 'to_int'?`, or how to fix it.
    public var hint: String?

    public init(code: String, message: String, offset: Int, hint: String? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.hint = hint
    }
}

/// Every problem of a mapping that could not be loaded.
public struct MapDiagnostics: Error, Sendable {
    public var diagnostics: [MapDiagnostic]
    /// The source, so that offsets can be turned into lines and columns.
    public var source: String
}

/// A line and column (1-based; columns in Unicode scalars) inside a mapping's source.
public struct MapPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    /// The position of UTF-8 offset `offset` in `source`.
    public init(offset: Int, in source: String) {
        var line = 1, column = 1, i = 0
        for b in source.utf8 {
            if i >= offset { break }
            if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        self.line = line
        self.column = column
    }

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A record the mapping could not process: where in the mapping, what, and which field.
public struct MapFailure: Error, Sendable, Hashable {
    public var message: String
    /// UTF-8 offset of the failing expression in the mapping.
    public var offset: Int
    /// The record field involved, as a JSON Pointer, when there is one.
    public var pointer: String?

    public init(message: String, offset: Int, pointer: String? = nil) {
        self.message = message
        self.offset = offset
        self.pointer = pointer
    }
}
