public import SluiceCore
import SluiceDedupe
import SluiceFormats
import SluiceHTTP
import SluiceMap
import SluiceSchema
import SluiceStore
import SluiceText

/// Every component that ships with Sluice, in one explicit list. Adding a component means adding
/// it here; nothing registers itself.
public let builtinComponents: [ComponentRegistry.Entry] = [
    // inputs
    .input(FileInput.self),
    .input(HTTPInput.self),
    // stages
    .stage(RepairEncodingStage.self),
    .stage(ValidateSchemaStage.self),
    .stage(RequireFieldsStage.self),
    .stage(RenameFieldsStage.self),
    .stage(DropFieldsStage.self),
    .stage(ChunkStage.self),
    .stage(DedupeStage.self),
    .stage(MapStage.self),
    .stage(FilterStage.self),
    // outputs
    .output(JSONLOutput.self),
    .output(SQLiteOutput.self),
]

public enum Builtins {
    /// The registry of `builtinComponents`. The list holds no duplicate names (a test checks it),
    /// so this cannot fail; should it ever, the error names the duplicate.
    public static func registry() throws -> ComponentRegistry {
        try ComponentRegistry(builtinComponents)
    }
}
