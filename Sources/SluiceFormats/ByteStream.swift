import SluiceCore

/// Why reading a file's bytes stopped before its end: the record in progress and everything after
/// it are quarantined with `code`; what was read before stays good.
struct StreamFailure: Error {
    var code: RecordFailure.Code
    var message: String
}

/// A forward-only source of bytes: a file, a gzip inflater over it, a transcoder over either.
///
/// `read` fills a prefix of `buffer` and returns its length; 0 means the end. After a failure
/// the stream must not be read again.
protocol ByteStream: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int
}

/// Replays bytes already taken from a stream (a sniffed BOM's neighbours), then reads on.
final class PrefixedStream: ByteStream {
    private var prefix: [UInt8]
    private var prefixPosition = 0
    private let inner: any ByteStream

    init(prefix: [UInt8], inner: any ByteStream) {
        self.prefix = prefix
        self.inner = inner
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        if prefixPosition < prefix.count {
            let n = min(buffer.count, prefix.count - prefixPosition)
            for i in 0..<n { buffer[i] = prefix[prefixPosition + i] }
            prefixPosition += n
            return n
        }
        return try inner.read(into: buffer)
    }
}

extension ByteStream {
    /// Reads until `count` bytes are gathered or the stream ends.
    func readUpTo(_ count: Int) throws(StreamFailure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBufferPointer { (buffer) throws(StreamFailure) -> Int in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[filled...]))
            }
            if n == 0 { break }
            filled += n
        }
        out.removeLast(count - filled)
        return out
    }
}
