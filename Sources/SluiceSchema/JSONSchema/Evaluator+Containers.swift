import SluiceRegex
import Foundation
import SluiceJSON

extension Evaluator {
    func checkObject(_ app: ObjectApplicator, _ node: SchemaNode, _ value: JSONValue, _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        guard case .object(let o) = value else { return true }
        var ok = true
        // One pass over the members by position: no lookups into the instance.
        let keys = o.keys
        let values = o.values
        var cursor = 0
        var requiredSeen = 0
        for m in keys.indices {
            let key = keys[m]
            var matched = false
            if app.hasProperties, let i = app.position(of: key, cursor: &cursor) {
                matched = true
                if app.required[i] { requiredSeen += 1 }
                if !collect, let leaf = app.leaves[i], depth < Evaluator.maxDepth, case .string(let s) = values[m] {
                    if !leaf.accepts(s) { return false }
                } else if try !checkProperty(key, values[m], app.nodes[i], node, ann) {
                    ok = false
                    if !collect { return false }
                }
            }
            if app.hasPatterns {
                for (re, sub) in app.patterns where try matchRegex(re, key) {
                    matched = true
                    pushKeyword("patternProperties", re.pattern)
                    let r = try validateChild(sub, values[m], key)
                    popKeyword(2)
                    if !r { ok = false; if !collect { return false } }
                }
            }
            if !matched, let sub = app.additional {
                matched = true
                if sub.constant == false {
                    report(node, "additionalProperties", "property \"\(key)\" is not allowed")
                    ok = false
                    if !collect { return false }
                } else {
                    pushKeyword("additionalProperties")
                    let r = try validateChild(sub, values[m], key)
                    popKeyword()
                    if !r { ok = false; if !collect { return false } }
                }
            }
            if matched, let a = ann { a.properties.insert(key) }
        }
        if !collect && requiredSeen < app.requiredCount { return false }
        return ok
    }

    /// One `properties` member.
    @inline(__always)
    func checkProperty(_ key: String, _ member: JSONValue, _ sub: SchemaNode, _ node: SchemaNode, _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        if sub.constant == false {
            report(node, "properties", "property \"\(key)\" is not allowed")
            return false
        }
        pushKeyword("properties", key)
        let r = try validateChild(sub, member, key)
        popKeyword(2)
        return r
    }

    func checkItems(_ app: ItemsApplicator, _ node: SchemaNode, _ value: JSONValue, _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        guard case .array(let items) = value else { return true }
        var ok = true
        let prefix = app.prefix
        for i in items.indices {
            if i < prefix.count {
                if collect { keywordPath.append(app.prefixKeyword); keywordPath.append(String(i)) }
                let r = try validateChild(prefix[i], items[i], index: i)
                popKeyword(2)
                if !r { ok = false; if !collect { return false } }
                continue
            }
            guard let rest = app.rest else { break }
            if rest.constant == false {
                report(node, app.restKeyword, "array has \(items.count) items; at most \(prefix.count) are allowed")
                return false
            }
            // The rest of the items all take the same schema.
            if !collect, let leaf = app.restLeaf, depth < Evaluator.maxDepth {
                for j in i..<items.count {
                    if case .string(let s) = items[j] {
                        if !leaf.accepts(s) { return false }
                    } else if try !validateChild(rest, items[j], index: j) {
                        return false
                    }
                }
                break
            }
            pushKeyword(app.restKeyword)
            defer { popKeyword() }
            for j in i..<items.count {
                let r = try validateChild(rest, items[j], index: j)
                if !r { ok = false; if !collect { return false } }
            }
            break
        }
        if let a = ann {
            a.prefix = max(a.prefix, min(items.count, app.prefix.count))
            if app.rest != nil { a.allItems = true }
        }
        return ok
    }

    func checkContains(_ sub: SchemaNode, _ minCount: Int, _ maxCount: Int?, _ node: SchemaNode, _ value: JSONValue,
                       _ ann: Annotations?) throws(EvaluationAbort) -> Bool {
        guard case .array(let items) = value else { return true }
        let saved = violations.count
        var count = 0
        for (i, item) in items.enumerated() {
            if try validateChild(sub, item, index: i) {
                count += 1
                ann?.indices.insert(i)
                if ann == nil && maxCount == nil && count >= minCount { break }
            }
        }
        truncateViolations(saved)
        if count < minCount {
            report(node, minCount == 1 ? "contains" : "minContains",
                   count == 0 ? "array contains no item that matches \"contains\""
                              : "array contains \(count) matching items, fewer than the minimum of \(minCount)")
            return false
        }
        if let m = maxCount, count > m {
            report(node, "maxContains", "array contains \(count) matching items, more than the maximum of \(m)")
            return false
        }
        return true
    }

    func matchRegex(_ re: ECMARegex, _ s: String) throws(EvaluationAbort) -> Bool {
        if let quick = re.quickMatch(s) { return quick }
        do { return try re.isMatch(in: s, budget: regexBudget, scratch: regexScratch) } catch {
            throw abort("the pattern \(re.pattern) needed too many steps on a \(s.unicodeScalars.count)-character string (catastrophic backtracking)")
        }
    }

    func checkFormat(_ checker: FormatChecker, _ s: String) throws(EvaluationAbort) -> Bool {
        do { return try checker.check(s) } catch {
            throw abort("the \(checker.name) check needed too many steps")
        }
    }

    func checkContent(_ c: ContentCheck, _ s: String, _ node: SchemaNode) -> Bool {
        var bytes: [UInt8] = Array(s.utf8)
        if c.base64 {
            guard let data = Data(base64Encoded: s) else {
                report(node, "contentEncoding", "string is not valid base64")
                return false
            }
            bytes = [UInt8](data)
        }
        if c.json {
            do { _ = try JSONParser.parse(bytes) } catch {
                report(node, "contentMediaType", "string is not valid JSON (contentMediaType application/json)")
                return false
            }
        }
        return true
    }

    @inline(__always)
    static func matches(_ value: JSONValue, _ types: TypeSet) -> Bool {
        switch value {
        case .null: return types.contains(.null)
        case .bool: return types.contains(.boolean)
        case .object: return types.contains(.object)
        case .array: return types.contains(.array)
        case .string: return types.contains(.string)
        case .number(let n):
            if types.contains(.number) { return true }
            return types.contains(.integer) && ExactNumbers.isInteger(n)
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        if case .number(let n) = value { return ExactNumbers.isInteger(n) ? "integer" : "number" }
        return value.typeName
    }

    /// A short rendering of a value for messages: at most `limit` characters of its JSON.
    func excerpt(_ value: JSONValue, limit: Int = 60) -> String {
        switch value {
        case .array(let a): return "array of \(a.count) items"
        case .object(let o): return "object with \(o.count) properties"
        default:
            let text = JSONWriter.string(value)
            if text.count <= limit { return text }
            return String(text.prefix(limit)) + "...\""
        }
    }
}
