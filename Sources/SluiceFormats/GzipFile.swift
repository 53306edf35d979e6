import CZlib
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Writes a gzip file as a stream (fixed 64 KiB buffers, whatever the size): what the audit
/// archive uses. The file is fsync'ed by `finish()`.
public final class GzipFileWriter {
    private var zs = z_stream()
    private let fd: Int32
    private var out = [UInt8](repeating: 0, count: 64 * 1024)
    private var ready = false
    public let url: URL

    public init(url: URL) throws {
        self.url = url
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SluiceError(.cannotCreateOutput, "cannot create \(url.path)") }
        // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
        guard deflateInit2_(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            close(fd)
            throw SluiceError(.internalError, "zlib could not start compressing")
        }
        ready = true
    }

    deinit {
        if ready { deflateEnd(&zs) }
        if fd >= 0 { close(fd) }
    }

    public func write(_ bytes: [UInt8]) throws {
        var input = bytes
        try input.withUnsafeMutableBufferPointer { buf in
            zs.next_in = buf.baseAddress
            zs.avail_in = UInt32(buf.count)
            try pump(flush: Z_NO_FLUSH)
        }
    }

    /// Ends the gzip stream and makes the file durable.
    public func finish() throws {
        zs.next_in = nil
        zs.avail_in = 0
        try pump(flush: Z_FINISH)
        guard fsync(fd) == 0 else { throw SluiceError(.ioError, "cannot sync \(url.path)") }
    }

    private func pump(flush: Int32) throws {
        while true {
            let (rc, produced) = out.withUnsafeMutableBufferPointer { o -> (Int32, Int) in
                zs.next_out = o.baseAddress
                zs.avail_out = UInt32(o.count)
                let rc = deflate(&zs, flush)
                return (rc, o.count - Int(zs.avail_out))
            }
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw SluiceError(.internalError, "zlib failed while compressing (code \(rc))")
            }
            if produced > 0 {
                let ok = out.withUnsafeBytes { posixWrite(fd, $0.baseAddress, produced) == produced }
                guard ok else { throw SluiceError(.ioError, "cannot write \(url.path)") }
            }
            if flush == Z_FINISH ? rc == Z_STREAM_END : (zs.avail_in == 0 && produced < out.count) { return }
            if rc == Z_BUF_ERROR && produced == 0 { return }
        }
    }
}

private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }

/// Reads a gzip file's lines as a stream; fails cleanly on a damaged or cut file and on a line
/// longer than `maxLine` (never unbounded memory).
public enum GzipFileReader {
    public static func lines(of url: URL, maxLine: Int = 16 << 20, _ each: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw SluiceError(.inputMissing, "cannot read \(url.path)")
        }
        defer { try? handle.close() }
        var zs = z_stream()
        guard inflateInit2_(&zs, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SluiceError(.internalError, "zlib could not start inflating")
        }
        defer { inflateEnd(&zs) }
        var out = [UInt8](repeating: 0, count: 64 * 1024)
        var line: [UInt8] = []
        var ended = false
        while !ended {
            var chunk = [UInt8](handle.readData(ofLength: 64 * 1024))
            if chunk.isEmpty { break }
            try chunk.withUnsafeMutableBufferPointer { inBuf in
                zs.next_in = inBuf.baseAddress
                zs.avail_in = UInt32(inBuf.count)
                while zs.avail_in > 0 || zs.avail_out == 0 {
                    let (rc, produced) = out.withUnsafeMutableBufferPointer { o -> (Int32, Int) in
                        zs.next_out = o.baseAddress
                        zs.avail_out = UInt32(o.count)
                        let rc = inflate(&zs, Z_NO_FLUSH)
                        return (rc, o.count - Int(zs.avail_out))
                    }
                    guard rc == Z_OK || rc == Z_STREAM_END || (rc == Z_BUF_ERROR && produced == 0) else {
                        throw SluiceError(.dataError, "\(url.path) is not an intact gzip file (zlib code \(rc))")
                    }
                    for b in out[0..<produced] {
                        if b == 0x0A { try each(line); line.removeAll(keepingCapacity: true) } else {
                            line.append(b)
                            if line.count > maxLine { throw SluiceError(.dataError, "\(url.path) holds a line longer than \(maxLine) bytes") }
                        }
                    }
                    if rc == Z_STREAM_END { ended = true; return }
                    if produced == 0 && zs.avail_in == 0 { return }
                }
            }
        }
        guard ended else { throw SluiceError(.dataError, "\(url.path) is cut short: the gzip stream does not end") }
        if !line.isEmpty { try each(line) }
    }
}
