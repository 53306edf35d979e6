public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif

extension SluiceProcess {
    /// A `sluice` process running in the background, for tests that signal it while it works.
    public struct Running: Sendable {
        public let pid: pid_t

        /// Sends `signal` to the process.
        public func send(_ signal: Int32) { kill(pid, signal) }

        /// The exit status if the process has ended, else nil (does not block).
        public func poll() -> Int32? {
            var status: Int32 = 0
            return waitpid(pid, &status, WNOHANG) == pid ? Self.exitCode(status) : nil
        }

        /// Waits for the end: the exit status, or 128 + the signal that killed it.
        public func wait() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return Self.exitCode(status)
        }

        private static func exitCode(_ status: Int32) -> Int32 {
            status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
    }

    /// Starts `sluice ARGS` in `directory` with stdout and stderr going to files, and returns at
    /// once. Uses posix_spawn and waitpid directly (Foundation's `Process` can miss the end of a
    /// child signalled right after it started). The process is `sluice` itself (the shell that
    /// sets up the redirections `exec`s it), so a signal sent to `pid` reaches it.
    public static func start(_ args: [String], in directory: URL, stdout: URL, stderr: URL) throws -> Running {
        guard let exe = executable else { throw NotBuilt() }
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([exe.path] + args).map(quoted).joined(separator: " ")
        let script = "cd \(quoted(directory.path)) && exec \(command) >\(quoted(stdout.path)) 2>\(quoted(stderr.path))"
        var pid: pid_t = 0
        let argv = ["/bin/sh", "-c", script]
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let rc = posix_spawn(&pid, "/bin/sh", nil, nil, &cargs, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        return Running(pid: pid)
    }
}
