import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read buffer over a `ByteStream` with absolute offsets: the only place bytes are buffered
/// between the stream and the format readers. Its size is fixed; records are copied out of it.
final class ChunkReader {
    private let stream: any ByteStream
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var start = 0
    private(set) var end = 0
    /// Offset in the (decompressed, decoded) stream of `storage[start]`.
    private(set) var offset: Int
    private(set) var atEnd = false
    /// Set once the stream failed; the reader then acts as ended.
    private(set) var failure: StreamFailure?

    init(stream: any ByteStream, startOffset: Int, capacity: Int = 256 * 1024) {
        self.stream = stream
        self.offset = startOffset
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
    }

    deinit { storage.deallocate() }

    /// The bytes buffered and not yet consumed.
    var available: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[start..<end]) }
    var isEmpty: Bool { start == end }

    /// Reads more bytes after the buffered ones. Returns false at the end or after a failure
    /// (see `failure`).
    func fill() -> Bool {
        if atEnd { return false }
        if start > 0 {
            let count = end - start
            if count > 0, let base = storage.baseAddress { memmove(base, base + start, count) }
            start = 0
            end = count
        }
        guard end < storage.count else { return true }
        do throws(StreamFailure) {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            if n == 0 {
                atEnd = true
                return false
            }
            end += n
            return true
        } catch {
            failure = error
            atEnd = true
            return false
        }
    }

    /// Marks `count` buffered bytes as consumed.
    func consume(_ count: Int) {
        start += count
        offset += count
    }

    /// The next byte without consuming it, reading more when needed; nil at the end.
    func peek() -> UInt8? {
        if start == end && !fill() { return nil }
        return start < end ? storage[start] : nil
    }

    /// Consumes and returns one byte.
    func next() -> UInt8? {
        guard let b = peek() else { return nil }
        consume(1)
        return b
    }

    /// Consumes bytes up to `target` (an absolute offset) without looking at them. Returns false
    /// if the stream ended first.
    func skip(to target: Int) -> Bool {
        while offset < target {
            if start == end && !fill() { return false }
            consume(min(end - start, target - offset))
        }
        return true
    }

    /// Reads the rest of the stream into memory, at most `limit` bytes kept.
    /// Returns the bytes kept, the total length, and the hash of all of it.
    func readAll(limit: Int) -> (bytes: [UInt8], total: Int, sha256: String) {
        var kept: [UInt8] = []
        var total = 0
        var hasher = StreamingSHA256()
        while !isEmpty || fill() {
            let chunk = available
            hasher.update(chunk)
            if kept.count < limit { kept.append(contentsOf: chunk.prefix(limit - kept.count)) }
            total += chunk.count
            consume(chunk.count)
        }
        return (kept, total, hasher.finalizeHex())
    }
}

/// One line of a line-oriented stream, without its terminator.
struct Line {
    /// The line's bytes (a bounded prefix when `total` exceeds the limit).
    var bytes: [UInt8]
    /// The line's full length without `\n` (a `\r` before it is dropped too).
    var total: Int
    /// Offset of the line's first byte.
    var offset: Int
    /// SHA-256 of the whole line, set only for a line over the limit (hashed as it streamed past).
    var sha256: String?
    /// True when the stream failed before the line's end (`ChunkReader.failure` says why).
    var cut: Bool
    /// Over the limit: `bytes` holds at most `RawBytes.defaultLimit` of it.
    var isTooLong: Bool { sha256 != nil }
}

extension ChunkReader {
    /// The next line, keeping at most `maxBytes` of it; a longer line is streamed past (hashed,
    /// counted) without being held. Nil at the end of the stream.
    func nextLine(maxBytes: Int) -> Line? {
        let lineOffset = offset
        var kept: [UInt8] = []
        var total = 0
        var hasher: StreamingSHA256?
        var sawAny = false
        while true {
            if isEmpty && !fill() {
                if !sawAny { return nil }
                return finishLine(kept, total, lineOffset, hasher, cut: failure != nil)
            }
            sawAny = true
            let chunk = available
            let newline = chunk.baseAddress.flatMap { base in
                memchr(base, 0x0A, chunk.count).map { base.distance(to: UnsafeRawPointer($0)) }
            }
            let segment = UnsafeRawBufferPointer(rebasing: chunk[..<(newline ?? chunk.count)])
            if hasher == nil && total + segment.count > maxBytes {
                var h = StreamingSHA256()
                h.update(kept)
                hasher = h
                kept = Array(kept.prefix(RawBytes.defaultLimit))
            }
            if hasher != nil {
                hasher?.update(segment)
                if kept.count < RawBytes.defaultLimit { kept.append(contentsOf: segment.prefix(RawBytes.defaultLimit - kept.count)) }
            } else {
                kept.append(contentsOf: segment)
            }
            total += segment.count
            if let newline {
                consume(newline + 1)
                return finishLine(kept, total, lineOffset, hasher, cut: false)
            }
            consume(chunk.count)
        }
    }

    private func finishLine(_ kept: [UInt8], _ total: Int, _ offset: Int, _ hasher: StreamingSHA256?, cut: Bool) -> Line {
        var kept = kept
        var total = total
        if hasher == nil, kept.last == UInt8(ascii: "\r") {
            kept.removeLast()
            total -= 1
        }
        return Line(bytes: kept, total: total, offset: offset, sha256: hasher?.finalizeHex(), cut: cut)
    }
}
