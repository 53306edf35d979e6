import SluiceRegex
import SluiceJSON

extension SchemaCompiler {
    func compileKeywords(_ node: SchemaNode, _ o: JSONObject, at loc: SchemaLocation, info inf: LocationInfo) throws(SchemaError) {
        let draft = inf.draft
        func fail(_ keyword: String, _ message: String) -> SchemaError {
            SchemaError(message: "\(keyword): \(message)", location: node.location + "/" + keyword)
        }
        func sub(_ tokens: String...) throws(SchemaError) -> SchemaNode {
            try self.node(at: SchemaLocation(document: loc.document, pointer: loc.pointer + tokens))
        }
        func count(_ kw: String) throws(SchemaError) -> Int? {
            guard let v = o[kw] else { return nil }
            guard case .number(let n) = v, ExactNumbers.isInteger(n), !n.decimal.negative else {
                throw fail(kw, "must be a non-negative integer")
            }
            return n.intValue ?? Int.max
        }
        func number(_ kw: String) throws(SchemaError) -> JSONNumber? {
            guard let v = o[kw] else { return nil }
            guard case .number(let n) = v else { throw fail(kw, "must be a number") }
            return n
        }
        func subschemaArray(_ kw: String) throws(SchemaError) -> [SchemaNode]? {
            guard let v = o[kw] else { return nil }
            guard case .array(let items) = v, !items.isEmpty else { throw fail(kw, "must be a non-empty array of schemas") }
            var out: [SchemaNode] = []
            for i in items.indices { out.append(try sub(kw, String(i))) }
            return out
        }

        // Draft 7: a `$ref` replaces every sibling keyword.
        if draft == .draft7, let r = o["$ref"] {
            guard case .string(let ref) = r else { throw fail("$ref", "must be a string") }
            node.keywords = [.ref(try self.node(at: resolve(ref, base: inf.base, draft: draft, site: node.location + "/$ref")), keyword: "$ref")]
            return
        }

        var kws: [Keyword] = []
        var applicators: [Keyword] = []

        if inf.vocabularies.validation {
            if let t = o["type"] {
                var set: TypeSet = []
                let names: [JSONValue]
                switch t {
                case .string: names = [t]
                case .array(let a): names = a
                default: throw fail("type", "must be a type name or an array of them")
                }
                for n in names {
                    guard let s = n.stringValue, let bit = TypeSet.names.first(where: { $0.0 == s })?.1 else {
                        throw fail("type", "unknown type \(n)")
                    }
                    set.insert(bit)
                }
                kws.append(.type(set))
            }
            if let c = o["const"] { kws.append(.const(c)) }
            if let e = o["enum"] {
                guard case .array(let values) = e else { throw fail("enum", "must be an array") }
                kws.append(.enumeration(values))
            }
            if let m = try number("multipleOf") {
                let d = m.decimal
                guard !d.negative, !d.digits.isEmpty else { throw fail("multipleOf", "must be greater than 0") }
                kws.append(.multipleOf(d, text: m.text))
            }
            for (kw, upper, exclusive) in [("maximum", true, false), ("exclusiveMaximum", true, true),
                                            ("minimum", false, false), ("exclusiveMinimum", false, true)] {
                if let n = try number(kw) { kws.append(.bound(NumericBound(limit: n.decimal, text: n.text, keyword: kw, upper: upper, exclusive: exclusive))) }
            }
            if let n = try count("maxLength") { kws.append(.maxLength(n)) }
            if let n = try count("minLength") { kws.append(.minLength(n)) }
            if let n = try count("maxItems") { kws.append(.maxItems(n)) }
            if let n = try count("minItems") { kws.append(.minItems(n)) }
            if let u = o["uniqueItems"] {
                guard case .bool(let b) = u else { throw fail("uniqueItems", "must be true or false") }
                if b { kws.append(.uniqueItems) }
            }
            if let n = try count("maxProperties") { kws.append(.maxProperties(n)) }
            if let n = try count("minProperties") { kws.append(.minProperties(n)) }
            if let r = o["required"] {
                guard case .array(let items) = r else { throw fail("required", "must be an array of property names") }
                var names: [String] = []
                for i in items {
                    guard let s = i.stringValue else { throw fail("required", "must be an array of property names") }
                    names.append(s)
                }
                if !names.isEmpty { kws.append(.required(RequiredCheck(names: names))) }
            }
            if draft.isModern, let d = o["dependentRequired"] {
                kws.append(.dependentRequired(try stringLists(d, fail: { fail("dependentRequired", $0) }), keyword: "dependentRequired"))
            }
            if let p = o["pattern"] {
                guard case .string(let pattern) = p else { throw fail("pattern", "must be a string") }
                do { kws.append(.pattern(try ECMARegex(pattern))) } catch { throw fail("pattern", "\(error)") }
            }
        }
        if let f = o["format"], case .string(let name) = f,
           formatAssertion || inf.vocabularies.formatAssertion, let checker = FormatChecker.named(name) {
            kws.append(.format(checker))
        }
        if draft == .draft7, contentAssertion {
            let base64 = o["contentEncoding"]?.stringValue?.lowercased() == "base64"
            let json = o["contentMediaType"]?.stringValue?.lowercased() == "application/json"
            if base64 || json { kws.append(.content(ContentCheck(base64: base64, json: json))) }
        }

        if let r = o["$ref"] {
            guard case .string(let ref) = r else { throw fail("$ref", "must be a string") }
            applicators.append(.ref(try self.node(at: resolve(ref, base: inf.base, draft: draft, site: node.location + "/$ref")), keyword: "$ref"))
        }
        if draft == .draft2020_12, let r = o["$dynamicRef"] {
            guard case .string(let ref) = r else { throw fail("$dynamicRef", "must be a string") }
            let target = try resolve(ref, base: inf.base, draft: draft, site: node.location + "/$dynamicRef")
            let resolved = URIReference(inf.base).resolving(ref)
            var anchor: String? = nil
            if let frag = resolved.fragment, !frag.isEmpty, !frag.hasPrefix("/"),
               dynamicAnchors[resolved.withoutFragment.description]?[frag] != nil {
                anchor = frag
            }
            if anchor != nil { usesDynamicScope = true }
            applicators.append(.dynamicRef(try self.node(at: target), anchor: anchor))
        }

        if inf.vocabularies.applicator {
            var required: RequiredCheck? = nil
            for k in kws { if case .required(let r) = k { required = r } }
            try compileApplicators(o, draft: draft, required: required, into: &applicators, sub: sub, count: count, fail: fail)
        }
        if draft == .draft2019_09, let r = o["$recursiveRef"] {
            guard case .string(let ref) = r else { throw fail("$recursiveRef", "must be a string") }
            let target = try resolve(ref, base: inf.base, draft: draft, site: node.location + "/$recursiveRef")
            let resolved = URIReference(inf.base).resolving(ref).withoutFragment.description
            // Dynamic only when the initial target is a resource root with `$recursiveAnchor: true`.
            let anchor = dynamicAnchors[resolved]?[SchemaCompiler.recursiveAnchor] == target ? SchemaCompiler.recursiveAnchor : nil
            if anchor != nil { usesDynamicScope = true }
            applicators.append(.dynamicRef(try self.node(at: target), anchor: anchor))
        }
        if draft.isModern, inf.vocabularies.unevaluated {
            if o["unevaluatedProperties"] != nil {
                applicators.append(.unevaluatedProperties(try sub("unevaluatedProperties")))
                node.needsAnnotations = true
            }
            if o["unevaluatedItems"] != nil {
                applicators.append(.unevaluatedItems(try sub("unevaluatedItems")))
                node.needsAnnotations = true
            }
        }
        node.keywords = kws + applicators
        if !node.needsAnnotations { node.stringLeaf = StringLeaf(node.keywords) }
    }

