import SluiceJSON

extension Evaluator {
    /// Evaluates `keywords[k]`. Taking the buffer and an index (rather than a `Keyword` value)
    /// lets the switch bind only the payload it needs instead of copying the whole keyword.
    func check(_ keywords: UnsafeBufferPointer<Keyword>, _ k: Int, _ node: SchemaNode, _ value: JSONValue,
               _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        switch keywords[k] {
        case .type(let types):
            if Evaluator.matches(value, types) { return true }
            let expected = types.displayNames
            let text = expected.count == 1 ? expected[0] : "one of " + expected.joined(separator: ", ")
            report(node, "type", "expected \(text), found \(Evaluator.typeName(value))")
            return false
        case .const(let c):
            if InstanceEquality.equal(value, c) { return true }
            report(node, "const", "\(excerpt(value)) is not the required value \(excerpt(c))",
                   redacted: "value is not the required constant")
            return false
        case .enumeration(let values):
            for v in values where InstanceEquality.equal(v, value) { return true }
            let list = values.prefix(8).map { excerpt($0, limit: 24) }.joined(separator: ", ") + (values.count > 8 ? ", ..." : "")
            report(node, "enum", "\(excerpt(value)) is not one of [\(list)]", redacted: "value is not one of the \(values.count) allowed values")
            return false
        case .multipleOf(let d, let text):
            guard case .number(let n) = value else { return true }
            let ok: Bool
            do { ok = try ExactNumbers.isMultiple(n.decimal, of: d) } catch { throw abort("multipleOf on a number too large to check exactly") }
            if !ok { report(node, "multipleOf", "\(n.text) is not a multiple of \(text)", redacted: "number is not a multiple of \(text)") }
            return ok
        case .bound(let b):
            guard case .number(let n) = value else { return true }
            let (text, kw, upper, exclusive) = (b.text, b.keyword, b.upper, b.exclusive)
            let c: Int
            if let limit = b.integerLimit, n.text.utf8.count <= 17, let i = Int(n.text) {
                c = i < limit ? -1 : (i == limit ? 0 : 1)
            } else {
                c = ExactNumbers.compare(n.decimal, b.limit)
            }
            let ok = upper ? (exclusive ? c < 0 : c <= 0) : (exclusive ? c > 0 : c >= 0)
            if !ok {
                let relation = upper ? (exclusive ? "less than" : "at most") : (exclusive ? "greater than" : "at least")
                report(node, kw, "\(n.text) is not \(relation) \(text)", redacted: "number is not \(relation) \(text)")
            }
            return ok
        case .maxLength(let m):
            guard case .string(let s) = value else { return true }
            // Code points are at most as many as UTF-8 bytes, and at least a quarter of them.
            if s.utf8.count <= m { return true }
            let len = s.unicodeScalars.count
            if len <= m { return true }
            report(node, "maxLength", "string of \(len) characters is longer than the maximum of \(m)")
            return false
        case .minLength(let m):
            guard case .string(let s) = value else { return true }
            // Each code point takes at most 4 UTF-8 bytes (divide: `m` may be huge).
            if m == 0 || s.utf8.count / 4 >= m { return true }
            let len = s.unicodeScalars.count
            if len >= m { return true }
            report(node, "minLength", "\(excerpt(value)) is shorter than the minimum of \(m) characters",
                   redacted: "string of \(len) characters is shorter than the minimum of \(m)")
            return false
        case .pattern(let re):
            guard case .string(let s) = value else { return true }
            if try matchRegex(re, s) { return true }
            report(node, "pattern", "\(excerpt(value)) does not match the pattern \(re.pattern)",
                   redacted: "string does not match the pattern \(re.pattern)")
            return false
        case .format(let checker):
            let name = checker.name
            guard case .string(let s) = value else { return true }
            if try checkFormat(checker, s) { return true }
            report(node, "format", "\(excerpt(value)) is not a valid \(checker.noun)", redacted: "string is not a valid \(checker.noun) (\(name))")
            return false
        case .content(let c):
            guard case .string(let s) = value else { return true }
            return checkContent(c, s, node)
        case .maxItems(let m):
            guard case .array(let a) = value, a.count > m else { return true }
            report(node, "maxItems", "array has \(a.count) items, more than the maximum of \(m)")
            return false
        case .minItems(let m):
            guard case .array(let a) = value, a.count < m else { return true }
            report(node, "minItems", "array has \(a.count) items, fewer than the minimum of \(m)")
            return false
        case .uniqueItems:
            guard case .array(let a) = value, a.count > 1 else { return true }
            guard let (i, j) = InstanceEquality.firstDuplicate(a) else { return true }
            report(node, "uniqueItems", "items \(i) and \(j) are equal; items must be unique")
            return false
        case .maxProperties(let m):
            guard case .object(let o) = value, o.count > m else { return true }
            report(node, "maxProperties", "object has \(o.count) properties, more than the maximum of \(m)")
            return false
        case .minProperties(let m):
            guard case .object(let o) = value, o.count < m else { return true }
            report(node, "minProperties", "object has \(o.count) properties, fewer than the minimum of \(m)")
            return false
        case .required(let check):
            if check.coveredByProperties && !collect { return true }
            let names = check.names
            guard case .object(let o) = value else { return true }
            var ok = true
            for name in names where o[name] == nil {
                ok = false
                if !collect { return false }
                report(node, "required", "missing required property \"\(name)\"")
            }
            return ok
        case .dependentRequired(let deps, let kw):
            guard case .object(let o) = value else { return true }
            var ok = true
            for (key, names) in deps where o[key] != nil {
                for name in names where o[name] == nil {
                    ok = false
                    if !collect { return false }
                    report(node, kw, "property \"\(name)\" is required when \"\(key)\" is present")
                }
            }
            return ok
        case .objectApplicator(let app):
            return try checkObject(app, node, value, ann)
        case .items(let app):
            return try checkItems(app, node, value, ann)
        case .contains(let sub, let minCount, let maxCount):
            return try checkContains(sub, minCount, maxCount, node, value, ann)
        case .propertyNames(let sub):
            guard case .object(let o) = value else { return true }
            var ok = true
            pushKeyword("propertyNames")
            defer { popKeyword() }
            for key in o.keys {
                let r = try validateChild(sub, .string(key), key)
                if !r { ok = false; if !collect { return false } }
            }
            return ok
        default:
            return try checkCombinator(keywords, k, node, value, ann)
        }
    }

