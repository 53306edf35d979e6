import SluiceCore
import SluiceJSON
import SluiceRegex

extension MapParser {
    /// `name(args)` or `name!(args)`, checked against the function's signature.
    mutating func parseCall(_ name: String, at start: Int, abort: Bool) throws(Bail) -> Expr {
        advance() // (
        skipNewlines()
        var arguments: [Expr] = []
        while !isSymbol(")") {
            arguments.append(try parseExpression())
            skipNewlines()
            if isSymbol(",") { advance(); skipNewlines() } else if !isSymbol(")") {
                throw fail("expected ',' or ')' in the arguments of \(name)", at: token.start)
            }
        }
        advance()
        guard let function = MapFunctions.named(name) else {
            throw fail("unknown function '\(name)'", at: start, code: "unknown_function", hint: MapFunctions.suggestion(for: name))
        }
        let params = function.parameters
        let required = params.filter { !$0.optional }.count
        if arguments.count < required || (!function.variadic && arguments.count > params.count) {
            let expected = function.variadic ? "at least \(required)"
                : required == params.count ? "\(required)" : "\(required) to \(params.count)"
            throw fail("\(name) takes \(expected) argument\(expected == "1" ? "" : "s"), not \(arguments.count)", at: start,
                       code: "arity", hint: "\(name)(\(params.map { $0.optional ? $0.name + "?" : $0.name }.joined(separator: ", ")))")
        }
        var regex: ECMARegex? = nil
        for (i, argument) in arguments.enumerated() {
            let param = params[min(i, params.count - 1)]
            if param.isRegex {
                guard case .literal(.string(let pattern)) = argument.kind else {
                    report("the pattern of \(name) must be a literal string (r'…'), so that it is compiled when the mapping is loaded",
                           at: argument.at, code: "regex_not_literal")
                    continue
                }
                do { regex = try ECMARegex(pattern) } catch {
                    report("invalid regex in \(name): \(error.reason) (at offset \(error.offset) of the pattern)", at: argument.at, code: "invalid_regex")
                }
                continue
            }
            if argument.type.intersection(param.types).isEmpty {
                report("argument '\(param.name)' of \(name) must be \(param.types.name), not \(argument.type.name)",
                       at: argument.at, code: "type_error")
            }
        }
        if abort && !function.fallible {
            report("\(name) cannot fail: remove the '!'", at: start, code: "needless_abort")
        }
        if function.fallible && !abort {
            pendingFallible.append(MapDiagnostic(
                code: "unhandled_error", message: "\(name) can fail; handle it", offset: start,
                hint: "write \(name)!(…) to quarantine the record when it fails, or \(name)(…) ?? default"))
        }
        let call = FunctionCall(function: function, arguments: arguments, abortOnError: abort, regex: regex)
        return Expr(kind: .call(call), at: start, type: function.returns)
    }
}
