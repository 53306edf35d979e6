public import SluiceCore
public import SluiceJSON

/// The `repair_encoding` stage: repairs string fields of each record (see `descriptor`).
public struct RepairEncodingStage: StatelessStage {
    public let fields: [JSONPointer]
    public let options: EncodingRepairOptions
    public let onUndecodable: UndecodablePolicy
    public let minConfidence: Double
    let stageName: String

    /// Deeper nesting than this is refused rather than walked (the JSON parser's own limit is
    /// lower; this only guards against records built in code).
    static let maxDepth = 512

    public init(options: ComponentOptions, context: BuildContext) throws {
        fields = try options.pointers("fields") ?? []
        var o = EncodingRepairOptions()
        o.fixMojibake = try options.bool("fix_mojibake") ?? true
        let form = try options.string("unicode_form") ?? "nfc"
        guard let uf = UnicodeForm(rawValue: form) else {
            throw ConfigDiagnostic.error("invalid_value", "unicode_form must be one of none, nfc, nfkc", at: options.location("unicode_form"))
        }
        o.normalization.unicodeForm = uf
        o.normalization.removeControlChars = try options.bool("remove_control_chars") ?? true
        o.normalization.normalizeLineEndings = try options.bool("normalize_line_endings") ?? true
        o.normalization.removeZeroWidth = try options.bool("remove_zero_width") ?? true
        o.normalization.decodeHTMLEntities = try options.bool("decode_html_entities") ?? true
        o.normalization.straightenQuotes = try options.bool("straighten_quotes") ?? false
        self.options = o
        let policy = try options.string("on_undecodable") ?? "quarantine"
        guard let p = UndecodablePolicy(rawValue: policy) else {
            throw ConfigDiagnostic.error("invalid_value", "on_undecodable must be one of quarantine, keep, replace",
                                         at: options.location("on_undecodable"))
        }
        onUndecodable = p
        let mc = try options.double("min_confidence") ?? 0.75
        guard mc >= 0, mc <= 1 else {
            throw ConfigDiagnostic.error("out_of_range", "min_confidence must be between 0 and 1", at: options.location("min_confidence"))
        }
        minConfidence = mc
        stageName = context.instanceName
    }

    /// Builds the stage directly, for programmatic use and tests.
    public init(fields: [JSONPointer] = [], options: EncodingRepairOptions = EncodingRepairOptions(),
                onUndecodable: UndecodablePolicy = .quarantine, minConfidence: Double = 0.75, name: String = "repair_encoding") {
        self.fields = fields
        self.options = options
        self.onUndecodable = onUndecodable
        self.minConfidence = minConfidence
        self.stageName = name
    }

    public func process(_ record: Record) throws -> StageOutcome {
        // The common case, a record with nothing to repair, is decided by a read-only scan of its
        // strings (a byte scan each): no copy of the value, no walker, no allocation.
        if fields.isEmpty {
            if !Self.mayNeedWork(record.value, options: options, depth: 0) { return .pass(record) }
        } else if !fields.contains(where: { p in p.get(in: record.value).map { Self.mayNeedWork($0, options: options, depth: 0) } ?? false }) {
            return .pass(record)
        }
        var walker = Walker(stage: self)
        var value = record.value
        do {
            if fields.isEmpty {
                if let changed = try walker.walk(value, pointer: .root, depth: 0) { value = changed }
            } else {
                for p in fields {
                    guard let target = p.get(in: value) else { continue }
                    if let changed = try walker.walk(target, pointer: p, depth: 0) {
                        do { try p.set(changed, in: &value) } catch {
                            throw Refusal(pointer: p, message: "could not write the repaired field back", details: nil)
                        }
                    }
                }
            }
        } catch let r as Refusal {
            return .quarantine(RecordFailure(
                code: r.tooDeep ? .tooDeep : .undecodableText, message: r.message, recordID: record.id,
                provenance: record.provenance, pointer: r.pointer.description, stage: stageName, details: r.details))
        }
        guard !walker.notes.isEmpty else { return .pass(record) }
        var out = record
        out.value = value
        var details = JSONObject()
        details["fields"] = .array(walker.notes)
        return .pass(out, notes: [StageNote(.repaired, details: .object(details))])
    }

