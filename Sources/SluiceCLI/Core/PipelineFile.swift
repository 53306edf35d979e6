import ArgumentParser
import Foundation
import Logging
import Sluice
import SluiceConfig
import SluiceCore

/// Loads a pipeline file for a command, rendering diagnostics and mapping failure to exit codes.
enum PipelineFile {
    /// The plan, or throws `ExitCode` 66 (no such file) or 78 (invalid) after printing why.
    /// With `jsonLog` (`--log-format json`), diagnostics are log lines too, so stderr stays JSON.
    static func load(_ path: String, showWarnings: Bool = true, credentials: CredentialStore? = nil,
                     jsonLog: Logger? = nil) throws -> PipelinePlan {
        let result = try loadResult(path, credentials: credentials)
        let toShow = result.diagnostics.filter { showWarnings || $0.severity == .error }
        if let jsonLog {
            for d in toShow {
                var meta: Logger.Metadata = ["code": "\(d.code)", "diagnostic": "\(d.message)", "file": "\(d.location?.file ?? path)"]
                if let l = d.location { meta["line"] = .stringConvertible(l.line); meta["column"] = .stringConvertible(l.column) }
                if let h = d.hint { meta["hint"] = "\(h)" }
                jsonLog.log(level: d.severity == .error ? .error : .warning, "pipeline diagnostic", metadata: meta)
            }
        } else if !toShow.isEmpty {
            Terminal.clearProgressLine()
            FileHandle.standardError.write(Data(DiagnosticRenderer.render(toShow, source: result.sourceText, fallbackFile: path).utf8))
        }
        if result.diagnostics.contains(where: { $0.code == "missing_file" && $0.location == nil }) {
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        guard let plan = result.plan, !result.hasErrors else {
            let n = result.diagnostics.filter { $0.severity == .error }.count
            let message = "\(path): \(n) error\(n == 1 ? "" : "s"); nothing was run"
            if let jsonLog {
                jsonLog.error("sluice: error", metadata: ["error": "\(message)", "exit_status": .stringConvertible(Int(ExitStatus.configInvalid.rawValue))])
            } else {
                Terminal.printError(message)
            }
            throw ExitCode(ExitStatus.configInvalid.rawValue)
        }
        return plan
    }

    static func loadResult(_ path: String, credentials: CredentialStore? = nil) throws -> PipelineLoader.Result {
        let loader: PipelineLoader
        do { loader = try SluiceEngine.loader(credentials: credentials) } catch {
            Terminal.printError("internal error: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        return loader.load(file: url, displayPath: path)
    }
}
