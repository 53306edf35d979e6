public import SluiceCore
import SluiceJSON

/// What `sluice validate` learns about a `validate_schema` stage: it passes fields as they came
/// (`on_invalid: annotate` may add `/_schema_errors`), and refuses fields its JSON Schema forbids.
extension ValidateSchemaStage: FieldEffecting, FieldConstraining {
    public var fieldEffects: FieldEffects {
        guard onInvalid == .annotate else { return .none }
        var effects = FieldEffects()
        effects.write(FieldWrite(pointer: JSONPointer(tokens: ["_schema_errors"]), kinds: .array, location: nil, certain: false,
                                 origin: "validate_schema's annotation"))
        return effects
    }

    /// Only writes at or below `field` are judged; an XML Schema judges none.
    public func conflict(with write: FieldWrite) -> FieldConflict? {
        guard case .json(let validator) = engine, write.pointer.tokens.starts(with: field.tokens) else { return nil }
        let inside = JSONPointer(tokens: Array(write.pointer.tokens.dropFirst(field.tokens.count)))
        return validator.conflict(at: inside, kinds: write.kinds)
    }
}
