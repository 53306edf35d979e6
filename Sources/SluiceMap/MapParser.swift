import SluiceJSON

/// Parses and checks a mapping in one pass: names are resolved, arities and the types that are
/// knowable at load time are checked, regexes are compiled, and every problem becomes a
/// `MapDiagnostic` (the parser recovers at the next line, so all errors are reported at once).
struct MapParser {
    static let maxPathSegments = 128
    static let maxNesting = 96

    let bytes: [UInt8]
    var lexer: MapLexer
    var token: Token
    var previousEnd = 0
    var diagnostics: [MapDiagnostic] = []
    var variables: [String: (slot: Int, type: TypeSet)] = [:]
    /// Calls of fallible functions not yet handled by `!` or `??`.
    var pendingFallible: [MapDiagnostic] = []
    var nesting = 0

    init(source: [UInt8]) {
        bytes = source
        lexer = MapLexer(bytes: source, range: 0..<source.count)
        token = Token(kind: .end, start: 0, end: 0)
        advance()
    }

    /// A parser over part of the source (the `{{ … }}` of a string), sharing variables.
    init(source: [UInt8], range: Range<Int>, variables: [String: (slot: Int, type: TypeSet)], nesting: Int) {
        bytes = source
        lexer = MapLexer(bytes: source, range: range)
        token = Token(kind: .end, start: range.lowerBound, end: range.lowerBound)
        self.variables = variables
        self.nesting = nesting
        advance()
    }

    struct Bail: Error {}

    mutating func advance() {
        previousEnd = token.end
        do {
            token = try lexer.next()
        } catch {
            diagnostics.append(MapDiagnostic(code: "syntax", message: error.message, offset: error.at))
            // Skip to the next line and go on.
            while lexer.pos < lexer.end, bytes[lexer.pos] != 10 { lexer.pos += 1 }
            token = Token(kind: .newline, start: error.at, end: lexer.pos)
        }
    }

    func isSymbol(_ s: String) -> Bool { token.kind == .symbol(s) }

    mutating func expect(_ s: String, _ what: String) throws(Bail) {
        guard isSymbol(s) else { throw fail("expected '\(s)' \(what)", at: token.start) }
        advance()
    }

    mutating func fail(_ message: String, at offset: Int, code: String = "syntax", hint: String? = nil) -> Bail {
        diagnostics.append(MapDiagnostic(code: code, message: message, offset: offset, hint: hint))
        return Bail()
    }

    mutating func report(_ message: String, at offset: Int, code: String, hint: String? = nil) {
        diagnostics.append(MapDiagnostic(code: code, message: message, offset: offset, hint: hint))
    }

    mutating func skipNewlines() { while token.kind == .newline { advance() } }

    // MARK: statements

    /// The whole program.
    mutating func parseProgram() -> [Statement] {
        var statements: [Statement] = []
        skipNewlines()
        while token.kind != .end {
            do {
                statements.append(try parseStatement())
                guard token.kind == .newline || token.kind == .end || isSymbol("}") else {
                    throw fail("expected the end of the statement (a new line or ';')", at: token.start)
                }
                if isSymbol("}") { throw fail("'}' without a matching '{'", at: token.start) }
            } catch {
                while token.kind != .newline && token.kind != .end { advance() }
            }
            skipNewlines()
        }
        diagnostics.append(contentsOf: pendingFallible)
        pendingFallible = []
        return statements
    }

    /// Statements up to the closing `}` (which is consumed).
    mutating func parseBlock() throws(Bail) -> [Statement] {
        try expect("{", "to open the block")
        var statements: [Statement] = []
        skipNewlines()
        while !isSymbol("}") {
            guard token.kind != .end else { throw fail("block is not closed with '}'", at: token.start) }
            statements.append(try parseStatement())
            guard token.kind == .newline || isSymbol("}") else {
                throw fail("expected the end of the statement (a new line or ';')", at: token.start)
            }
            skipNewlines()
        }
        advance()
        return statements
    }

    mutating func parseStatement() throws(Bail) -> Statement {
        let start = token.start
        // `name = …` declares or sets a variable.
        if case .identifier(let name) = token.kind, !Self.keywords.contains(name) {
            var peek = lexer
            if let next = try? peek.next(), next.kind == .symbol("=") {
                advance()
                advance()
                skipNewlines()
                let value = try parseExpression()
                let slot: Int
                if let existing = variables[name] {
                    slot = existing.slot
                    variables[name] = (slot, existing.type.union(value.type))
                } else {
                    slot = variables.count
                    variables[name] = (slot, value.type)
                }
                return .assign(.variable(slot), value, at: start)
            }
        }
        let expr = try parseExpression()
        if isSymbol("=") {
            guard case .path(let segments) = expr.kind else {
                throw fail("only a path (.field) or a variable name can be assigned to", at: start)
            }
            advance()
            skipNewlines()
            let value = try parseExpression()
            if segments.isEmpty, value.type.intersection(.object).isEmpty {
                report("the whole record (.) can only be set to an object, not \(value.type.name)", at: value.at, code: "type_error")
            }
            return .assign(.path(segments), value, at: start)
        }
        return .expression(expr)
    }

    static let keywords: Set<String> = ["if", "else", "true", "false", "null", "del"]

    // MARK: paths

    /// After a `.`: the segments of a record path (none for `.` alone).
    mutating func parsePathSegments(dotAt: Int) throws(Bail) -> [PathSegment] {
        var segments: [PathSegment] = []
        var expectName = true
        while true {
            let adjacent = token.start == previousEnd
            if expectName {
                expectName = false
                guard adjacent else { break }
                switch token.kind {
                case .identifier(let name):
                    segments.append(.key(name)); advance()
                case .string(let pieces):
                    segments.append(.key(try plainText(pieces, at: token.start))); advance()
                case .symbol("["):
                    segments.append(try parseIndex())
                default:
                    if segments.isEmpty { break }
                    throw fail("expected a field name after '.'", at: token.start)
                }
                continue
            }
            guard adjacent else { break }
            if isSymbol(".") {
                advance()
                expectName = true
                guard token.start == previousEnd else { throw fail("expected a field name right after '.'", at: token.start) }
            } else if isSymbol("[") {
                segments.append(try parseIndex())
            } else {
                break
            }
            if segments.count > Self.maxPathSegments {
                throw fail("path has more than \(Self.maxPathSegments) segments", at: dotAt, code: "path_too_deep")
            }
        }
        return segments
    }

    /// `[3]` or `[-1]`.
    mutating func parseIndex() throws(Bail) -> PathSegment {
        let open = token.start
        advance()
        var negative = false
        if isSymbol("-") { negative = true; advance() }
        guard case .number(let text, true) = token.kind, let n = Int(text) else {
            throw fail("an index is an integer: [0], [-1]", at: open)
        }
        advance()
        try expect("]", "after the index")
        return .index(negative ? -n : n)
    }

    /// The text of a string without `{{ }}` (keys and quoted path segments).
    mutating func plainText(_ pieces: [StringPiece], at offset: Int) throws(Bail) -> String {
        var s = ""
        for p in pieces {
            guard case .text(let t) = p else { throw fail("a field name cannot be interpolated", at: offset) }
            s += t
        }
        return s
    }
}
