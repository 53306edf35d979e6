import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one file on disk, read with read(2), hashed as they pass.
///
/// The SHA-256 covers every byte read; `drain()` reads (and hashes) the rest, so a file whose
/// parsing stopped early still gets the hash of its whole content.
final class FileByteStream: ByteStream {
    private let fd: Int32
    private var hasher = StreamingSHA256()
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0
    /// Size and modification time when the file was opened.
    let status: FileStatus
    private var failed = false

    /// Opens `path`. A missing file, a permission problem, a directory or anything that is not a
    /// regular file (a FIFO would block, a device never ends) throws `.unreadable` with the
    /// operating system's wording.
    init(path: String) throws(StreamFailure) {
        // O_NONBLOCK keeps a FIFO without a writer from blocking the open; it changes nothing for
        // regular files, the only kind read.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw StreamFailure(code: .unreadable, message: "cannot open the file: \(systemError(errno))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw StreamFailure(code: .unreadable, message: "cannot read the file's status: \(systemError(e))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw StreamFailure(code: .unreadable, message: "cannot read the file: \(systemError(EISDIR))")
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw StreamFailure(code: .unreadable, message: "not a regular file (a pipe, socket or device), so it is not read")
        }
        self.fd = fd
        self.status = FileStatus(st)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        guard !failed, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Darwin.read(fd, base, buffer.count)
            #endif
            if n >= 0 {
                hasher.update(UnsafeRawBufferPointer(start: base, count: n))
                bytesRead += n
                return n
            }
            if errno == EINTR { continue }
            failed = true
            throw StreamFailure(code: .unreadable, message: "reading failed after \(bytesRead) bytes: \(systemError(errno))")
        }
    }

    /// Reads from `offset` without moving the stream (not hashed, not counted): a second look at
    /// the same open file, such as `GzipMemberCheck`'s pass before the stream is read. Returns 0 at
    /// the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(StreamFailure) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = pread(fd, base, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw StreamFailure(code: .unreadable, message: "reading failed at byte \(offset): \(systemError(errno))")
        }
    }

    /// Reads the rest of the file so that `sha256` covers all of it. Returns false on a read error.
    @discardableResult
    func drain() -> Bool {
        var scratch = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            do {
                let n = try scratch.withUnsafeMutableBytes { (raw) throws(StreamFailure) -> Int in try read(into: raw) }
                if n == 0 { return true }
            } catch { return false }
        }
    }

    /// Lowercase hex SHA-256 of the bytes read so far (of the whole file after `drain()`).
    func sha256() -> String { hasher.finalizeHex() }
}

/// What identifies a file's version cheaply: its size and modification time (nanoseconds).
struct FileStatus: Equatable {
    var size: Int
    /// Seconds since 1970 with nine decimals, exact: `1764505200.123456789`.
    var mtime: String

    init(size: Int, mtime: String) {
        self.size = size
        self.mtime = mtime
    }

    init(_ st: stat) {
        size = Int(st.st_size)
        #if canImport(Glibc)
        let time = st.st_mtim
        #else
        let time = st.st_mtimespec
        #endif
        let nanos = String(time.tv_nsec)
        mtime = "\(time.tv_sec)." + String(repeating: "0", count: max(0, 9 - nanos.count)) + nanos
    }

    /// The status of `path` (following symlinks), or the OS error text.
    static func of(_ path: String) -> Result<FileStatus, StreamFailure> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(StreamFailure(code: .unreadable, message: "cannot read the file's status: \(systemError(errno))"))
        }
        return .success(FileStatus(st))
    }
}

/// The operating system's wording for an errno value (`Permission denied`).
func systemError(_ code: Int32) -> String {
    guard let p = strerror(code) else { return "error \(code)" }
    return String(cString: p)
}
