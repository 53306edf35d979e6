public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a state folder, so that two runs of one pipeline never overlap.
///
/// `flock(2)` on `<state>/lock`: the kernel releases it when the process dies, so `kill -9`
/// leaves no stale lock. Acquiring never waits.
public final class RunLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws `SluiceError(.temporaryFailure)` at once when another run has it.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SluiceError(.cannotCreateOutput, "cannot create the state folder \(directory.path)", cause: error)
        }
        path = directory.appendingPathComponent("lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SluiceError(.cannotCreateOutput, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw SluiceError(.temporaryFailure,
                              "another run of this pipeline holds the lock \(path)" + (holder.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
                              + "; this run did nothing, try again at the next schedule")
        }
        let note = "pid \(getpid()) since \(Timestamp.string(Date()))\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
