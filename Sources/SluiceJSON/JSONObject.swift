/// A JSON object that keeps its members in insertion order.
///
/// Members live in two parallel arrays (keys and values), so iteration in document order costs no
/// hashing. Lookup by key scans small objects (up to `JSONObject.scanLimit` members) and uses a
/// key-to-position dictionary for larger ones. Setting an existing key keeps its position;
/// removing a key is O(n).
///
/// The members are held in one copy-on-write storage object whose `deinit` frees nested arrays
/// and objects without recursion (see `JSONValue.dismantle()`), so an object nested any number
/// of levels deep is freed on any thread's stack.
public struct JSONObject: Sendable {
    /// Keys, values and index; copied before a change when shared.
    fileprivate var storage: JSONObjectStorage

    public var keys: [String] { storage.keys }
    public var values: [JSONValue] { storage.values }

    /// Objects up to this size are searched by a linear scan, which beats hashing for them.
    static let scanLimit = 8

    public init() { storage = JSONObjectStorage() }

    public init(_ members: [(String, JSONValue)]) {
        storage = JSONObjectStorage()
        storage.keys.reserveCapacity(members.count)
        storage.values.reserveCapacity(members.count)
        for (k, v) in members { self[k] = v }
    }

    /// Builds an object from members in document order, as the parser does. A repeated key keeps
    /// the position of its first occurrence and the value of its last.
    ///
    /// The values are moved out of `values` (one per key, in order) and their slots refilled
    /// with `.null`, which saves a retain and a release per member and an intermediate array.
    init(orderedKeys: [String], movingValuesFrom source: UnsafeMutablePointer<JSONValue>) {
        storage = JSONObjectStorage()
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
            if unique { storage.index = positions }
        }
        if unique {
            storage.keys = orderedKeys
            storage.values = [JSONValue](unsafeUninitializedCapacity: n) { buffer, initialized in
                guard let target = buffer.baseAddress else { return }
                target.moveInitialize(from: source, count: n)
                source.initialize(repeating: .null, count: n)
                initialized = n
            }
            return
        }
        storage.keys.reserveCapacity(n)
        storage.values.reserveCapacity(n)
        for i in orderedKeys.indices {
            let v = (source + i).move()
            (source + i).initialize(to: .null)
            if let at = position(of: orderedKeys[i]) {
                storage.values[at] = v
            } else {
                append(orderedKeys[i], v)
            }
        }
    }

    /// Makes `storage` this value's own before a change (copy on write).
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = JSONObjectStorage(copying: storage) }
    }

    /// Moves the members out when this object holds the only reference to its storage (the object
    /// is left empty); returns nil when the storage is shared with another copy.
    mutating func takeValuesIfUnique() -> [JSONValue]? {
        guard isKnownUniquelyReferenced(&storage) else { return nil }
        let taken = storage.values
        storage.values = []
        return taken
    }

    public var count: Int { storage.keys.count }
    public var isEmpty: Bool { storage.keys.isEmpty }

    /// The position of `key` among the members, if present.
    public func position(of key: String) -> Int? {
        if let index = storage.index { return index[JSONKey(key)] }
        return storage.keys.firstIndex { $0.utf8.elementsEqual(key.utf8) }
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { storage.values[$0] } }
        set {
            if let newValue {
                if let at = position(of: key) {
                    makeUnique()
                    storage.values[at] = newValue
                } else {
                    append(key, newValue)
                }
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    /// Members in document order.
    public var members: [(key: String, value: JSONValue)] {
        (0..<storage.keys.count).map { (storage.keys[$0], storage.values[$0]) }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let at = position(of: key) else { return nil }
        makeUnique()
        storage.keys.remove(at: at)
        let old = storage.values.remove(at: at)
        rebuildIndex()
        return old
    }

    private mutating func append(_ key: String, _ value: JSONValue) {
        makeUnique()
        storage.keys.append(key)
        storage.values.append(value)
        if storage.index != nil {
            storage.index![JSONKey(key)] = storage.keys.count - 1
        } else if storage.keys.count > JSONObject.scanLimit {
            rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        guard storage.keys.count > JSONObject.scanLimit else { storage.index = nil; return }
        var d = [JSONKey: Int](minimumCapacity: storage.keys.count)
        for (i, k) in storage.keys.enumerated() { d[JSONKey(k)] = i }
        storage.index = d
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
            guard i < object.storage.keys.count else { return nil }
            defer { i += 1 }
            return (object.storage.keys[i], object.storage.values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { storage.keys.count }
}

extension JSONObject: Hashable {
    /// Objects are equal when they have the same members, whatever their order (as JSON Schema says).
    /// Compared without recursion beyond a few levels (see `JSONValue ==`).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        JSONValue.equal(.object(lhs), .object(rhs), depth: 0)
    }

    /// Order-independent: the members' hashes are combined by addition. Nesting below
    /// `JSONValue.hashDepth` levels is not hashed (equal values still hash alike).
    public func hash(into hasher: inout Hasher) {
        hash(into: &hasher, depth: 0)
    }

    func hash(into hasher: inout Hasher, depth: Int) {
        var sum = 0
        for i in 0..<storage.keys.count {
            var h = Hasher()
            h.combine(storage.keys[i])
            storage.values[i].hash(into: &h, depth: depth + 1)
            sum &+= h.finalize()
        }
        hasher.combine(storage.keys.count)
        hasher.combine(sum)
    }
}

/// The members of one `JSONObject` (shared by its copies until one of them changes).
final class JSONObjectStorage: @unchecked Sendable {
    // @unchecked: a storage is only changed through a `JSONObject` that holds the only reference
    // to it (`makeUnique()`), so no two threads ever see it change.
    var keys: [String] = []
    var values: [JSONValue] = []
    /// Positions by key, only for objects with more than `JSONObject.scanLimit` members.
    var index: [JSONKey: Int]? = nil

    init() {}

    init(copying other: JSONObjectStorage) {
        keys = other.keys
        values = other.values
        index = other.index
    }

    deinit {
        JSONValue.dismantle(&values)
    }
}
