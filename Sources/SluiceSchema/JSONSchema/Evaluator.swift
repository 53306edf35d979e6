import SluiceRegex
import SluiceJSON

/// Why an evaluation stopped early (becomes `SchemaCheckAborted`).
struct EvaluationAbort: Error {
    var reason: String
    /// The instance path when the abort was raised (complete in collecting mode).
    var innerLocation: String
    /// Tokens added while the abort travels up through the fast mode, which keeps no path.
    var outerTokens: [String] = []
    var instanceLocation: String { JSONPointer(tokens: outerTokens.reversed()).description + innerLocation }
}

/// Evaluates one instance against a node graph. Two modes: the fast mode (`collect == false`)
/// answers valid/invalid, short-circuits, and builds no paths or errors; the collecting mode
/// walks everything and records a `SchemaViolation` per failed keyword with its locations.
final class Evaluator {
    let collect: Bool
    let maxViolations: Int
    let regexBudget: Int?
    var violations: [SchemaViolation] = []
    var instancePath: [String] = []
    var keywordPath: [String] = []
    var scope: [SchemaResource] = []
    var depth = 0
    lazy var regexScratch = RegexScratch()
    /// Deep enough for any real schema and instance; keeps a `$ref` loop from exhausting the stack.
    static let maxDepth = 400

    /// Only schemas with a dynamic `$dynamicRef` need the dynamic scope tracked.
    let tracksScope: Bool

    init(collect: Bool, maxViolations: Int, regexBudget: Int?, tracksScope: Bool) {
        self.collect = collect
        self.tracksScope = tracksScope
        self.maxViolations = maxViolations
        self.regexBudget = regexBudget
    }

    var instancePointer: String {
        JSONPointer(tokens: instancePath).description
    }

    func abort(_ reason: String) -> EvaluationAbort {
        EvaluationAbort(reason: reason, innerLocation: JSONPointer(tokens: instancePath).description)
    }

    // MARK: Paths (collecting mode only)

    @inline(__always) func pushKeyword(_ t: String) { if collect { keywordPath.append(t) } }
    @inline(__always) func pushKeyword(_ t: String, _ u: String) { if collect { keywordPath.append(t); keywordPath.append(u) } }
    @inline(__always) func popKeyword(_ n: Int = 1) { if collect { keywordPath.removeLast(n) } }
    @inline(__always) func pushInstance(_ t: String) { if collect { instancePath.append(t) } }
    @inline(__always) func pushInstance(_ i: Int) { if collect { instancePath.append(String(i)) } }
    @inline(__always) func popInstance() { if collect { instancePath.removeLast() } }

    func report(_ node: SchemaNode, _ keyword: String, _ message: String, redacted: String? = nil, instanceToken: String? = nil) {
        guard collect, violations.count < maxViolations else { return }
        var path = instancePath
        if let t = instanceToken { path.append(t) }
        violations.append(SchemaViolation(
            instanceLocation: JSONPointer(tokens: path).description,
            keywordLocation: JSONPointer(tokens: keywordPath + [keyword]).description,
            absoluteKeywordLocation: node.location + "/" + JSONPointer(tokens: [keyword]).description.dropFirst(),
            keyword: keyword, message: message, redactedMessage: redacted))
    }

    // MARK: Evaluation

    func validate(_ node: SchemaNode, _ value: JSONValue, _ annotations: Annotations?) throws(EvaluationAbort) -> Bool {
        if let constant = node.constant {
            if !constant {
                report(node, "false", "no value is allowed here (the schema is false)")
            }
            return constant
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Evaluator.maxDepth { throw abort("schema evaluation nested deeper than \(Evaluator.maxDepth) levels (a $ref cycle that never consumes the instance?)") }
        var pushed = false
        if tracksScope && scope.last !== node.resource {
            scope.append(node.resource)
            pushed = true
        }
        defer { if pushed { scope.removeLast() } }
        // A schema with unevaluated* sees only what its own keywords evaluated (not its
        // siblings'), then passes that up; other schemas write straight into the caller's record.
        let local = node.needsAnnotations ? Annotations() : annotations
        // The node (and so its keyword array) lives as long as the validator; the buffer is only
        // used during this call.
        let keywords = UnsafeBufferPointer(start: node.keywordStorage, count: node.keywordCount)
        var valid = true
        for k in keywords.indices {
            if try !check(keywords, k, node, value, local) {
                valid = false
                if !collect { break }
            }
        }
        if valid, node.needsAnnotations, let parent = annotations, let local { parent.merge(local) }
        return valid
    }

    /// Evaluates a subschema on the same instance with a fresh annotation record that the caller
    /// merges only if the branch counts (anyOf, oneOf, if).
    func branch(_ node: SchemaNode, _ value: JSONValue, _ annotations: Annotations?) throws(EvaluationAbort) -> (Bool, Annotations?) {
        let fresh = annotations != nil ? Annotations() : nil
        let ok = try validate(node, value, fresh)
        return (ok, fresh)
    }

    /// Validates a child instance (member `token` of the current one) with no annotations.
    func validateChild(_ node: SchemaNode, _ value: JSONValue, _ token: String) throws(EvaluationAbort) -> Bool {
        pushInstance(token)
        defer { popInstance() }
        do { return try validate(node, value, nil) } catch {
            var e = error
            if !collect { e.outerTokens.append(token) }
            throw e
        }
    }

    func validateChild(_ node: SchemaNode, _ value: JSONValue, index: Int) throws(EvaluationAbort) -> Bool {
        if collect { return try validateChild(node, value, String(index)) }
        do { return try validate(node, value, nil) } catch {
            var e = error
            e.outerTokens.append(String(index))
            throw e
        }
    }

    func truncateViolations(_ count: Int) {
        if collect && violations.count > count { violations.removeSubrange(count...) }
    }
}
