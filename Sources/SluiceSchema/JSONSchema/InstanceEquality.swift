import SluiceJSON

/// JSON Schema equality for `const`, `enum` and `uniqueItems`: like `JSONValue ==` (numbers by
/// value, objects unordered) except that strings compare by code points. Swift's `String ==`
/// treats canonically equivalent strings (`é` and `e` + combining acute) as equal; JSON Schema
/// does not.
enum InstanceEquality {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        // One switch per side (a tuple switch would copy both values).
        switch a {
        case .string(let x):
            guard case .string(let y) = b else { return false }
            return x.utf8.elementsEqual(y.utf8)
        case .array(let x):
            guard case .array(let y) = b, x.count == y.count else { return false }
            for i in x.indices where !equal(x[i], y[i]) { return false }
            return true
        case .object(let x):
            guard case .object(let y) = b, x.count == y.count else { return false }
            for key in x.keys {
                guard let xv = x[key], let yk = y.keys.first(where: { $0.utf8.elementsEqual(key.utf8) }), let yv = y[yk] else { return false }
                if !equal(xv, yv) { return false }
            }
            return true
        default:
            return a == b
        }
    }

    /// The first pair of equal items (i < j), or nil when all are distinct. Candidates are found
    /// by hashing (`JSONValue` hashes agree with this equality's looser cousin) and confirmed
    /// strictly.
    static func firstDuplicate(_ items: [JSONValue]) -> (Int, Int)? {
        if items.count <= 16 {
            // Pairwise is cheaper than hashing for short arrays.
            for j in 1..<items.count {
                for i in 0..<j where equal(items[i], items[j]) { return (i, j) }
            }
            return nil
        }
        var buckets: [JSONValue: [Int]] = [:]
        for (j, item) in items.enumerated() {
            if let earlier = buckets[item] {
                for i in earlier where equal(items[i], item) { return (i, j) }
            }
            buckets[item, default: []].append(j)
        }
        return nil
    }
}
