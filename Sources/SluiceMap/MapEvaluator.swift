import Foundation
import SluiceJSON

/// Runs checked statements over one record. There are no loops and no calls back into the
/// mapping, so every statement runs at most once: time and memory are linear in the record's
/// size for a given mapping (functions are linear, regexes have a step budget, built values are
/// capped by `MapLimits.maxValueBytes`).
struct MapEvaluator {
    var record: JSONValue
    var variables: [JSONValue]
    let metadata: MapMetadata
    let now: Date
    /// JSON Pointers set and removed, in order (repeats are removed by the caller).
    var set: [String] = []
    var removed: [String] = []

    mutating func run(_ statements: [Statement]) throws(MapFailure) -> JSONValue {
        var last: JSONValue = .null
        for statement in statements {
            switch statement {
            case .assign(let target, let expr, let at):
                let value = try eval(expr)
                switch target {
                case .variable(let slot): variables[slot] = value
                case .path(let segments): try assign(value, to: segments, at: at)
                }
                last = value
            case .expression(let expr):
                last = try eval(expr)
            }
        }
        return last
    }

    mutating func eval(_ e: Expr) throws(MapFailure) -> JSONValue {
        switch e.kind {
        case .literal(let v): return v
        case .path(let segments): return Self.get(segments[...], in: record)
        case .variable(let slot): return variables[slot]
        case .metadata(let key): return metadata.value(key)
        case .object(let members):
            var o = JSONObject()
            for (k, m) in members { o[k] = try eval(m) }
            return .object(o)
        case .array(let items):
            var a: [JSONValue] = []
            a.reserveCapacity(items.count)
            for item in items { a.append(try eval(item)) }
            return .array(a)
        case .template(let parts):
            var s = ""
            for part in parts {
                switch part {
                case .text(let t): s += t
                case .expr(let inner):
                    let v = try eval(inner)
                    switch v {
                    case .string(let t): s += t
                    case .number, .bool: s += MapText.render(v)
                    default:
                        throw failure("an interpolated value must be a string, number or boolean, not \(TypeSet.of(v).name)", inner)
                    }
                }
            }
            if s.utf8.count > MapLimits.maxValueBytes { throw failure("string larger than \(MapLimits.maxValueBytes) bytes", e) }
            return .string(s)
        case .unary(let op, let operand):
            let v = try eval(operand)
            switch op {
            case .not:
                guard case .bool(let b) = v else { throw failure("'!' needs a boolean, not \(TypeSet.of(v).name)", operand) }
                return .bool(!b)
            case .negate:
                return try MapArithmetic.apply(.subtract, .number(JSONNumber(0)), v, self, e)
            }
        case .binary(let op, let lhs, let rhs):
            return try binary(op, lhs, rhs, e)
        case .coalesce(let lhs, let rhs):
            let saved = (set.count, removed.count)
            if let v = try? eval(lhs), !v.isNull { return v }
            set.removeSubrange(saved.0...)
            removed.removeSubrange(saved.1...)
            return try eval(rhs)
        case .member(let base, let segment):
            return Self.get([segment][...], in: try eval(base))
        case .call(let call):
            var values: [JSONValue] = []
            values.reserveCapacity(call.arguments.count)
            for a in call.arguments { values.append(try eval(a)) }
            var args = CallArguments(function: call.function, values: values, regex: call.regex, now: now)
            do {
                return try call.function.body(&args)
            } catch {
                let arg = error.argument.flatMap { $0 < call.arguments.count ? call.arguments[$0] : nil }
                throw MapFailure(message: error.message, offset: e.at, pointer: arg.flatMap(Self.pointer(of:)))
            }
        case .ifElse(let condition, let then, let otherwise):
            let c = try eval(condition)
            guard case .bool(let b) = c else {
                throw failure("the condition of 'if' must be a boolean, not \(TypeSet.of(c).name)", condition)
            }
            if b { return try run(then) }
            return try otherwise.map { (s) throws(MapFailure) in try run(s) } ?? .null
        case .delete(let segments):
            let pointer = Self.pointer(segments, in: record)
            let removedValue = Self.remove(segments[...], from: &record)
            if removedValue != nil, let pointer { removed.append(pointer) }
            return removedValue ?? .null
        }
    }

    mutating func binary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, _ e: Expr) throws(MapFailure) -> JSONValue {
        switch op {
        case .and, .or:
            let l = try eval(lhs)
            guard case .bool(let a) = l else { throw failure("'\(op.rawValue)' needs booleans, not \(TypeSet.of(l).name)", lhs) }
            if op == .and && !a { return .bool(false) }
            if op == .or && a { return .bool(true) }
            let r = try eval(rhs)
            guard case .bool(let b) = r else { throw failure("'\(op.rawValue)' needs booleans, not \(TypeSet.of(r).name)", rhs) }
            return .bool(b)
        case .equal: return .bool(try eval(lhs) == eval(rhs))
        case .notEqual: return .bool(try eval(lhs) != eval(rhs))
        case .less, .lessEqual, .greater, .greaterEqual:
            let l = try eval(lhs), r = try eval(rhs)
            let order: Int
            switch (l, r) {
            case (.number(let a), .number(let b)): order = a == b ? 0 : (a < b ? -1 : 1)
            case (.string(let a), .string(let b)): order = a == b ? 0 : (a < b ? -1 : 1)
            default:
                throw failure("'\(op.rawValue)' compares two numbers or two strings, not \(TypeSet.of(l).name) and \(TypeSet.of(r).name)", lhs)
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            return try MapArithmetic.apply(op, try eval(lhs), try eval(rhs), self, e)
        }
    }

    func failure(_ message: String, _ at: Expr) -> MapFailure {
        MapFailure(message: message, offset: at.at, pointer: Self.pointer(of: at))
    }

    /// The record field an expression reads, when it is a plain path.
    static func pointer(of e: Expr) -> String? {
        guard case .path(let segments) = e.kind else { return nil }
        return JSONPointer(tokens: segments.map { if case .key(let k) = $0 { return k } else if case .index(let i) = $0 { return String(i) } else { return "" } }).description
    }
}
