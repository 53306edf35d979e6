public import SluiceCore
import SluiceStore

/// Every component that ships with Sluice, in one explicit list. Adding a component means adding
/// it here; nothing registers itself.
public let builtinComponents: [ComponentRegistry.Entry] = [
    // inputs
    // stages
    .stage(RequireFieldsStage.self),
    .stage(DropFieldsStage.self),
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
