import ArgumentParser
import Foundation
import Logging
import SluiceCore

/// Options every command that runs a pipeline shares.
struct LoggingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: "Log lines on stderr as 'text' or 'json' (one JSON object per line, for log shippers).")
    var logFormat: Format = .text

    @Option(name: .long, help: "The least severe log level shown: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// Installs the stderr log handler once per process.
    func bootstrap() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let format = logFormat
        ErrorReport.useJSON(format == .json)
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var h = StderrLogHandler(label: label, json: format == .json)
                h.logLevel = level
                return h
            }
        }
        var logger = Logger(label: "sluice")
        logger.logLevel = level
        return logger
    }
}

enum LoggingBootstrap {
    private static let done = Locked(false)
    static func once(_ body: () -> Void) {
        done.withLock { done in
            if !done { body(); done = true }
        }
    }
}