    /// False when no string under `v` can change (`EncodingRepair.mayChange`: printable ASCII
    /// without `&`, or text beyond ASCII that none of the repair steps' gates opens for). True also past `maxDepth`, so
    /// that the walk reports it.
    static func mayNeedWork(_ v: JSONValue, options: EncodingRepairOptions, depth: Int) -> Bool {
        switch v {
        case .string(let s):
            return EncodingRepair.mayChange(s, options)
        case .object(let o):
            guard depth < maxDepth else { return true }
            let values = o.values
            for i in values.indices where mayNeedWork(values[i], options: options, depth: depth + 1) { return true }
            return false
        case .array(let a):
            guard depth < maxDepth else { return true }
            for i in a.indices where mayNeedWork(a[i], options: options, depth: depth + 1) { return true }
            return false
        default:
            return false
        }
    }

    struct Refusal: Error {
        var pointer: JSONPointer
        var message: String
        var details: JSONValue?
        var tooDeep = false
    }

    /// Walks a value, repairing strings; returns the new value only when something changed.
    /// The path is kept as a stack of tokens and turned into a pointer only when a string
    /// changed or was refused, so clean records cost no allocations per field.
    struct Walker {
        let stage: RepairEncodingStage
        var notes: [JSONValue] = []
        var path: [String] = []

        mutating func walk(_ v: JSONValue, pointer base: JSONPointer, depth: Int) throws -> JSONValue? {
            guard depth <= RepairEncodingStage.maxDepth else {
                throw Refusal(pointer: JSONPointer(tokens: base.tokens + path),
                              message: "nested deeper than \(RepairEncodingStage.maxDepth) levels", details: nil, tooDeep: true)
            }
            switch v {
            case .string(let s):
                if !EncodingRepair.mayChange(s, stage.options) { return nil }
                return try repairString(s, base: base).map { .string($0) }
            case .array(let items):
                var out: [JSONValue]?
                for i in items.indices {
                    if case .string(let s) = items[i], !EncodingRepair.mayChange(s, stage.options) { continue }
                    path.append(String(i))
                    defer { path.removeLast() }
                    if let changed = try walk(items[i], pointer: base, depth: depth + 1) {
                        if out == nil { out = items }
                        out?[i] = changed
                    }
                }
                return out.map { .array($0) }
            case .object(let obj):
                var out: JSONObject?
                // By position: no key lookup, no iterator.
                let values = obj.values
                for i in values.indices {
                    if case .string(let s) = values[i], !EncodingRepair.mayChange(s, stage.options) { continue }
                    path.append(obj.keys[i])
                    defer { path.removeLast() }
                    if let changed = try walk(values[i], pointer: base, depth: depth + 1) {
                        if out == nil { out = obj }
                        out?[obj.keys[i]] = changed
                    }
                }
                return out.map { .object($0) }
            default:
                return nil
            }
        }

        /// Repairs one string. Nothing is allocated for the note or the field's pointer unless the
        /// string changed or was refused.
        mutating func repairString(_ s: String, base: JSONPointer) throws -> String? {
            let r = EncodingRepair.repair(s, options: stage.options)
            let refused = r.hasReplacementCharacters || r.confidence < stage.minConfidence
            if !refused && !r.changed { return nil }
            let pointer = JSONPointer(tokens: base.tokens + path)
            var note = JSONObject()
            note["pointer"] = .string(pointer.description)
            note["fixes"] = .array(r.fixes.map(\.json))
            if refused {
                let why = r.hasReplacementCharacters
                    ? "holds U+FFFD: characters were lost before this stage"
                    : "repair confidence \(r.confidence) is below min_confidence \(stage.minConfidence)"
                note["refused"] = .string(why)
                note["confidence"] = .number(JSONNumber(r.confidence))
                switch stage.onUndecodable {
                case .quarantine:
                    throw Refusal(pointer: pointer, message: "field \(pointer) \(why); set on_undecodable: keep or replace to let it pass",
                                  details: .object(note))
                case .keep:
                    note["kept"] = .bool(true)
                    notes.append(.object(note))
                    return nil
                case .replace:
                    break
                }
            }
            guard r.changed, !sameUTF8(r.text, s) else {
                if refused { notes.append(.object(note)) }
                return nil
            }
            notes.append(.object(note))
            return r.text
        }
    }
}
