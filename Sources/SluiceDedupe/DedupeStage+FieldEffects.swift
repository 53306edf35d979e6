public import SluiceCore

/// Records pass (or are dropped) as they came.
extension DedupeStage: FieldEffecting {
    public var fieldEffects: FieldEffects { .none }
}
