import SluiceRegex
import SluiceJSON

/// One compiled (sub)schema. Nodes form a graph (`$ref` cycles are edges back to a node), built
/// once by `SchemaCompiler` and never changed afterwards, which is what makes sharing them
/// between threads safe.
final class SchemaNode: @unchecked Sendable {
    /// The absolute URI of this schema (`base#/json/pointer`), for absolute keyword locations.
    let location: String
    let resource: SchemaResource
    let draft: SchemaDraft
    /// `true`/`false` schemas.
    var constant: Bool?
    var keywords: [Keyword] = [] {
        didSet {
            keywordStorage.deinitialize(count: keywordCount)
            keywordStorage.deallocate()
            keywordStorage = .allocate(capacity: keywords.count)
            keywordStorage.initialize(from: keywords, count: keywords.count)
            keywordCount = keywords.count
        }
    }
    /// A copy of `keywords` that evaluation reads without retaining an array per visit (the
    /// node is immutable once compiled, and owns this memory until it is freed).
    @exclusivity(unchecked) private(set) var keywordStorage = UnsafeMutablePointer<Keyword>.allocate(capacity: 0)
    @exclusivity(unchecked) private(set) var keywordCount = 0
    /// Set when the node only constrains a string's type and length (see `StringLeaf`).
    @exclusivity(unchecked) var stringLeaf: StringLeaf?
    /// The node has `unevaluatedProperties`/`unevaluatedItems`, so its keywords must record what
    /// they evaluated.
    var needsAnnotations = false

    init(location: String, resource: SchemaResource, draft: SchemaDraft) {
        self.location = location
        self.resource = resource
        self.draft = draft
    }

    deinit {
        keywordStorage.deinitialize(count: keywordCount)
        keywordStorage.deallocate()
    }
}

/// A schema resource (a schema with its own base URI): the unit of the dynamic scope.
final class SchemaResource: @unchecked Sendable {
    let uri: String
    /// `$dynamicAnchor`s declared in this resource.
    var dynamicAnchors: [String: SchemaNode] = [:]
    init(uri: String) { self.uri = uri }
}

/// JSON types as a bit set; `integer` is its own bit and `number` includes it.
struct TypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    static let names: [(String, TypeSet)] = [("null", .null), ("boolean", .boolean), ("object", .object),
                                             ("array", .array), ("number", .number), ("string", .string),
                                             ("integer", .integer)]

    var displayNames: [String] { TypeSet.names.filter { contains($0.1) }.map(\.0) }
}

/// `prefixItems` + `items` (2020-12), or array-form `items` + `additionalItems` (draft 7), or a
/// single `items` schema.
final class ItemsApplicator: Sendable {
    let prefix: [SchemaNode]
    /// Applies to items after the prefix.
    let rest: SchemaNode?
    /// `rest.stringLeaf`, read once here.
    let restLeaf: StringLeaf?
    /// Keyword names for error locations: (`prefixItems`, `items`) or (`items`, `additionalItems`).
    let prefixKeyword: String
    let restKeyword: String

    init(prefix: [SchemaNode], rest: SchemaNode?, prefixKeyword: String, restKeyword: String) {
        self.prefix = prefix
        self.rest = rest
        restLeaf = rest?.stringLeaf
        self.prefixKeyword = prefixKeyword
        self.restKeyword = restKeyword
    }
}

/// A schema that only says "a string of this many code points" (`type` including `string`,
/// `minLength`, `maxLength`, nothing else). The fast path checks string members against it in
/// place: no evaluation frame, and no reference taken on the string (its length is stored
/// beside it), so long strings that nothing else reads are never touched.
struct StringLeaf: Sendable {
    let minLength: Int
    let maxLength: Int?

    /// The leaf for `keywords`, or nil when they ask for more than type and length.
    init?(_ keywords: [Keyword]) {
        var minLength = 0
        var maxLength: Int? = nil
        for k in keywords {
            switch k {
            case .type(let t): guard t.contains(.string) else { return nil }
            case .minLength(let m): minLength = max(minLength, m)
            case .maxLength(let m): maxLength = min(maxLength ?? m, m)
            default: return nil
            }
        }
        self.minLength = minLength
        self.maxLength = maxLength
    }

    /// The same answer as the `minLength`/`maxLength` keywords (code points, counted only when
    /// the UTF-8 length cannot decide).
    @inline(__always)
    func accepts(_ s: String) -> Bool {
        let bytes = s.utf8.count
        if let maxLength, bytes > maxLength, s.unicodeScalars.count > maxLength { return false }
        if minLength > 0, bytes / 4 < minLength, s.unicodeScalars.count < minLength { return false }
        return true
    }
}

/// `required`; `coveredByProperties` when the object applicator checks it in the fast path.
final class RequiredCheck: @unchecked Sendable {
    let names: [String]
    var coveredByProperties = false
    init(names: [String]) { self.names = names }
}

/// `maximum`/`exclusiveMaximum`/`minimum`/`exclusiveMinimum`.
final class NumericBound: @unchecked Sendable {
    let limit: JSONNumber.Decimal
    /// The limit as an Int when it is one, for comparing plain integers without decimals.
    let integerLimit: Int?
    let text: String
    let keyword: String
    let upper: Bool
    let exclusive: Bool
    init(limit: JSONNumber.Decimal, text: String, keyword: String, upper: Bool, exclusive: Bool) {
        self.limit = limit
        self.integerLimit = limit.exponent >= 0 && limit.digits.count + limit.exponent <= 17 ? JSONNumber(uncheckedText: text).intValue : nil
        self.text = text
        self.keyword = keyword
        self.upper = upper
        self.exclusive = exclusive
    }
}

/// The content keywords, asserted in draft 7 when format assertion is on (2020-12 treats them as
/// annotations only).
struct ContentCheck {
    var base64: Bool
    var json: Bool
}

enum Keyword {
    case type(TypeSet)
    case const(JSONValue)
    case enumeration([JSONValue])
    case multipleOf(JSONNumber.Decimal, text: String)
    case bound(NumericBound)
    case maxLength(Int)
    case minLength(Int)
    case pattern(ECMARegex)
    case format(FormatChecker)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case maxProperties(Int)
    case minProperties(Int)
    case required(RequiredCheck)
    case dependentRequired([(String, [String])], keyword: String)
    case objectApplicator(ObjectApplicator)
    case items(ItemsApplicator)
    case contains(SchemaNode, min: Int, max: Int?)
    case propertyNames(SchemaNode)
    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(SchemaNode)
    case conditional(if: SchemaNode, then: SchemaNode?, else: SchemaNode?)
    case dependentSchemas([(String, SchemaNode)], keyword: String)
    case ref(SchemaNode, keyword: String)
    /// `$dynamicRef`: the statically resolved target, and the anchor name when the target was
    /// found through a `$dynamicAnchor` (which makes the reference dynamic).
    case dynamicRef(SchemaNode, anchor: String?)
    case unevaluatedProperties(SchemaNode)
    case unevaluatedItems(SchemaNode)
    case content(ContentCheck)
}
