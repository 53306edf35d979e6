import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the CLI knows about where it prints.
enum Terminal {
    static let stderrIsTTY = isatty(2) == 1
    static let stdoutIsTTY = isatty(1) == 1
    nonisolated(unsafe) private static var progressShown = false
    private static let lock = NSLock()

    /// Draws a one-line progress message on stderr (only on a terminal).
    static func progress(_ text: String) {
        guard stderrIsTTY else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
        progressShown = true
    }

    static func clearProgressLine() {
        guard stderrIsTTY else { return }
        lock.lock(); defer { lock.unlock() }
        if progressShown {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
            progressShown = false
        }
    }

    static func printError(_ text: String) {
        clearProgressLine()
        FileHandle.standardError.write(Data(("sluice: error: " + text + "\n").utf8))
    }
}
