public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way Sluice replaces a whole file so that readers never see half of it and a crash
/// never loses it: a temporary sibling, written and `fsync`ed, renamed over the target, then the
/// folder `fsync`ed so the rename itself is durable. The run summary, metrics, reports, run
/// digests and per-run output files all go through here.
///
/// Errors are `SluiceError`s (exit 73; 74 for a full disk or quota) whose message names the file
/// and the system's reason (`No space left on device`), never a Foundation error description.
public enum AtomicFile {
    /// Replaces `url` with `bytes`, creating its folder if needed. `what` names the file in
    /// errors (`the run summary`).
    public static func write(_ bytes: some Collection<UInt8>, to url: URL, mode: mode_t = 0o644, what: String = "the file") throws {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw SluiceError(.cannotCreateOutput, "cannot write \(what) to \(url.path): cannot create the folder \(dir.path) (\(SystemError.text(error)))")
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(what, url, "cannot create a temporary file beside it") }
        let buffer = Array(bytes)
        var ok = buffer.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let error = ok ? nil : failure(what, url, "cannot write it")
        close(fd)
        if let error { unlink(tmp.path); throw error }
        do { try publish(tmp, as: url, what: what) } catch { unlink(tmp.path); throw error }
    }

    /// Renames an already-written `tmp` over `url` (after `fsync` of `tmp`), then `fsync`s the folder.
    public static func publish(_ tmp: URL, as url: URL, what: String = "the file") throws {
        let tfd = open(tmp.path, O_RDONLY | O_CLOEXEC)
        if tfd >= 0 { _ = fsync(tfd); close(tfd) }
        guard rename(tmp.path, url.path) == 0 else { throw failure(what, url, "cannot rename \(tmp.lastPathComponent) into place") }
        let dfd = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// A full disk or quota is an I/O error (74), as for outputs; anything else means the file
    /// cannot be created there (73).
    private static func failure(_ what: String, _ url: URL, _ step: String) -> SluiceError {
        let code = errno
        let status: ExitStatus = code == ENOSPC || code == EDQUOT ? .ioError : .cannotCreateOutput
        return SluiceError(status, "cannot write \(what) to \(url.path): \(step) (\(SystemError.text(errno: code)))")
    }
}
