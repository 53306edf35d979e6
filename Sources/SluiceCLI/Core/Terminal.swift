import Foundation
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// What the CLI knows about where it prints.
enum Terminal {
    static let stderrIsTTY = isatty(2) == 1
    static let stdoutIsTTY = isatty(1) == 1
    /// Colour on a terminal, unless `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`.
    static let coloursStderr: Bool = {
        let env = ProcessInfo.processInfo.environment
        return stderrIsTTY && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
    }()
    /// Whether a progress line is on screen (and must be cleared before other output).
    private static let progressShown = Locked(false)

    enum Colour: String {
        case red = "31", green = "32", yellow = "33", dim = "2", bold = "1"
    }

    /// `text` in `colour` when stderr is a colour terminal, else as it is.
    static func colour(_ text: String, _ colour: Colour) -> String {
        coloursStderr ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Draws a one-line progress message on stderr (only on a terminal).
    static func progress(_ text: String) {
        guard stderrIsTTY else { return }
        progressShown.withLock { shown in
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
            shown = true
        }
    }

    static func clearProgressLine() {
        guard stderrIsTTY else { return }
        progressShown.withLock { shown in
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            shown = false
        }
    }
}
