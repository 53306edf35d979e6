public import SluiceJSON

/// The kinds of JSON value a field can hold, as far as a stage knows them when the pipeline is
/// loaded (integers and other numbers are one kind here: a schema's `integer` accepts `2.0`).
public struct JSONKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let null = JSONKinds(rawValue: 1)
    public static let boolean = JSONKinds(rawValue: 2)
    public static let number = JSONKinds(rawValue: 4)
    public static let string = JSONKinds(rawValue: 8)
    public static let array = JSONKinds(rawValue: 16)
    public static let object = JSONKinds(rawValue: 32)

    /// `string`, `number or null`, ... as diagnostics name them.
    public var name: String {
        let names = [(JSONKinds.null, "null"), (.boolean, "boolean"), (.number, "number"), (.string, "string"),
                     (.array, "array"), (.object, "object")].filter { contains($0.0) }.map(\.1)
        guard let last = names.last else { return "nothing" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// A field a stage sets: where, what it can hold, where in the pipeline file the setting is
/// written, and whether every record the stage processes gets it.
public struct FieldWrite: Sendable, Hashable {
    public var pointer: JSONPointer
    /// Nil when the kind of value is not known before the run.
    public var kinds: JSONKinds?
    public var location: SourceLocation?
    /// False when only some records get the field: inside an `if`, a rename that happens only
    /// when the source field exists, a stage with `when:`, a later stage that may remove it.
    public var certain: Bool
    /// How a diagnostic names the write: `the assignment to /x`, `rename_fields' move to /x`.
    public var origin: String

    public init(pointer: JSONPointer, kinds: JSONKinds?, location: SourceLocation?, certain: Bool, origin: String) {
        self.pointer = pointer
        self.kinds = kinds
        self.location = location
        self.certain = certain
        self.origin = origin
    }
}

/// What a stage does to the fields of the records it passes on, as known at load time: the
/// fields set (in order; a later setting of the same field or a parent replaces an earlier one)
/// and the fields that may be gone afterwards. `sluice validate` composes the effects of the
/// stages in pipeline order and asks each `FieldConstraining` stage about the writes that reach it.
public struct FieldEffects: Sendable, Hashable {
    public private(set) var writes: [FieldWrite] = []
    /// Removed fields, and whether every record loses them.
    public private(set) var removals: [FieldRemoval] = []

    public init() {}

    /// A stage that passes every field through as it came (it may change strings' text).
    public static let none = FieldEffects()

    public mutating func write(_ w: FieldWrite) {
        overwrite(w.pointer, certain: w.certain)
        writes.append(w)
    }

    public mutating func remove(_ pointer: JSONPointer, certain: Bool) {
        overwrite(pointer, certain: certain)
        removals.append(FieldRemoval(pointer: pointer, certain: certain))
    }

    /// Every write becomes uncertain: a stage whose effect on fields is unknown came after them.
    public mutating func blur() {
        for i in writes.indices { writes[i].certain = false }
    }

    /// The effects of this stage followed by `later`'s. `conditional`: `later` applies to only
    /// some records (`when:`/`inputs:`), so what it removes may stay and what it sets may not be
    /// there; `certainWrites`: whether its writes stay certain (false for a `when:` condition).
    public mutating func append(_ later: FieldEffects, conditional: Bool, certainWrites: Bool) {
        for r in later.removals { remove(r.pointer, certain: r.certain && !conditional) }
        for w in later.writes {
            var w = w
            overwrite(w.pointer, certain: w.certain && !conditional)
            w.certain = w.certain && certainWrites
            writes.append(w)
        }
    }

    /// What setting or removing `pointer` does to earlier writes: those at or below it are gone
    /// (or uncertain); one above it holds an object now, whatever it was set to.
    private mutating func overwrite(_ pointer: JSONPointer, certain: Bool) {
        var kept: [FieldWrite] = []
        for var w in writes {
            if w.pointer.tokens.starts(with: pointer.tokens) {
                if certain { continue }
                w.certain = false
            } else if pointer.tokens.starts(with: w.pointer.tokens) {
                w.kinds = nil
            }
            kept.append(w)
        }
        writes = kept
    }
}

public struct FieldRemoval: Sendable, Hashable {
    public var pointer: JSONPointer
    /// Whether every record loses the field.
    public var certain: Bool
}

/// A stage that knows its effect on fields at load time. A stage that does not conform is taken
/// to change records in unknown ways (writes before it are then only warnings).
public protocol FieldEffecting {
    var fieldEffects: FieldEffects { get }
}

/// A stage that rejects records whose fields break a rule it knows at load time (a schema):
/// it says why a field set upstream cannot pass, or nil when it may.
public protocol FieldConstraining {
    func conflict(with write: FieldWrite) -> FieldConflict?
}

/// Why a field set upstream cannot pass a stage: `the schema does not allow 'extra'
/// (additionalProperties is false)`.
public struct FieldConflict: Sendable, Hashable {
    public var message: String
    /// The schema keyword that refuses it (`/properties/author/additionalProperties`), for hints.
    public var keywordLocation: String?

    public init(message: String, keywordLocation: String? = nil) {
        self.message = message
        self.keywordLocation = keywordLocation
    }
}
