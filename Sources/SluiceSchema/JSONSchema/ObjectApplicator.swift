import SluiceRegex
/// `properties` + `patternProperties` + `additionalProperties`, evaluated in one pass over the
/// instance's members. Immutable once built, like the rest of the compiled graph.
final class ObjectApplicator: Sendable {
    /// `properties` in schema order: names, their UTF-8 bytes, subschemas, and whether the name
    /// is also `required` (see `requiredCount`).
    let names: [String]
    let nameBytes: [[UInt8]]
    let nodes: [SchemaNode]
    /// `nodes[i].stringLeaf`, read once here.
    let leaves: [StringLeaf?]
    let required: [Bool]
    /// When the sibling `required` names only properties listed here, the fast path checks it
    /// during this pass (no lookups): the number of properties flagged in `required`.
    let requiredCount: Int
    /// Positions by name for members that arrive out of schema order (only for more than
    /// `scanLimit` properties; fewer are scanned).
    let lookup: [PropertyKey: Int]
    let patterns: [(ECMARegex, SchemaNode)]
    let additional: SchemaNode?
    let hasProperties: Bool
    let hasPatterns: Bool

    static let scanLimit = 8

    /// `requiredNames`: the sibling `required` keyword's names; the fast path folds them in when
    /// every one of them is a listed property.
    init(properties: [(String, SchemaNode)]?, patterns: [(ECMARegex, SchemaNode)]?, additional: SchemaNode?,
         requiredNames: [String]) {
        let props = properties ?? []
        names = props.map(\.0)
        nameBytes = props.map { Array($0.0.utf8) }
        nodes = props.map(\.1)
        leaves = props.map(\.1.stringLeaf)
        hasProperties = properties != nil
        self.patterns = patterns ?? []
        hasPatterns = patterns != nil
        self.additional = additional
        var lookup: [PropertyKey: Int] = [:]
        if props.count > ObjectApplicator.scanLimit {
            for (i, name) in names.enumerated() { lookup[PropertyKey(name)] = i }
        }
        self.lookup = lookup
        let requiredBytes = Set(requiredNames.map { Array($0.utf8) })
        let listed = Set(nameBytes)
        if !requiredBytes.isEmpty, hasProperties, requiredBytes.isSubset(of: listed) {
            required = nameBytes.map { requiredBytes.contains($0) }
            requiredCount = requiredBytes.count
        } else {
            required = Array(repeating: false, count: props.count)
            requiredCount = 0
        }
    }

    /// Whether the sibling `required` is checked by this applicator's fast path.
    var coversRequired: Bool { requiredCount > 0 }

    /// The position of the property named `key` (compared by UTF-8 bytes). Instance members
    /// usually come in the schema's order, so the name at `cursor` is tried first; the cursor
    /// moves past each match.
    @inline(__always)
    func position(of key: String, cursor: inout Int) -> Int? {
        if cursor < nameBytes.count, PropertyKey.equal(key, nameBytes[cursor]) {
            cursor += 1
            return cursor - 1
        }
        let found: Int?
        if nameBytes.count > ObjectApplicator.scanLimit {
            found = lookup[PropertyKey(key)]
        } else {
            found = nameBytes.firstIndex { PropertyKey.equal(key, $0) }
        }
        if let found { cursor = found + 1 }
        return found
    }
}

/// A member name hashed and compared by its UTF-8 bytes: JSON names that differ only in Unicode
/// normalisation are different properties (Swift's `String ==` would merge them).
struct PropertyKey: Hashable, Sendable {
    let name: String
    init(_ name: String) { self.name = name }

    static func == (a: PropertyKey, b: PropertyKey) -> Bool { a.name.utf8.elementsEqual(b.name.utf8) }

    func hash(into hasher: inout Hasher) {
        if let done: Void = name.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        Array(name.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// `key`'s UTF-8 bytes equal `bytes`.
    @inline(__always)
    static func equal(_ key: String, _ bytes: [UInt8]) -> Bool {
        let utf8 = key.utf8
        guard utf8.count == bytes.count else { return false }
        if let same = utf8.withContiguousStorageIfAvailable({ k in
            bytes.withUnsafeBufferPointer { b in
                for i in 0..<k.count where k[i] != b[i] { return false }
                return true
            }
        }) {
            return same
        }
        return utf8.elementsEqual(bytes)
    }
}
