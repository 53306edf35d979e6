import Foundation
import Logging
import SluiceCore

/// The one place the CLI prints a problem on stderr: a failure (`sluice: error: …`), a
/// pipeline's diagnostics (compiler style, with the line and a caret) and an unexpected error.
/// With `--log-format json` each is a JSON log line instead (`sluice: error` with `error` and
/// `exit_status`; `pipeline diagnostic` with `code`, `file`, `line`, `column`, `hint`), so that
/// stderr stays JSON lines. Texts are sentences of ours: a Foundation error is worded by
/// `SystemError`, never printed as `Error Domain=…`.
enum ErrorReport {
    /// Whether problems are JSON log lines; set by `LoggingOptions.bootstrap`.
    private static let json = Locked(false)

    static func useJSON(_ on: Bool) { json.withLock { $0 = on } }

    /// A failure in words, and the exit status it leads to when there is one.
    static func failure(_ text: String, status: ExitStatus? = nil) {
        if json.withLock({ $0 }) {
            var meta: Logger.Metadata = ["error": "\(text)"]
            if let status { meta["exit_status"] = .stringConvertible(Int(status.rawValue)) }
            Logger(label: "sluice").error("sluice: error", metadata: meta)
            return
        }
        Terminal.clearProgressLine()
        FileHandle.standardError.write(Data(("sluice: " + Terminal.colour("error:", .red) + " " + text + "\n").utf8))
    }

    /// Any error: ours as it describes itself, anything else worded by `SystemError`. Returns the
    /// exit status it stands for (`fallback` when the error does not say).
    @discardableResult
    static func failure(_ error: any Error, fallback: ExitStatus = .internalError) -> ExitStatus {
        let status = (error as? SluiceError)?.status ?? fallback
        failure(SystemError.text(error), status: status)
        return status
    }

    /// A pipeline's (or test or credentials file's) diagnostics.
    static func diagnostics(_ diagnostics: [ConfigDiagnostic], source: String?, file: String) {
        guard !diagnostics.isEmpty else { return }
        if json.withLock({ $0 }) {
            let logger = Logger(label: "sluice")
            for d in diagnostics {
                var meta: Logger.Metadata = ["code": "\(d.code)", "diagnostic": "\(d.message)", "file": "\(d.location?.file ?? file)"]
                if let l = d.location { meta["line"] = .stringConvertible(l.line); meta["column"] = .stringConvertible(l.column) }
                if let h = d.hint { meta["hint"] = "\(h)" }
                logger.log(level: d.severity == .error ? .error : .warning, "pipeline diagnostic", metadata: meta)
            }
            return
        }
        Terminal.clearProgressLine()
        FileHandle.standardError.write(Data(DiagnosticRenderer.render(diagnostics, source: source, fallbackFile: file).utf8))
    }
}
