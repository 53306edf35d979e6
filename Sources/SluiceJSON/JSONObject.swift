/// A JSON object that keeps its members in insertion order.
///
/// Members live in two parallel arrays (keys and values), so iteration in document order costs no
/// hashing. Lookup by key scans small objects (up to `JSONObject.scanLimit` members) and uses a
/// key-to-position dictionary for larger ones. Setting an existing key keeps its position;
/// removing a key is O(n).
public struct JSONObject: Sendable {
    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []
    /// Positions by key, only for objects with more than `scanLimit` members.
    private var index: [JSONKey: Int]? = nil

    /// Objects up to this size are searched by a linear scan, which beats hashing for them.
    static let scanLimit = 8

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        keys.reserveCapacity(members.count)
        values.reserveCapacity(members.count)
        for (k, v) in members { self[k] = v }
    }

    /// Builds an object from members in document order, as the parser does. A repeated key keeps
    /// the position of its first occurrence and the value of its last.
    ///
    /// The values are moved out of `values` (one per key, in order) and their slots refilled
    /// with `.null`, which saves a retain and a release per member and an intermediate array.
    init(orderedKeys: [String], movingValuesFrom source: UnsafeMutablePointer<JSONValue>) {
        let n = orderedKeys.count
        // The common case, no repeated key: take the keys array as it is and move the values
        // over in one go (the index, when one is needed, comes out of the duplicate check).
        var unique = true
        if n <= JSONObject.scanLimit {
            check: for i in orderedKeys.indices {
                for j in 0..<i where orderedKeys[j].utf8.elementsEqual(orderedKeys[i].utf8) {
                    unique = false
                    break check
                }
            }
        } else {
            var positions = [JSONKey: Int](minimumCapacity: n)
            for (i, key) in orderedKeys.enumerated() where positions.updateValue(i, forKey: JSONKey(key)) != nil {
                unique = false
                break
            }
            if unique { index = positions }
        }
        if unique {
            keys = orderedKeys
            values = [JSONValue](unsafeUninitializedCapacity: n) { buffer, initialized in
                guard let target = buffer.baseAddress else { return }
                target.moveInitialize(from: source, count: n)
                source.initialize(repeating: .null, count: n)
                initialized = n
            }
            return
        }
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
        for i in orderedKeys.indices {
            let v = (source + i).move()
            (source + i).initialize(to: .null)
            if let at = position(of: orderedKeys[i]) {
                values[at] = v
            } else {
                append(orderedKeys[i], v)
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key` among the members, if present.
    public func position(of key: String) -> Int? {
        if let index { return index[JSONKey(key)] }
        return keys.firstIndex { $0.utf8.elementsEqual(key.utf8) }
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                if let at = position(of: key) { values[at] = newValue } else { append(key, newValue) }
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    /// Members in document order.
    public var members: [(key: String, value: JSONValue)] {
        (0..<keys.count).map { (keys[$0], values[$0]) }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let at = position(of: key) else { return nil }
        keys.remove(at: at)
        let old = values.remove(at: at)
        rebuildIndex()
        return old
    }

    private mutating func append(_ key: String, _ value: JSONValue) {
        keys.append(key)
        values.append(value)
        if index != nil {
            index![JSONKey(key)] = keys.count - 1
        } else if keys.count > JSONObject.scanLimit {
            rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        guard keys.count > JSONObject.scanLimit else { index = nil; return }
        var d = [JSONKey: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { d[JSONKey(k)] = i }
        index = d
    }
}

/// A member name compared by its UTF-8 bytes. JSON names that differ only in Unicode
/// normalisation (`"é"` precomposed or not) are different members; `String ==` would merge them
/// and lose a value.
struct JSONKey: Hashable {
    let name: String
    init(_ name: String) { self.name = name }
    static func == (a: JSONKey, b: JSONKey) -> Bool { a.name.utf8.elementsEqual(b.name.utf8) }
    func hash(into hasher: inout Hasher) {
        var name = self.name
        name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var i = 0
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard i < object.keys.count else { return nil }
            defer { i += 1 }
            return (object.keys[i], object.values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { keys.count }
}

extension JSONObject: Hashable {
    /// Objects are equal when they have the same members, whatever their order (as JSON Schema says).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for i in 0..<lhs.keys.count {
            guard let at = rhs.position(of: lhs.keys[i]), rhs.values[at] == lhs.values[i] else { return false }
        }
        return true
    }

    /// Order-independent: the members' hashes are combined by addition.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for i in 0..<keys.count {
            var h = Hasher()
            h.combine(keys[i])
            h.combine(values[i])
            sum &+= h.finalize()
        }
        hasher.combine(keys.count)
        hasher.combine(sum)
    }
}
