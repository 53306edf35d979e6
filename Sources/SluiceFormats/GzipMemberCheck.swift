import CZlib
import SluiceCore

/// A first pass over a gzip file that inflates it without keeping the output, to learn where its
/// intact members end. A gzip member's bytes are verified only by the CRC at its end, and damaged
/// deflate data often inflates without complaint, so records read from a member before its CRC
/// would be written as good although they are garbage. With this pass, `GzipByteStream` delivers
/// only what intact members hold and then fails with the damage, so the reader quarantines the rest
/// of the file in one entry saying where the damage is. A file cut short (a truncated download) is
/// not damage: everything before the cut is delivered, as before. The pass stops at
/// `max_decompressed_bytes` (the member crossing it is not verified; the limit stops reading there).
///
/// The pass reads the file the stream has open (positional reads), so both passes see the same
/// bytes even if the path is replaced meanwhile. Why two passes and not one: a member's records
/// can be trusted only after its CRC, at the member's end, and a member is commonly the whole file
/// (gigabytes). One pass would have to hold a member's output until its end (memory as large as
/// the member) or spool it to disk (disk as large as the member, written and read again) before
/// delivering any record; inflating twice costs CPU only, and little next to parsing the records
/// (see docs/architecture.md).
struct GzipMemberCheck {
    /// Decompressed bytes up to the end of the last intact member before the damage; `Int.max`
    /// when no damage was found.
    var trustedBytes = Int.max
    var damage: StreamFailure?

    static func run(_ source: FileByteStream, maxDecompressedBytes: Int) -> GzipMemberCheck {
        var check = GzipMemberCheck()
        var zs = z_stream()
        guard inflateInit2_(&zs, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return check }
        defer { inflateEnd(&zs) }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var produced = 0
        var member = 1
        var memberStart = 0
        var memberProducedStart = 0
        var verified = 0
        var offset = 0
        var sourceEnded = false
        while produced <= maxDecompressedBytes {
            if zs.avail_in == 0 && !sourceEnded {
                guard let n = try? source.read(into: input, at: offset) else { return check }
                offset += n
                if n == 0 {
                    sourceEnded = true
                } else {
                    zs.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    zs.avail_in = uInt(n)
                }
            }
            if zs.avail_in == 0 && sourceEnded { return check }
            zs.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            zs.avail_out = uInt(output.count)
            let rc = inflate(&zs, Z_NO_FLUSH)
            produced += output.count - Int(zs.avail_out)
            let consumed = offset - Int(zs.avail_in)
            switch rc {
            case Z_STREAM_END:
                verified = produced
                member += 1
                memberStart = consumed
                memberProducedStart = produced
                inflateReset(&zs)
            case Z_OK:
                break
            case Z_BUF_ERROR where zs.avail_in == 0:
                break
            default:
                let detail = zs.msg.map { String(cString: $0) } ?? "code \(rc)"
                check.trustedBytes = verified
                check.damage = StreamFailure(
                    code: .corruptCompression,
                    message: "member \(member) of the gzip file (from compressed byte \(memberStart)) is damaged: zlib found \"\(detail)\" at "
                        + "compressed byte \(consumed); the \(produced - memberProducedStart) bytes it inflated to cannot be trusted, so "
                        + "reading stops at decompressed byte \(verified), the end of the last intact member; compressed bytes \(memberStart) to "
                        + "\(source.status.size) (the end of the file) are not read, and how many records they hold is unknown")
                return check
            }
        }
        return check
    }
}
