import Foundation
import Glibc

/// A strict decoder over glibc's iconv: bytes in a named charset to Unicode scalars.
///
/// Strict means: an invalid or incomplete sequence makes `decode` return nil (never a
/// replacement character). glibc ships converters for every charset Sluice detects, so no
/// extra dependency is needed. iconv descriptors are not thread-safe, so each call opens its
/// own (cheap next to the conversion itself).
package enum IconvDecoder {
    /// Decodes `bytes` from `charset` (an iconv name such as `SHIFT_JIS`); nil when the bytes are
    /// not valid in it or the charset is unknown.
    package static func decode(_ bytes: [UInt8], charset: String) -> String? {
        decodeCounting(bytes, charset: charset, stopAtFirstError: true)?.text
    }

    /// Decodes as much as possible, counting invalid bytes; `replace` puts U+FFFD for each bad
    /// sequence, else it is skipped. nil when the charset is unknown.
    package static func decodeLossy(_ bytes: [UInt8], charset: String, replace: Bool) -> (text: String, invalid: Int)? {
        decodeCounting(bytes, charset: charset, stopAtFirstError: false, replace: replace)
    }

    /// Converts bytes between any two charsets iconv knows (used to build evaluation sets: text
    /// encoded into a legacy charset). nil when a character has no representation or the charset
    /// is unknown.
    package static func convert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var result: [UInt8] = []
        var out = [UInt8](repeating: 0, count: 16_384)
        var ok = true
        input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                guard let outBase = outBuf.baseAddress else { ok = false; return }
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress.map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)
                }
                var inLeft = inBuf.count
                var flushing = false
                while true {
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let rc = flushing ? iconv(cd, nil, nil, &outPtr, &outLeft) : iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let err = rc == -1 ? errno : 0
                    result.append(contentsOf: UnsafeBufferPointer(start: outBase, count: outBuf.count - outLeft))
                    if flushing { return }
                    if rc != -1 { flushing = true; continue }
                    if err == E2BIG { continue }
                    ok = false
                    return
                }
            }
        }
        return ok ? result : nil
    }

    /// Whether glibc knows the charset.
    package static func isSupported(_ charset: String) -> Bool {
        let cd = iconv_open("UTF-32LE", charset)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// Open descriptors for reuse. Opening one loads glibc's converter module and closing the
    /// last one unloads it (mmap and munmap each time), which made detection, with a dozen
    /// candidates per input, spend most of its time in the dynamic loader.
    private final class Pool: @unchecked Sendable {
        let lock = NSLock()
        var free: [String: [iconv_t]] = [:]

        func take(_ charset: String) -> iconv_t? {
            lock.lock()
            if let cd = free[charset]?.popLast() { lock.unlock(); return cd }
            lock.unlock()
            let cd = iconv_open("UTF-8", charset)
            return cd == iconv_t(bitPattern: -1) ? nil : cd
        }

        func give(_ cd: iconv_t, _ charset: String) {
            // Back to the initial shift state before someone else uses it.
            iconv(cd, nil, nil, nil, nil)
            lock.lock()
            if free[charset, default: []].count < 8 { free[charset, default: []].append(cd); lock.unlock(); return }
            lock.unlock()
            iconv_close(cd)
        }
    }

    private static let pool = Pool()

    private static func decodeCounting(_ bytes: [UInt8], charset: String, stopAtFirstError: Bool,
                                       replace: Bool = false) -> (text: String, invalid: Int)? {
        guard let cd = pool.take(charset) else { return nil }
        defer { pool.give(cd, charset) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 2)
        var invalid = 0
        var out = [UInt8](repeating: 0, count: 16_384)
        var input = bytes
        let total = input.count
        var consumed = 0
        var failed = false
        input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                guard let inBase = inBuf.baseAddress, let outBase = outBuf.baseAddress else { return }
                var flushing = false
                while true {
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = total - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let rc: Int
                    if flushing {
                        rc = iconv(cd, nil, nil, &outPtr, &outLeft)
                    } else {
                        rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    }
                    let err = rc == -1 ? errno : 0
                    consumed = total - inLeft
                    result.append(contentsOf: UnsafeBufferPointer(start: outBase, count: outBuf.count - outLeft))
                    if flushing { return }
                    if rc != -1 {
                        flushing = true
                        continue
                    }
                    if err == E2BIG { continue }
                    // EILSEQ or EINVAL (truncated sequence at the end).
                    invalid += 1
                    if stopAtFirstError { failed = true; return }
                    if replace { result.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
                    consumed += 1
                    if consumed >= total { return }
                }
            }
        }
        if failed { return nil }
        // iconv wrote UTF-8; decoding validates it once more, cheaply.
        return (String(decoding: result, as: UTF8.self), invalid)
    }
}
