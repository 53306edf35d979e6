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
final class ItemsApplicator: @unchecked Sendable {
    var prefix: [SchemaNode] = []
    /// Applies to items after the prefix.
    var rest: SchemaNode?
    /// Keyword names for error locations: (`prefixItems`, `items`) or (`items`, `additionalItems`).
    var prefixKeyword: String
    var restKeyword: String

    init(prefix: [SchemaNode], rest: SchemaNode?, prefixKeyword: String, restKeyword: String) {
        self.prefix = prefix
        self.rest = rest
        self.prefixKeyword = prefixKeyword
        self.restKeyword = restKeyword
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
