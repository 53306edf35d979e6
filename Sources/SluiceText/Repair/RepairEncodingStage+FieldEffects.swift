public import SluiceCore

/// Repairs change the text of strings, never which fields there are or their kinds.
extension RepairEncodingStage: FieldEffecting {
    public var fieldEffects: FieldEffects { .none }
}
