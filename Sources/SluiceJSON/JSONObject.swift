/// A JSON object that keeps its members in insertion order.
///
/// Lookup is by a dictionary index; iteration is in document order. Setting an existing key
/// keeps its position; removing a key is O(n).
public struct JSONObject: Sendable {
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        keys.reserveCapacity(members.count)
        for (k, v) in members { self[k] = v }
    }

    /// Builds an object from members in document order, as the parser does. A repeated key keeps
    /// the position of its first occurrence and the value of its last.
    ///
    /// The values are moved out of `values` (one per key, in order) and their slots refilled
    /// with `.null`, which saves a retain and a release per member and an intermediate array.
    init(orderedKeys: [String], movingValuesFrom values: UnsafeMutablePointer<JSONValue>) {
        var storage = Dictionary<String, JSONValue>(minimumCapacity: orderedKeys.count)
        for i in orderedKeys.indices {
            storage[orderedKeys[i]] = (values + i).move()
            (values + i).initialize(to: .null)
        }
        self.storage = storage
        if storage.count == orderedKeys.count {
            keys = orderedKeys
        } else {
            var seen = Set<String>(minimumCapacity: storage.count)
            keys.reserveCapacity(storage.count)
            for key in orderedKeys where seen.insert(key).inserted { keys.append(key) }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Members in document order.
    public var members: [(key: String, value: JSONValue)] {
        keys.map { ($0, storage[$0] ?? .null) }
    }

    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = storage.removeValue(forKey: key)
        if old != nil { keys.removeAll { $0 == key } }
        return old
    }
}

extension JSONObject: Sequence {
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var i = 0
        let keys = self.keys
        let storage = self.storage
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], storage[keys[i]] ?? .null)
        }
    }
}

extension JSONObject: Hashable {
    /// Objects are equal when they have the same members, whatever their order (as JSON Schema says).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}
