import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that is only ever appended to, whose durable length is a checkpoint.
///
/// `commit()` flushes and fsyncs and returns the length; reopening with that length truncates
/// whatever a crashed run wrote after it, so the file never holds a torn or uncommitted tail.
/// A new file is created empty under a temporary name and renamed into place (with the folder
/// fsynced), so a reader never sees a half-created file.
final class CommittedFile {
    let url: URL
    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var length: Int

    /// Opens `url` for appending after `committedLength` bytes (discarding anything after them).
    /// With no committed length the file's current content is kept (never clobbered).
    init(url: URL, committedLength: Int?) throws {
        self.url = url
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SluiceError(.cannotCreateOutput, "cannot create the folder \(folder.path)", cause: error)
        }
        if !FileManager.default.fileExists(atPath: url.path) {
            try CommittedFile.createAtomically(url)
        }
        fd = open(url.path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SluiceError(.cannotCreateOutput, "cannot open \(url.path) for writing: \(String(cString: strerror(errno)))")
        }
        let size = Int(lseek(fd, 0, SEEK_END))
        if let committedLength, committedLength <= size {
            if committedLength < size {
                guard ftruncate(fd, off_t(committedLength)) == 0 else {
                    close(fd)
                    throw SluiceError(.ioError, "cannot truncate \(url.path) to its committed length: \(String(cString: strerror(errno)))")
                }
                _ = fsync(fd)
            }
            length = committedLength
        } else {
            // No checkpoint, or the file is shorter than committed (replaced by someone): append.
            length = size
        }
        _ = lseek(fd, off_t(length), SEEK_SET)
    }

    deinit { close(fd) }

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Writes the buffer, fsyncs, and returns the durable length.
    func commit() throws -> Int {
        try flush()
        guard fsync(fd) == 0 else {
            throw SluiceError(.ioError, "cannot fsync \(url.path): \(String(cString: strerror(errno)))")
        }
        return length
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SluiceError(.ioError, "cannot write \(url.path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        length += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Creates an empty file by writing a temporary sibling and renaming it into place.
    static func createAtomically(_ url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw SluiceError(.cannotCreateOutput, "cannot create \(tmp.path)")
        }
        try publish(tmp, as: url)
    }

    /// Renames `tmp` to `url` durably (see `AtomicFile.publish`).
    static func publish(_ tmp: URL, as url: URL) throws { try AtomicFile.publish(tmp, as: url, what: "the output") }
}
