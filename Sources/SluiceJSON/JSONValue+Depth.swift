/// Freeing and comparing values of any depth without recursion.
///
/// Swift frees a nested enum recursively: a value tens of thousands of levels deep would overflow
/// the thread's stack when its last copy goes away. Objects free their members through
/// `dismantle(_:)` (from `JSONObjectStorage.deinit`), which takes apart every container it owns
/// alone with an explicit work list; containers shared with another copy are only released.
extension JSONValue {
    /// Frees this value without recursion, whatever its depth, and leaves `.null`.
    ///
    /// Objects do this on their own; call it for a deep value whose outermost level is an array
    /// (arrays cannot run code when they are freed).
    public mutating func dismantle() {
        var pending = [self]
        self = .null
        JSONValue.dismantle(&pending)
    }

    /// Frees `values` (left empty) without recursion.
    static func dismantle(_ values: inout [JSONValue]) {
        // Common case: nothing nested, Swift's own freeing is flat.
        guard values.contains(where: \.isContainer) else { return }
        var pending = values
        values = []
        while var value = pending.popLast() {
            // The payload is taken through a function call, so that no temporary copy outlives
            // it; once `value` is cleared the payload is the only reference if `value` was.
            if var elements = JSONValue.arrayPayload(value) {
                value = .null
                guard !elements.isEmpty else { continue }
                // Elements are taken over only when this was the last reference to them: asking
                // for mutable access copies a shared buffer (a shallow copy, released flatly).
                let before = elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
                let after = elements.withUnsafeMutableBufferPointer { UnsafeRawPointer($0.baseAddress) }
                if before == after { pending.append(contentsOf: elements) }
            } else if var object = JSONValue.objectPayload(value) {
                value = .null
                if let members = object.takeValuesIfUnique() { pending.append(contentsOf: members) }
            }
        }
    }

    private static func arrayPayload(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    private static func objectPayload(_ value: JSONValue) -> JSONObject? {
        if case .object(let object) = value { return object }
        return nil
    }

    var isContainer: Bool {
        switch self {
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        default: return false
        }
    }

    /// Plain recursion for the first levels (cheapest), an explicit stack below them.
    static let recursionLimit = 64

    static func equal(_ lhs: JSONValue, _ rhs: JSONValue, depth: Int) -> Bool {
        guard depth < recursionLimit else { return equalIteratively(lhs, rhs) }
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !equal(a[i], b[i], depth: depth + 1) { return false }
            return true
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            let (keys, values, others) = (a.keys, a.values, b.values)
            for i in keys.indices {
                guard let at = b.position(of: keys[i]), equal(values[i], others[at], depth: depth + 1) else { return false }
            }
            return true
        default: return false
        }
    }

    private static func equalIteratively(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        var pending = [(lhs, rhs)]
        while let (left, right) = pending.popLast() {
            switch (left, right) {
            case (.array(let a), .array(let b)):
                guard a.count == b.count else { return false }
                for i in a.indices { pending.append((a[i], b[i])) }
            case (.object(let a), .object(let b)):
                guard a.count == b.count else { return false }
                let (keys, values, others) = (a.keys, a.values, b.values)
                for i in keys.indices {
                    guard let at = b.position(of: keys[i]) else { return false }
                    pending.append((values[i], others[at]))
                }
            case (.array, _), (.object, _), (_, .array), (_, .object):
                return false
            default:
                guard equal(left, right, depth: 0) else { return false }
            }
        }
        return true
    }
}

extension JSONValue {
    /// About how many bytes this value's JSON text takes (strings, keys and numbers by their
    /// UTF-8 size, a few bytes per punctuation), counted without recursion. Cheap for the
    /// common case: a value with a few large strings costs one step per node.
    public var estimatedSize: Int {
        var total = 0
        var pending: [JSONValue] = [self]
        while let value = pending.popLast() {
            switch value {
            case .null, .bool: total += 5
            case .number(let n): total += n.text.utf8.count
            case .string(let s): total += s.utf8.count + 2
            case .array(let a):
                total += 2 + a.count
                pending.append(contentsOf: a)
            case .object(let o):
                total += 2
                for key in o.keys { total += key.utf8.count + 4 }
                pending.append(contentsOf: o.values)
            }
        }
        return total
    }
}
