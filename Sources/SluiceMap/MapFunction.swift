import Foundation
import SluiceJSON
import SluiceRegex

/// A function of the mapping language: its signature (checked at load time), whether it can
/// fail on some inputs (then calls must handle it with `!` or `??`), its documentation with
/// examples (docs/mapping.md lists them and a test runs every one) and its body.
///
/// Every body is bounded: linear in the size of its arguments (regexes have a step budget), and
/// no result may grow past `MapLimits.maxValueBytes`.
struct MapFunction: Sendable {
    struct Parameter: Sendable {
        var name: String
        var types: TypeSet
        var optional = false
        /// A regex pattern: must be a literal, compiled at load time.
        var isRegex = false
    }

    var name: String
    var parameters: [Parameter]
    /// The last parameter may be repeated.
    var variadic = false
    var returns: TypeSet
    var fallible: Bool
    var summary: String
    /// `(expression, expected result as JSON)`, run by the tests against `exampleRecord`.
    var examples: [(String, String)]
    var body: @Sendable (inout CallArguments) throws(FunctionError) -> JSONValue
}

/// Limits that keep every evaluation bounded whatever the mapping does.
public enum MapLimits {
    /// No string, array or object a function builds may exceed this many bytes (or items).
    public static let maxValueBytes = 64 * 1024 * 1024
}

/// Why a call failed: the message, and the argument it is about (for the record pointer).
struct FunctionError: Error {
    var message: String
    var argument: Int?
}

/// The evaluated arguments of one call, with typed accessors whose errors name the argument.
struct CallArguments {
    let function: MapFunction
    var values: [JSONValue]
    let regex: ECMARegex?
    let now: Date

    var count: Int { values.count }

    func has(_ i: Int) -> Bool { i < values.count && !values[i].isNull }

    func wrongType(_ i: Int, _ expected: String) -> FunctionError {
        let p = function.parameters[min(i, function.parameters.count - 1)]
        let got = i < values.count ? TypeSet.of(values[i]).name : "nothing"
        return FunctionError(message: "argument '\(p.name)' of \(function.name) must be \(expected), not \(got)", argument: i)
    }

    func string(_ i: Int) throws(FunctionError) -> String {
        guard i < values.count, case .string(let s) = values[i] else { throw wrongType(i, "a string") }
        return s
    }

    func int(_ i: Int) throws(FunctionError) -> Int {
        guard i < values.count, case .number(let n) = values[i], let v = n.intValue else { throw wrongType(i, "an integer") }
        return v
    }

    func array(_ i: Int) throws(FunctionError) -> [JSONValue] {
        guard i < values.count, case .array(let a) = values[i] else { throw wrongType(i, "an array") }
        return a
    }

    func object(_ i: Int) throws(FunctionError) -> JSONObject {
        guard i < values.count, case .object(let o) = values[i] else { throw wrongType(i, "an object") }
        return o
    }

    func fail(_ message: String, argument: Int? = 0) -> FunctionError {
        FunctionError(message: "\(function.name): \(message)", argument: argument)
    }

    /// Refuses a result that would exceed `MapLimits.maxValueBytes`.
    func bounded(_ size: Int) throws(FunctionError) {
        if size > MapLimits.maxValueBytes {
            throw FunctionError(message: "\(function.name): result larger than \(MapLimits.maxValueBytes) bytes", argument: nil)
        }
    }
}

extension MapFunction.Parameter {
    /// Shorthand for declaring parameters.
    static func p(_ name: String, _ types: TypeSet, optional: Bool = false) -> Self {
        Self(name: name, types: types, optional: optional)
    }
    static func regex(_ name: String = "pattern") -> Self {
        Self(name: name, types: .string, isRegex: true)
    }
}
