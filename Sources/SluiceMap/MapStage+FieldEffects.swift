public import SluiceCore

/// What `map` and `filter` do to fields, and what a selector says about the records it takes,
/// for `sluice validate`'s schema check (`FieldEffects`).
extension MapStage: FieldEffecting {
    public var fieldEffects: FieldEffects { program.fieldEffects { sourceMap.location(of: $0) } }
}

/// A filter passes records as they came, or drops them.
extension FilterStage: FieldEffecting {
    public var fieldEffects: FieldEffects { .none }
}

extension RecordSelector {
    /// Whether a `when:` condition decides (which records match is then unknown before the run).
    public var hasCondition: Bool { condition != nil }
}
