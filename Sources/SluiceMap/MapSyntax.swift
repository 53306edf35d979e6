import SluiceJSON
import SluiceRegex

/// The kinds of value an expression can have, as a set: what the checker knows at load time.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let bool = TypeSet(rawValue: 2)
    static let int = TypeSet(rawValue: 4)
    static let float = TypeSet(rawValue: 8)
    static let string = TypeSet(rawValue: 16)
    static let array = TypeSet(rawValue: 32)
    static let object = TypeSet(rawValue: 64)
    static let number: TypeSet = [.int, .float]
    static let any: TypeSet = [.null, .bool, .int, .float, .string, .array, .object]

    static func of(_ v: JSONValue) -> TypeSet {
        switch v {
        case .null: return .null
        case .bool: return .bool
        case .number(let n): return n.isInteger ? .int : .float
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// `string`, `integer or float`, ... as error messages name them.
    var name: String {
        if self == .any { return "any value" }
        var names: [String] = []
        if contains(.null) { names.append("null") }
        if contains(.bool) { names.append("boolean") }
        if contains(.int) { names.append("integer") }
        if contains(.float) { names.append("float") }
        if contains(.string) { names.append("string") }
        if contains(.array) { names.append("array") }
        if contains(.object) { names.append("object") }
        if names.count <= 1 { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// One step of a path: `.name`, `."@id"` or `[0]` (negative indexes count from the end).
enum PathSegment: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// Read-only facts about where a record came from: `%input`, `%file_stem`, ...
enum MetaKey: String, Sendable, CaseIterable {
    case input, uri, path, file_name, file_stem, line, index, fetched_at, source_charset, kind, id

    var type: TypeSet {
        switch self {
        case .line, .index: return [.int, .null]
        case .fetched_at, .source_charset: return [.string, .null]
        default: return .string
        }
    }
}

enum UnaryOp: Sendable { case not, negate }

enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "&&", or = "||"
}

/// A part of an interpolated string: text, or an expression rendered as text.
enum TemplatePart: Sendable {
    case text(String)
    case expr(Expr)
}

/// An expression with the UTF-8 offset in the mapping where it starts (for errors).
struct Expr: Sendable {
    var kind: ExprKind
    var at: Int
    /// What the checker knows the value can be.
    var type: TypeSet
}

indirect enum ExprKind: Sendable {
    case literal(JSONValue)
    /// A path into the record (`.a.b[0]`); no segments is the whole record.
    case path([PathSegment])
    /// A local variable by slot.
    case variable(Int)
    case metadata(MetaKey)
    case object([(String, Expr)])
    case array([Expr])
    case template([TemplatePart])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `a ?? b`: `b` when `a` fails or is null.
    case coalesce(Expr, Expr)
    /// A postfix `[i]` or `.name` on any expression.
    case member(Expr, PathSegment)
    case call(FunctionCall)
    case ifElse(Expr, [Statement], [Statement]?)
    /// `del(.x)`: removes the field, yields what was removed (or null).
    case delete([PathSegment])
}

/// A checked call: the function, its arguments and what was prepared at load time.
struct FunctionCall: Sendable {
    var function: MapFunction
    var arguments: [Expr]
    /// `name!(…)`: a failure quarantines the record.
    var abortOnError: Bool
    /// The pattern of a regex function, compiled when the mapping was loaded.
    var regex: ECMARegex?
}

enum AssignTarget: Sendable {
    case path([PathSegment])
    case variable(Int)
}

enum Statement: Sendable {
    case assign(AssignTarget, Expr, at: Int)
    case expression(Expr)
}