    /// `required`: the node's compiled `required` check, which the object applicator takes over
    /// in the fast path when it can.
    func compileApplicators(_ o: JSONObject, draft: SchemaDraft, required: RequiredCheck?, into out: inout [Keyword],
                            sub: (String...) throws(SchemaError) -> SchemaNode,
                            count: (String) throws(SchemaError) -> Int?,
                            fail: (String, String) -> SchemaError) throws(SchemaError) {
        func schemas(_ kw: String) throws(SchemaError) -> [SchemaNode]? {
            guard let v = o[kw] else { return nil }
            guard case .array(let items) = v, !items.isEmpty else { throw fail(kw, "must be a non-empty array of schemas") }
            var nodes: [SchemaNode] = []
            for i in items.indices { nodes.append(try sub(kw, String(i))) }
            return nodes
        }
        func schemaMap(_ kw: String) throws(SchemaError) -> [(String, SchemaNode)]? {
            guard let v = o[kw] else { return nil }
            guard case .object(let m) = v else { throw fail(kw, "must be an object of schemas") }
            var pairs: [(String, SchemaNode)] = []
            for k in m.keys { pairs.append((k, try sub(kw, k))) }
            return pairs
        }

        let properties = try schemaMap("properties")
        var patterns: [(ECMARegex, SchemaNode)]? = nil
        if case .object(let pp)? = o["patternProperties"] {
            patterns = []
            for k in pp.keys {
                do { patterns?.append((try ECMARegex(k), try sub("patternProperties", k))) } catch let e as RegexSyntaxError {
                    throw fail("patternProperties", "\(e)")
                } catch let e as SchemaError { throw e } catch { throw fail("patternProperties", "\(error)") }
            }
        } else if o["patternProperties"] != nil {
            throw fail("patternProperties", "must be an object of schemas")
        }
        let additional = o["additionalProperties"] != nil ? try sub("additionalProperties") : nil
        if properties != nil || patterns != nil || additional != nil {
            let app = ObjectApplicator(properties: properties, patterns: patterns, additional: additional,
                                       requiredNames: required?.names ?? [])
            if app.coversRequired { required?.coveredByProperties = true }
            out.append(.objectApplicator(app))
        }

        switch draft {
        case .draft2020_12:
            let prefix = try schemas("prefixItems")
            let rest = o["items"] != nil ? try sub("items") : nil
            if prefix != nil || rest != nil {
                out.append(.items(ItemsApplicator(prefix: prefix ?? [], rest: rest, prefixKeyword: "prefixItems", restKeyword: "items")))
            }
        case .draft7, .draft2019_09:
            if case .array? = o["items"] {
                let prefix = try schemas("items") ?? []
                let rest = o["additionalItems"] != nil ? try sub("additionalItems") : nil
                out.append(.items(ItemsApplicator(prefix: prefix, rest: rest, prefixKeyword: "items", restKeyword: "additionalItems")))
            } else if o["items"] != nil {
                out.append(.items(ItemsApplicator(prefix: [], rest: try sub("items"), prefixKeyword: "items", restKeyword: "items")))
            }
        }
        if o["contains"] != nil {
            let minC = draft.isModern ? try count("minContains") ?? 1 : 1
            let maxC = draft.isModern ? try count("maxContains") : nil
            out.append(.contains(try sub("contains"), min: minC, max: maxC))
        }
        if o["propertyNames"] != nil { out.append(.propertyNames(try sub("propertyNames"))) }
        if let s = try schemas("allOf") { out.append(.allOf(s)) }
        if let s = try schemas("anyOf") { out.append(.anyOf(s)) }
        if let s = try schemas("oneOf") { out.append(.oneOf(s)) }
        if o["not"] != nil { out.append(.not(try sub("not"))) }
        if o["if"] != nil {
            let thenNode = o["then"] != nil ? try sub("then") : nil
            let elseNode = o["else"] != nil ? try sub("else") : nil
            // Kept even without then/else: `if` still produces annotations for unevaluated*.
            out.append(.conditional(if: try sub("if"), then: thenNode, else: elseNode))
        }
        if draft.isModern, let d = try schemaMap("dependentSchemas") {
            out.append(.dependentSchemas(d, keyword: "dependentSchemas"))
        }
        // Draft 7's `dependencies`, also honoured in 2020-12 schemas, which often still use it.
        do {
            guard case .object(let deps)? = o["dependencies"] else {
                if o["dependencies"] != nil { throw fail("dependencies", "must be an object") }
                return
            }
            var requiredLists: [(String, [String])] = []
            var schemas: [(String, SchemaNode)] = []
            for k in deps.keys {
                switch deps[k] {
                case .array(let names)?:
                    var list: [String] = []
                    for n in names {
                        guard let s = n.stringValue else { throw fail("dependencies", "a property list must hold strings") }
                        list.append(s)
                    }
                    requiredLists.append((k, list))
                case .object?, .bool?:
                    schemas.append((k, try sub("dependencies", k)))
                default:
                    throw fail("dependencies", "each dependency must be a schema or an array of property names")
                }
            }
            if !requiredLists.isEmpty { out.append(.dependentRequired(requiredLists, keyword: "dependencies")) }
            if !schemas.isEmpty { out.append(.dependentSchemas(schemas, keyword: "dependencies")) }
        }
    }

    func stringLists(_ v: JSONValue, fail: (String) -> SchemaError) throws(SchemaError) -> [(String, [String])] {
        guard case .object(let m) = v else { throw fail("must be an object of property name arrays") }
        var out: [(String, [String])] = []
        for k in m.keys {
            guard case .array(let names)? = m[k] else { throw fail("must be an object of property name arrays") }
            var list: [String] = []
            for n in names {
                guard let s = n.stringValue else { throw fail("must be an object of property name arrays") }
                list.append(s)
            }
            out.append((k, list))
        }
        return out
    }
}