    func checkCombinator(_ keywords: UnsafeBufferPointer<Keyword>, _ k: Int, _ node: SchemaNode, _ value: JSONValue,
                         _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        switch keywords[k] {
        case .allOf(let subs):
            var ok = true
            for (i, s) in subs.enumerated() {
                pushKeyword("allOf", String(i))
                let r = try validate(s, value, ann)
                popKeyword(2)
                if !r { ok = false; if !collect { return false } }
            }
            return ok
        case .anyOf(let subs):
            let saved = violations.count
            var any = false
            for (i, s) in subs.enumerated() {
                pushKeyword("anyOf", String(i))
                let (r, branchAnn) = try branch(s, value, ann)
                popKeyword(2)
                if r {
                    any = true
                    if let b = branchAnn { ann?.merge(b) } else { break }
                }
            }
            if any { truncateViolations(saved); return true }
            report(node, "anyOf", "value does not match any of the \(subs.count) alternatives")
            return false
        case .oneOf(let subs):
            let saved = violations.count
            var matched: [Int] = []
            var matchedAnn: Annotations? = nil
            for (i, s) in subs.enumerated() {
                pushKeyword("oneOf", String(i))
                let (r, branchAnn) = try branch(s, value, ann)
                popKeyword(2)
                if r {
                    matched.append(i)
                    matchedAnn = branchAnn
                    if matched.count > 1 { break }
                }
            }
            if matched.count == 1 {
                truncateViolations(saved)
                if let b = matchedAnn { ann?.merge(b) }
                return true
            }
            if matched.isEmpty {
                report(node, "oneOf", "value does not match any of the \(subs.count) alternatives (exactly one must match)")
            } else {
                truncateViolations(saved)
                report(node, "oneOf", "value matches alternatives \(matched[0]) and \(matched[1]); exactly one must match")
            }
            return false
        case .not(let sub):
            let saved = violations.count
            pushKeyword("not")
            let (r, _) = try branch(sub, value, ann)
            popKeyword()
            truncateViolations(saved)
            if r { report(node, "not", "value matches the schema it must not match") }
            return !r
        case .conditional(let ifNode, let thenNode, let elseNode):
            if thenNode == nil && elseNode == nil && ann == nil { return true }
            let saved = violations.count
            pushKeyword("if")
            let (c, ifAnn) = try branch(ifNode, value, ann)
            popKeyword()
            truncateViolations(saved)
            if c {
                if let a = ifAnn { ann?.merge(a) }
                guard let t = thenNode else { return true }
                pushKeyword("then")
                defer { popKeyword() }
                return try validate(t, value, ann)
            }
            guard let e = elseNode else { return true }
            pushKeyword("else")
            defer { popKeyword() }
            return try validate(e, value, ann)
        case .dependentSchemas(let deps, let kw):
            guard case .object(let o) = value else { return true }
            var ok = true
            for (key, s) in deps where o[key] != nil {
                pushKeyword(kw, key)
                let r = try validate(s, value, ann)
                popKeyword(2)
                if !r { ok = false; if !collect { return false } }
            }
            return ok
        case .ref(let target, let kw):
            pushKeyword(kw)
            defer { popKeyword() }
            return try validate(target, value, ann)
        case .dynamicRef(let initial, let anchor):
            var target = initial
            if let name = anchor {
                for resource in scope {
                    if let t = resource.dynamicAnchors[name] { target = t; break }
                }
            }
            pushKeyword("$dynamicRef")
            defer { popKeyword() }
            return try validate(target, value, ann)
        case .unevaluatedProperties(let sub):
            guard case .object(let o) = value else { return true }
            var ok = true
            for key in o.keys where !(ann?.isPropertyEvaluated(key) ?? false) {
                guard let member = o[key] else { continue }
                if sub.constant == false {
                    ok = false
                    if !collect { return false }
                    report(node, "unevaluatedProperties", "property \"\(key)\" is not allowed")
                    continue
                }
                pushKeyword("unevaluatedProperties")
                let r = try validateChild(sub, member, key)
                popKeyword()
                if r { ann?.properties.insert(key) } else { ok = false; if !collect { return false } }
            }
            return ok
        case .unevaluatedItems(let sub):
            guard case .array(let a) = value else { return true }
            var ok = true
            for (i, item) in a.enumerated() where !(ann?.isItemEvaluated(i) ?? false) {
                if sub.constant == false {
                    report(node, "unevaluatedItems", "item \(i) is not allowed (the array has \(a.count) items)")
                    return false
                }
                pushKeyword("unevaluatedItems")
                let r = try validateChild(sub, item, index: i)
                popKeyword()
                if r { ann?.indices.insert(i) } else { ok = false; if !collect { return false } }
            }
            return ok
        default:
            return true
        }
    }
}
