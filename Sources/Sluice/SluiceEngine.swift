public import Foundation
public import SluiceConfig
public import SluiceCore
import SluiceStore

/// The public entry point: load a pipeline file and run it with the embedded SQLite state.
public enum SluiceEngine {
    public static let version = SluiceVersion.current

    /// A loader for pipeline files that knows every builtin component.
    public static func loader(environment: [String: String] = ProcessInfo.processInfo.environment,
                              credentials: CredentialStore? = nil) throws -> PipelineLoader {
        PipelineLoader(registry: try Builtins.registry(), environment: environment, credentials: credentials)
    }

    /// A runner whose state lives in `<state dir>/state.db`.
    public static func runner(plan: PipelinePlan, options: PipelineRunner.Options = .init()) -> PipelineRunner {
        var options = options
        if options.readState == nil {
            // A dry run reads the state DB, read-only, when the pipeline has run before.
            options.readState = { dir in
                let path = dir.appendingPathComponent("state.db").path
                guard FileManager.default.fileExists(atPath: path) else { return nil }
                return try StateDatabase(path: path, readOnly: true, audit: AuditSettings.fromEnvironment(stateDirectory: dir, plan: plan.audit))
            }
        }
        return PipelineRunner(plan: plan, options: options) { dir in
            try StateDatabase(path: dir.appendingPathComponent("state.db").path,
                              audit: AuditSettings.fromEnvironment(stateDirectory: dir, plan: plan.audit))
        }
    }
}
