import SluiceCore
import SluiceJSON

/// Operators by precedence, lowest first: `??`, `||`, `&&`, comparisons, `+ -`, `* /`, unary
/// `! -`, postfix `[i]` `.name`, primaries.
extension MapParser {
    mutating func parseExpression() throws(Bail) -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw fail("expression nested more than \(Self.maxNesting) levels deep", at: token.start, code: "too_deep")
        }
        let mark = pendingFallible.count
        var lhs = try parseOr()
        while isSymbol("??") {
            // Failures on the left are handled by the default.
            pendingFallible.removeSubrange(mark...)
            advance()
            skipNewlines()
            let rhs = try parseOr()
            lhs = Expr(kind: .coalesce(lhs, rhs), at: lhs.at, type: lhs.type.subtracting(.null).union(rhs.type))
        }
        return lhs
    }

    mutating func parseOr() throws(Bail) -> Expr {
        var lhs = try parseAnd()
        while isSymbol("||") {
            advance(); skipNewlines()
            let rhs = try parseAnd()
            lhs = try logical(.or, lhs, rhs)
        }
        return lhs
    }

    mutating func parseAnd() throws(Bail) -> Expr {
        var lhs = try parseComparison()
        while isSymbol("&&") {
            advance(); skipNewlines()
            let rhs = try parseComparison()
            lhs = try logical(.and, lhs, rhs)
        }
        return lhs
    }

    mutating func logical(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr) throws(Bail) -> Expr {
        for side in [lhs, rhs] where !side.type.contains(.bool) {
            report("'\(op.rawValue)' needs booleans, not \(side.type.name)", at: side.at, code: "type_error")
        }
        return Expr(kind: .binary(op, lhs, rhs), at: lhs.at, type: .bool)
    }

    mutating func parseComparison() throws(Bail) -> Expr {
        let lhs = try parseAdditive()
        guard case .symbol(let s) = token.kind, let op = BinaryOp(rawValue: s),
              [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op) else { return lhs }
        advance(); skipNewlines()
        let rhs = try parseAdditive()
        if op != .equal && op != .notEqual {
            let orderable: TypeSet = [.int, .float, .string]
            for side in [lhs, rhs] where side.type.intersection(orderable).isEmpty {
                report("'\(op.rawValue)' compares numbers or strings, not \(side.type.name)", at: side.at, code: "type_error")
            }
        }
        if case .symbol(let s2) = token.kind, let op2 = BinaryOp(rawValue: s2),
           [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op2) {
            throw fail("comparisons do not chain: write (a \(op.rawValue) b) && (b \(op2.rawValue) c)", at: token.start)
        }
        return Expr(kind: .binary(op, lhs, rhs), at: lhs.at, type: .bool)
    }

    mutating func parseAdditive() throws(Bail) -> Expr {
        var lhs = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let op: BinaryOp = isSymbol("+") ? .add : .subtract
            advance(); skipNewlines()
            let rhs = try parseMultiplicative()
            lhs = arithmetic(op, lhs, rhs)
        }
        return lhs
    }

    mutating func parseMultiplicative() throws(Bail) -> Expr {
        var lhs = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: BinaryOp = isSymbol("*") ? .multiply : .divide
            advance(); skipNewlines()
            let rhs = try parseUnary()
            lhs = arithmetic(op, lhs, rhs)
        }
        return lhs
    }

    mutating func arithmetic(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr) -> Expr {
        let allowed: TypeSet = op == .add ? [.int, .float, .string] : .number
        for side in [lhs, rhs] where side.type.intersection(allowed).isEmpty {
            report("'\(op.rawValue)' needs \(allowed.name), not \(side.type.name)", at: side.at, code: "type_error")
        }
        if op == .add, lhs.type.isSubset(of: .string) != rhs.type.isSubset(of: .string),
           lhs.type.intersection(rhs.type).isEmpty {
            report("'+' joins two strings or adds two numbers, not \(lhs.type.name) and \(rhs.type.name) (use to_string)",
                   at: lhs.at, code: "type_error")
        }
        var type: TypeSet
        switch op {
        case .divide: type = .float
        case .add: type = lhs.type.union(rhs.type).intersection(allowed)
        default: type = lhs.type.union(rhs.type).intersection(.number)
        }
        if type.isEmpty { type = allowed }
        return Expr(kind: .binary(op, lhs, rhs), at: lhs.at, type: type)
    }

    mutating func parseUnary() throws(Bail) -> Expr {
        let start = token.start
        if isSymbol("!") {
            advance()
            let operand = try parseUnary()
            if !operand.type.contains(.bool) {
                report("'!' needs a boolean, not \(operand.type.name)", at: operand.at, code: "type_error")
            }
            return Expr(kind: .unary(.not, operand), at: start, type: .bool)
        }
        if isSymbol("-") {
            advance()
            let operand = try parseUnary()
            if case .literal(.number(let n)) = operand.kind {
                let text = n.text.hasPrefix("-") ? String(n.text.dropFirst()) : "-" + n.text
                return Expr(kind: .literal(.number(JSONNumber(uncheckedText: text))), at: start, type: operand.type)
            }
            if operand.type.intersection(.number).isEmpty {
                report("'-' needs a number, not \(operand.type.name)", at: operand.at, code: "type_error")
            }
            return Expr(kind: .unary(.negate, operand), at: start, type: operand.type.intersection(.number))
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws(Bail) -> Expr {
        var expr = try parsePrimary()
        while token.start == previousEnd {
            if isSymbol("[") {
                let segment = try parseIndex()
                expr = member(expr, segment)
            } else if isSymbol("."), !isPath(expr) {
                advance()
                guard token.start == previousEnd else { throw fail("expected a field name right after '.'", at: token.start) }
                switch token.kind {
                case .identifier(let name): expr = member(expr, .key(name)); advance()
                case .string(let pieces):
                    let key = try plainText(pieces, at: token.start)
                    expr = member(expr, .key(key)); advance()
                default: throw fail("expected a field name after '.'", at: token.start)
                }
            } else {
                break
            }
        }
        return expr
    }

    private func isPath(_ e: Expr) -> Bool { if case .path = e.kind { return true } else { return false } }

    private func member(_ base: Expr, _ segment: PathSegment) -> Expr {
        if case .path(var segments) = base.kind {
            segments.append(segment)
            return Expr(kind: .path(segments), at: base.at, type: .any)
        }
        return Expr(kind: .member(base, segment), at: base.at, type: .any)
    }

    mutating func parsePrimary() throws(Bail) -> Expr {
        let start = token.start
        switch token.kind {
        case .number(let text, let isInteger):
            advance()
            guard let n = JSONNumber(text: text) else { throw fail("invalid number", at: start) }
            if isInteger, Int(text) == nil { throw fail("integer \(text) does not fit in 64 bits", at: start) }
            return Expr(kind: .literal(.number(n)), at: start, type: isInteger ? .int : .float)
        case .string(let pieces):
            advance()
            return try template(pieces, at: start)
        case .rawString(let text):
            advance()
            return Expr(kind: .literal(.string(text)), at: start, type: .string)
        case .metadata(let name):
            advance()
            guard let key = MetaKey(rawValue: name) else {
                let names = MetaKey.allCases.map(\.rawValue)
                let hint = Suggestion.closest(to: name, among: names).map { "did you mean '%\($0)'?" }
                throw fail("unknown metadata '%\(name)'", at: start, code: "unknown_metadata",
                           hint: hint ?? "known: " + names.map { "%" + $0 }.joined(separator: ", "))
            }
            return Expr(kind: .metadata(key), at: start, type: key.type)
        case .symbol("."):
            advance()
            return Expr(kind: .path(try parsePathSegments(dotAt: start)), at: start, type: .any)
        case .symbol("("):
            advance(); skipNewlines()
            var inner = try parseExpression()
            skipNewlines()
            try expect(")", "to close '('")
            inner.at = start
            return inner
        case .symbol("["):
            advance(); skipNewlines()
            var items: [Expr] = []
            while !isSymbol("]") {
                items.append(try parseExpression())
                skipNewlines()
                if isSymbol(",") { advance(); skipNewlines() } else if !isSymbol("]") {
                    throw fail("expected ',' or ']' in the array", at: token.start)
                }
            }
            advance()
            if let literal = Self.constant(items) { return Expr(kind: .literal(.array(literal)), at: start, type: .array) }
            return Expr(kind: .array(items), at: start, type: .array)
        case .symbol("{"):
            return try parseObject()
        case .identifier(let name):
            return try parseName(name, at: start)
        case .end, .newline:
            throw fail("expected a value", at: start)
        default:
            throw fail("unexpected '\(String(decoding: bytes[token.start..<token.end], as: UTF8.self))'", at: start)
        }
    }

    mutating func parseObject() throws(Bail) -> Expr {
        let start = token.start
        advance(); skipNewlines()
        var members: [(String, Expr)] = []
        while !isSymbol("}") {
            let key: String
            switch token.kind {
            case .identifier(let name): key = name
            case .string(let pieces): key = try plainText(pieces, at: token.start)
            default: throw fail("expected a member name (name or \"name\") in the object", at: token.start)
            }
            advance()
            try expect(":", "after the member name")
            skipNewlines()
            members.append((key, try parseExpression()))
            skipNewlines()
            if isSymbol(",") { advance(); skipNewlines() } else if !isSymbol("}") {
                throw fail("expected ',' or '}' in the object", at: token.start)
            }
        }
        advance()
        return Expr(kind: .object(members), at: start, type: .object)
    }

    mutating func parseName(_ name: String, at start: Int) throws(Bail) -> Expr {
        switch name {
        case "true": advance(); return Expr(kind: .literal(.bool(true)), at: start, type: .bool)
        case "false": advance(); return Expr(kind: .literal(.bool(false)), at: start, type: .bool)
        case "null": advance(); return Expr(kind: .literal(.null), at: start, type: .null)
        case "if": return try parseIf()
        case "del":
            advance()
            try expect("(", "after del")
            guard isSymbol(".") else { throw fail("del takes a path: del(.field)", at: token.start) }
            let dot = token.start
            advance()
            let segments = try parsePathSegments(dotAt: dot)
            if segments.isEmpty { report("del(.) would delete the whole record; delete fields instead", at: dot, code: "type_error") }
            try expect(")", "to close del(")
            return Expr(kind: .delete(segments), at: start, type: .any)
        default: break
        }
        advance()
        var abort = false
        if isSymbol("!"), token.start == previousEnd {
            var peek = lexer
            if let next = try? peek.next(), next.kind == .symbol("(") {
                abort = true
                advance()
            }
        }
        if isSymbol("("), token.start == previousEnd {
            return try parseCall(name, at: start, abort: abort)
        }
        guard let variable = variables[name] else {
            let candidates = Array(variables.keys) + MapFunctions.names
            let hint = Suggestion.closest(to: name, among: candidates).map { "did you mean '\($0)'?" }
            throw fail("unknown name '\(name)' (fields are written .\(name), metadata %\(name))", at: start,
                       code: "unknown_name", hint: hint)
        }
        return Expr(kind: .variable(variable.slot), at: start, type: variable.type)
    }

    mutating func parseIf() throws(Bail) -> Expr {
        let start = token.start
        advance()
        let condition = try parseExpression()
        if !condition.type.contains(.bool) {
            report("the condition of 'if' must be a boolean, not \(condition.type.name)", at: condition.at, code: "type_error")
        }
        let then = try parseBlock()
        var otherwise: [Statement]? = nil
        if case .identifier("else") = token.kind {
            advance()
            if case .identifier("if") = token.kind {
                let nested = try parseIf()
                otherwise = [.expression(nested)]
            } else {
                otherwise = try parseBlock()
            }
        }
        return Expr(kind: .ifElse(condition, then, otherwise), at: start, type: .any)
    }

    /// A `"…"` string: a literal when it has no `{{ }}`, else a template whose parts are parsed
    /// from their place in the source (so errors inside point at the right column).
    mutating func template(_ pieces: [StringPiece], at start: Int) throws(Bail) -> Expr {
        var parts: [TemplatePart] = []
        for piece in pieces {
            switch piece {
            case .text(let t): parts.append(.text(t))
            case .code(let range):
                var sub = MapParser(source: bytes, range: range, variables: variables, nesting: nesting)
                sub.skipNewlines()
                let inner: Expr? = try? sub.parseExpression()
                if sub.token.kind != .end, inner != nil {
                    sub.report("expected '}}' after the interpolated expression", at: sub.token.start, code: "syntax")
                }
                diagnostics.append(contentsOf: sub.diagnostics)
                pendingFallible.append(contentsOf: sub.pendingFallible)
                guard let inner else { throw Bail() }
                parts.append(.expr(inner))
            }
        }
        if parts.allSatisfy({ if case .text = $0 { return true } else { return false } }) {
            let text = parts.map { if case .text(let t) = $0 { return t } else { return "" } }.joined()
            return Expr(kind: .literal(.string(text)), at: start, type: .string)
        }
        return Expr(kind: .template(parts), at: start, type: .string)
    }

    /// The values of items that are all literals, so constant arrays are built once.
    static func constant(_ items: [Expr]) -> [JSONValue]? {
        var out: [JSONValue] = []
        for item in items {
            guard case .literal(let v) = item.kind else { return nil }
            out.append(v)
        }
        return out
    }
}
