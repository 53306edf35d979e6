/// What the keywords of one schema evaluated at one instance location: the annotations that
/// `unevaluatedProperties` and `unevaluatedItems` depend on. Only allocated when a schema in
/// scope uses them.
final class Annotations {
    var properties: Set<String> = []
    var allProperties = false
    /// Items 0..<prefix were evaluated (`prefixItems`, array `items` in draft 7).
    var prefix = 0
    var allItems = false
    /// Items matched by `contains`.
    var indices: Set<Int> = []

    init() {}

    func copy() -> Annotations {
        let c = Annotations()
        c.properties = properties
        c.allProperties = allProperties
        c.prefix = prefix
        c.allItems = allItems
        c.indices = indices
        return c
    }

    func merge(_ o: Annotations) {
        if o.allProperties { allProperties = true } else if !o.properties.isEmpty { properties.formUnion(o.properties) }
        prefix = max(prefix, o.prefix)
        if o.allItems { allItems = true }
        if !o.indices.isEmpty { indices.formUnion(o.indices) }
    }

    func isPropertyEvaluated(_ key: String) -> Bool { allProperties || properties.contains(key) }
    func isItemEvaluated(_ i: Int) -> Bool { allItems || i < prefix || indices.contains(i) }
}
