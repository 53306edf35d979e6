import SluiceJSON

/// Reading, setting (creating missing parents) and removing by path.
extension MapEvaluator {
    /// The value at `segments`, or null when any step is missing.
    static func get(_ segments: ArraySlice<PathSegment>, in value: JSONValue) -> JSONValue {
        var current = value
        for segment in segments {
            switch (segment, current) {
            case (.key(let k), .object(let o)):
                guard let v = o[k] else { return .null }
                current = v
            case (.index(let i), .array(let a)):
                let j = i < 0 ? a.count + i : i
                guard j >= 0, j < a.count else { return .null }
                current = a[j]
            default:
                return .null
            }
        }
        return current
    }

    mutating func assign(_ value: JSONValue, to segments: [PathSegment], at offset: Int) throws(MapFailure) {
        if segments.isEmpty {
            guard case .object = value else {
                throw MapFailure(message: "the whole record can only be set to an object, not \(TypeSet.of(value).name)", offset: offset)
            }
            record = value
            set.append("")
            return
        }
        do {
            try Self.set(value, segments[...], in: &record)
        } catch {
            throw MapFailure(message: error.message, offset: offset, pointer: Self.pointer(segments, in: record))
        }
        if let p = Self.pointer(segments, in: record) { set.append(p) }
    }

    struct PathError: Error { var message: String }

    /// Sets the value, creating missing objects (and a first array item) along the way.
    static func set(_ value: JSONValue, _ segments: ArraySlice<PathSegment>, in node: inout JSONValue) throws(PathError) {
        guard let segment = segments.first else { node = value; return }
        let rest = segments.dropFirst()
        switch segment {
        case .key(let k):
            var o: JSONObject
            switch node {
            case .object(let existing): o = existing
            case .null: o = JSONObject()
            default: throw PathError(message: "cannot set field '\(k)' inside \(TypeSet.of(node).name)")
            }
            node = .null
            var child = o[k] ?? .null
            o[k] = .null
            defer { o[k] = child; node = .object(o) }
            try set(value, rest, in: &child)
        case .index(let i):
            var a: [JSONValue]
            switch node {
            case .array(let existing): a = existing
            case .null: a = []
            default: throw PathError(message: "cannot set item [\(i)] inside \(TypeSet.of(node).name)")
            }
            let j = i < 0 ? a.count + i : i
            guard j >= 0, j <= a.count else {
                throw PathError(message: "index [\(i)] is outside the array of \(a.count) items (only the next index may be appended)")
            }
            node = .null
            if j == a.count { a.append(.null) }
            var child = a[j]
            a[j] = .null
            defer { a[j] = child; node = .array(a) }
            try set(value, rest, in: &child)
        }
    }

    /// Removes the value at the path; returns it, or nil when there was none.
    static func remove(_ segments: ArraySlice<PathSegment>, from node: inout JSONValue) -> JSONValue? {
        guard let segment = segments.first else { return nil }
        let rest = segments.dropFirst()
        switch (segment, node) {
        case (.key(let k), .object(var o)):
            if rest.isEmpty {
                node = .null
                let removed = o.removeValue(forKey: k)
                node = .object(o)
                return removed
            }
            guard var child = o[k] else { return nil }
            node = .null
            o[k] = .null
            defer { o[k] = child; node = .object(o) }
            return remove(rest, from: &child)
        case (.index(let i), .array(var a)):
            let j = i < 0 ? a.count + i : i
            guard j >= 0, j < a.count else { return nil }
            node = .null
            if rest.isEmpty {
                let removed = a.remove(at: j)
                node = .array(a)
                return removed
            }
            var child = a[j]
            a[j] = .null
            defer { a[j] = child; node = .array(a) }
            return remove(rest, from: &child)
        default:
            return nil
        }
    }

    /// The JSON Pointer of a path in `record` (negative indexes resolved); nil when a negative
    /// index does not resolve.
    static func pointer(_ segments: [PathSegment], in record: JSONValue) -> String? {
        var tokens: [String] = []
        var current: JSONValue? = record
        for segment in segments {
            switch segment {
            case .key(let k):
                tokens.append(k)
                current = current?.objectValue?[k]
            case .index(let i):
                var j = i
                if i < 0 {
                    guard let a = current?.arrayValue, a.count + i >= 0 else { return nil }
                    j = a.count + i
                }
                tokens.append(String(j))
                current = current?.arrayValue.flatMap { j < $0.count ? $0[j] : nil }
            }
        }
        return JSONPointer(tokens: tokens).description
    }
}

/// `+ - * /` on numbers (integers stay integers unless they overflow: then an error), and `+`
/// on strings.
enum MapArithmetic {
    static func apply(_ op: BinaryOp, _ l: JSONValue, _ r: JSONValue, _ ev: MapEvaluator, _ e: Expr) throws(MapFailure) -> JSONValue {
        switch (l, r) {
        case (.string(let a), .string(let b)) where op == .add:
            if a.utf8.count + b.utf8.count > MapLimits.maxValueBytes { throw ev.failure("string larger than \(MapLimits.maxValueBytes) bytes", e) }
            return .string(a + b)
        case (.number(let a), .number(let b)):
            if op != .divide, let x = a.intValue, let y = b.intValue, a.isInteger, b.isInteger {
                let (v, overflow): (Int, Bool)
                switch op {
                case .add: (v, overflow) = x.addingReportingOverflow(y)
                case .subtract: (v, overflow) = x.subtractingReportingOverflow(y)
                default: (v, overflow) = x.multipliedReportingOverflow(by: y)
                }
                if overflow { throw ev.failure("integer overflow in '\(op.rawValue)'", e) }
                return .number(JSONNumber(v))
            }
            let x = a.doubleValue, y = b.doubleValue
            let v: Double
            switch op {
            case .add: v = x + y
            case .subtract: v = x - y
            case .multiply: v = x * y
            default:
                if y == 0 { throw ev.failure("division by zero", e) }
                v = x / y
            }
            guard v.isFinite else { throw ev.failure("the result of '\(op.rawValue)' is not a finite number", e) }
            return .number(JSONNumber(v))
        default:
            let need = op == .add ? "two numbers or two strings" : "two numbers"
            throw ev.failure("'\(op.rawValue)' needs \(need), not \(TypeSet.of(l).name) and \(TypeSet.of(r).name)", e)
        }
    }
}
