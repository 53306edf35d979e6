import CZlib
import SluiceCore

/// Inflates a gzip file (one or more members) as a stream.
///
/// Guarantees: memory stays at two fixed buffers whatever the ratio; output past
/// `maxDecompressedBytes` is never produced (the stream fails with `decompression_limit` right
/// after delivering the allowed bytes); a cut stream fails with `corrupt_compression` after
/// delivering everything inflated before the cut; a damaged member (found by `GzipMemberCheck`
/// before reading) is never delivered: the stream stops at the end of the last intact member and
/// fails with where the damage is.
final class GzipByteStream: ByteStream {
    private let source: FileByteStream
    private var zs = z_stream()
    private var ready = false
    private let input: UnsafeMutableRawBufferPointer
    private var sourceEnded = false
    /// True between members: the previous one ended and no byte of a next one was consumed yet.
    private var atMemberBoundary = true
    private var produced = 0
    private let maxDecompressedBytes: Int
    private var pending: StreamFailure?
    private let check: GzipMemberCheck

    init(source: FileByteStream, maxDecompressedBytes: Int, check: GzipMemberCheck = GzipMemberCheck()) throws(StreamFailure) {
        self.source = source
        self.maxDecompressedBytes = maxDecompressedBytes
        self.check = check
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        let rc = inflateInit2_(&zs, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            throw StreamFailure(code: .corruptCompression, message: "zlib could not start inflating (code \(rc))")
        }
        ready = true
    }

    deinit {
        if ready { inflateEnd(&zs) }
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        if let pending { throw pending }
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if let damage = check.damage, produced >= check.trustedBytes { return try fail(damage) }
        let buffer = UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, check.trustedBytes - produced)])
        while true {
            if zs.avail_in == 0 && !sourceEnded {
                let n = try source.read(into: input)
                if n == 0 {
                    sourceEnded = true
                } else {
                    zs.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    zs.avail_in = uInt(n)
                }
            }
            if zs.avail_in == 0 && sourceEnded {
                if atMemberBoundary { return 0 }
                return try fail(StreamFailure(
                    code: .corruptCompression,
                    message: "the gzip stream ends early: the file has \(source.bytesRead) compressed bytes and "
                        + "\(produced) bytes were decompressed before the cut (a truncated download or copy?)"))
            }
            // Allow one byte past the limit so that crossing it is detected without producing more.
            let room = min(buffer.count, maxDecompressedBytes - produced + 1)
            zs.next_out = outBase.assumingMemoryBound(to: Bytef.self)
            zs.avail_out = uInt(room)
            let availBefore = zs.avail_in
            let rc = inflate(&zs, Z_NO_FLUSH)
            let out = room - Int(zs.avail_out)
            if zs.avail_in < availBefore { atMemberBoundary = false }
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                inflateReset(&zs)
                atMemberBoundary = true
            default:
                let detail = zs.msg.map { String(cString: $0) } ?? "code \(rc)"
                let at = source.bytesRead - Int(zs.avail_in)
                let failure = StreamFailure(
                    code: .corruptCompression,
                    message: "the gzip data is corrupt (zlib: \(detail)) after \(at) compressed bytes; \(produced + out) bytes were "
                        + "decompressed before the damage; compressed bytes \(at) to \(source.status.size) (the end of the file) are not read, "
                        + "and how many records they hold is unknown")
                if out > 0 {
                    produced += out
                    pending = failure
                    return out
                }
                return try fail(failure)
            }
            if produced + out > maxDecompressedBytes {
                let allowed = maxDecompressedBytes - produced
                produced = maxDecompressedBytes
                let limit = StreamFailure(
                    code: .decompressionLimit,
                    message: "decompression stopped at \(maxDecompressedBytes) bytes (max_decompressed_bytes) after reading "
                        + "\(source.bytesRead) compressed bytes; the rest of the file, up to compressed byte \(source.status.size) (its end), "
                        + "is not read, and how many records it holds is unknown")
                pending = limit
                if allowed > 0 { return allowed }
                throw limit
            }
            produced += out
            if out > 0 { return out }
            if rc == Z_BUF_ERROR && zs.avail_in > 0 {
                return try fail(StreamFailure(code: .corruptCompression, message: "zlib made no progress after \(produced) decompressed bytes"))
            }
        }
    }

    private func fail(_ failure: StreamFailure) throws(StreamFailure) -> Int {
        pending = failure
        throw failure
    }
}
