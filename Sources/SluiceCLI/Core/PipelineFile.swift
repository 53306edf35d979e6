import ArgumentParser
import Foundation
import Logging
import Sluice
import SluiceConfig
import SluiceCore

/// Loads a pipeline file for a command, rendering diagnostics and mapping failure to exit codes.
enum PipelineFile {
    /// The plan, or throws `ExitCode` 66 (no such file) or 78 (invalid) after printing why.
    /// With `--log-format json`, diagnostics are log lines (`ErrorReport`), so stderr stays JSON.
    static func load(_ path: String, showWarnings: Bool = true, credentials: CredentialStore? = nil) throws -> PipelinePlan {
        let result = try loadResult(path, credentials: credentials)
        ErrorReport.diagnostics(result.diagnostics.filter { showWarnings || $0.severity == .error }, source: result.sourceText, file: path)
        if result.diagnostics.contains(where: { $0.code == "missing_file" && $0.location == nil }) {
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        guard let plan = result.plan, !result.hasErrors else {
            let n = result.diagnostics.filter { $0.severity == .error }.count
            ErrorReport.failure("\(path): \(n) error\(n == 1 ? "" : "s"); nothing was run", status: .configInvalid)
            throw ExitCode(ExitStatus.configInvalid.rawValue)
        }
        return plan
    }

    static func loadResult(_ path: String, credentials: CredentialStore? = nil) throws -> PipelineLoader.Result {
        let loader: PipelineLoader
        do { loader = try SluiceEngine.loader(credentials: credentials) } catch {
            throw ExitCode(ErrorReport.failure(error).rawValue)
        }
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        return loader.load(file: url, displayPath: path)
    }
}
