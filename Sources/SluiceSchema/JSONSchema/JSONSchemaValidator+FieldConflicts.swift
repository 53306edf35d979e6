public import SluiceCore
public import SluiceJSON
import SluiceRegex

extension JSONSchemaValidator {
    /// Why a value of `kinds` (nil: unknown) at `pointer` can never pass this schema, judged
    /// from the schema alone: a `false` schema on the way (`additionalProperties: false` with no
    /// property or pattern for the name), or a `type` that excludes the value (or the object a
    /// deeper field needs). Only `properties`, `patternProperties`, `additionalProperties`,
    /// `type`, `allOf` and `$ref` are followed; whatever depends on other fields (`anyOf`,
    /// `oneOf`, `if`, `unevaluatedProperties`, ...) is taken to allow the field. Nil: it may pass.
    public func conflict(at pointer: JSONPointer, kinds: JSONKinds?) -> FieldConflict? {
        var budget = 10_000
        return FieldConflictSearch.conflict(root, pointer.tokens[...], kinds, done: [], budget: &budget)
    }
}

private enum FieldConflictSearch {
    static func conflict(_ node: SchemaNode, _ path: ArraySlice<String>, _ kinds: JSONKinds?, done: [String],
                         budget: inout Int) -> FieldConflict? {
        budget -= 1
        guard budget > 0 else { return nil }
        if node.constant == false {
            return FieldConflict(message: "the schema at \(place(done)) is false", keywordLocation: node.location)
        }
        let here: JSONKinds? = path.isEmpty ? kinds : .object
        for keyword in node.keywords {
            switch keyword {
            case .type(let types):
                guard let here else { continue }
                let allowed = Self.kinds(types)
                if allowed.isDisjoint(with: here) {
                    let what = path.isEmpty ? here.name : "an object (to hold '\(path.first!)')"
                    return FieldConflict(message: "\(place(done)) must be \(allowed.name), and gets \(what)",
                                         keywordLocation: node.location + "/type")
                }
            case .allOf(let nodes):
                for n in nodes {
                    if let c = conflict(n, path, kinds, done: done, budget: &budget) { return c }
                }
            case .ref(let target, _), .dynamicRef(let target, _):
                if let c = conflict(target, path, kinds, done: done, budget: &budget) { return c }
            case .objectApplicator(let applicator):
                guard let key = path.first else { continue }
                if let c = member(applicator, node, key, path.dropFirst(), kinds, done: done, budget: &budget) { return c }
            default:
                continue
            }
        }
        return nil
    }

    /// The subschemas that apply to member `key` (its property, matching patterns, or else
    /// `additionalProperties`).
    static func member(_ applicator: ObjectApplicator, _ node: SchemaNode, _ key: String, _ rest: ArraySlice<String>,
                       _ kinds: JSONKinds?, done: [String], budget: inout Int) -> FieldConflict? {
        var subschemas: [SchemaNode] = []
        if let i = applicator.names.firstIndex(of: key) { subschemas.append(applicator.nodes[i]) }
        for (regex, sub) in applicator.patterns where (try? regex.isMatch(in: key, budget: 100_000)) ?? true {
            subschemas.append(sub)
        }
        if subschemas.isEmpty, let additional = applicator.additional {
            if additional.constant == false {
                let listed = applicator.names.isEmpty ? "no properties are listed" : "'\(key)' is not among its properties"
                return FieldConflict(message: "\(place(done)) allows no other fields (additionalProperties is false) and \(listed)",
                                     keywordLocation: node.location + "/additionalProperties")
            }
            subschemas.append(additional)
        }
        for sub in subschemas {
            if sub.constant == false {
                return FieldConflict(message: "the schema of \(place(done + [key])) is false", keywordLocation: sub.location)
            }
            if let c = conflict(sub, rest, kinds, done: done + [key], budget: &budget) { return c }
        }
        return nil
    }

    static func place(_ done: [String]) -> String {
        done.isEmpty ? "the record" : "'\(JSONPointer(tokens: done))'"
    }

    static func kinds(_ types: TypeSet) -> JSONKinds {
        var k: JSONKinds = []
        if types.contains(.null) { k.insert(.null) }
        if types.contains(.boolean) { k.insert(.boolean) }
        if types.contains(.object) { k.insert(.object) }
        if types.contains(.array) { k.insert(.array) }
        if !types.isDisjoint(with: [.number, .integer]) { k.insert(.number) }
        if types.contains(.string) { k.insert(.string) }
        return k
    }
}
