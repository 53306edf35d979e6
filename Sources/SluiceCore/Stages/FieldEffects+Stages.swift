import SluiceJSON

/// What the pure stages do to fields, for `sluice validate`'s schema check (`FieldEffects`).
extension RenameFieldsStage: FieldEffecting {
    /// A move happens only to records that have `from`, so neither the removal nor the new field
    /// is certain.
    public var fieldEffects: FieldEffects {
        var effects = FieldEffects()
        for ((from, to), location) in zip(pairs, locations) {
            effects.remove(from, certain: false)
            effects.write(FieldWrite(pointer: to, kinds: nil, location: location, certain: false, origin: "the rename of \(from) to \(to)"))
        }
        return effects
    }
}

extension DropFieldsStage: FieldEffecting {
    public var fieldEffects: FieldEffects {
        var effects = FieldEffects()
        for p in fields { effects.remove(p, certain: true) }
        return effects
    }
}

extension RequireFieldsStage: FieldEffecting {
    public var fieldEffects: FieldEffects { .none }
}
