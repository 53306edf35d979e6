import ArgumentParser
import Foundation

extension SluiceCommand {
    /// Parses and runs a command like swift-argument-parser's own `main()`, with one difference:
    /// a usage problem found while a subcommand runs (`ValidationError` thrown from `run()`,
    /// such as two options that need each other) is shown with *that subcommand's* usage, not
    /// the root's `Usage: sluice <subcommand>`. Exit 64 either way. Any other error a command throws
/// goes through `ErrorReport`.
    static func main() async {
        // `sluice` alone is a usage error (64), not a request for help: a cron line missing its
        // subcommand must not look like success.
        if CommandLine.arguments.count <= 1 {
            FileHandle.standardError.write(Data((helpMessage() + "\nError: no subcommand given; see 'sluice --help'.\n").utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        var parsed: (any ParsableCommand)?
        do {
            var command = try await asyncParseAsRoot(nil)
            parsed = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            guard let parsed, type(of: parsed) != SluiceCommand.self else { exit(withError: error) }
            FileHandle.standardError.write(Data(usageProblem(error.message, command: type(of: parsed)).utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch let error where parsed == nil || error is ExitCode || error is CleanExit {
            exit(withError: error)
        } catch {
            // An error a command did not render itself: in words of ours, never a Foundation text.
            Foundation.exit(ErrorReport.failure(error).rawValue)
        }
    }

    /// `Error: …`, the subcommand's usage and where its help is, as argument-parser prints them.
    static func usageProblem(_ message: String, command: any ParsableCommand.Type) -> String {
        let usage = usageString(for: command)
        let path = usage.split(separator: " ").prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }
        return "Error: \(message)\nUsage: \(usage)\n  See '\(path.joined(separator: " ")) --help' for more information.\n"
    }
}
