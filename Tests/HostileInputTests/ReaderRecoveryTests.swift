import CZlib
import Foundation
import SluiceCore
import SluiceJSON
import Testing

/// Readers that meet bad bytes keep the good records around them and account for the rest:
/// every record received is written or quarantined, and what a reader cannot read is one
/// explicit quarantine entry.
@Suite struct ReaderRecoveryTests {
    private static func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// A lone surrogate on line 2 of a UTF-16 JSON Lines file quarantines line 2 only.
    @Test func utf16JSONLinesWithALoneSurrogate() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        var bytes: [UInt8] = [0xFF, 0xFE] + Self.utf16LE("{\"n\":1}\n{\"n\":\"")
        bytes += [0x00, 0xD8]  // a high surrogate with no low one after it
        bytes += Self.utf16LE("\"}\n{\"n\":3}\n{\"n\":4}\n")
        try p.write("a.jsonl", bytes: bytes)
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == [1, 3, 4])
        #expect(out.codes == ["undecodable_text"])
        #expect(out.quarantinedIDs == ["data/a.jsonl#L2"])
        #expect(out.messages.first?.contains("surrogate") == true)
        #expect(out.summary.exitStatus == 0)
    }

    @Test func utf16CSVWithALoneSurrogate() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        var bytes: [UInt8] = [0xFF, 0xFE] + Self.utf16LE("name,n\r\na,1\r\nb")
        bytes += [0x00, 0xDC]  // a lone low surrogate
        bytes += Self.utf16LE(",2\r\nc,3\r\n")
        try p.write("a.csv", bytes: bytes)
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.written.map { $0["name"] } == ["a", "c"])
        #expect(out.codes == ["undecodable_text"])
        #expect(out.quarantinedIDs == ["data/a.csv#1"])
    }

    /// Records before a well-formedness error are all kept; the entry names the bad element.
    @Test func xmlRecordsBeforeAnErrorAreKept() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        var xml = "<?xml version=\"1.0\"?>\n<feed>\n"
        for i in 0..<20 { xml += "<item><n>\(i)</n></item>\n" }
        let badElement = xml.utf8.count
        xml += "<item><n>20</x></item>\n"
        for i in 21..<25 { xml += "<item><n>\(i)</n></item>\n" }
        xml += "</feed>\n"
        try p.write("f.xml", xml)
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        // Bytes before the bad element: the 20 records written; from it to the end: the entry.
        let from = try #require(out.restOfFile(fileBytes: xml.utf8.count))
        #expect(from >= badElement && from <= badElement + "<item><n>20</x>".utf8.count)
        #expect(out.written.map { $0["n"] } == (0..<20).map { .string("\($0)") })
        #expect(out.codes == ["malformed"])
        #expect(out.quarantinedIDs == ["data/f.xml#20"])
        let message = try #require(out.messages.first)
        #expect(message.contains("line 23"))
        #expect(message.contains("element 20"))
        #expect(message.contains("the rest of the file"))
    }

    /// A second root after a complete first one: the first root's records are kept, the rest is
    /// quarantined explicitly.
    @Test func xmlSecondRootKeepsTheFirst() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        let first = "<feed><item><n>1</n></item><item><n>2</n></item></feed>\n"
        let xml = first + "<feed><item><n>3</n></item></feed>\n"
        try p.write("f.xml", xml)
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        let from = try #require(out.restOfFile(fileBytes: xml.utf8.count))
        #expect(from >= first.utf8.count - 1 && from <= first.utf8.count + "<feed>".utf8.count)
        #expect(out.written.map { $0["n"] } == ["1", "2"])
        #expect(out.codes == ["malformed"])
        #expect(out.messages.first?.contains("root") == true)
        #expect(out.messages.first?.contains("line 2") == true)
    }

    /// A NUL byte stops the XML reader; every record before it is kept.
    @Test func xmlRecordsBeforeANULAreKept() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        var xml = Array("<feed>".utf8)
        for i in 0..<5 { xml += Array("<item><n>\(i)</n></item>".utf8) }
        xml += Array("<item><n>".utf8) + [0]
        let nul = xml.count - 1
        xml += Array("</n></item></feed>".utf8)
        try p.write("f.xml", bytes: xml)
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == ["0", "1", "2", "3", "4"])
        #expect(out.codes == ["nul_byte"])
        #expect(out.restOfFile(fileBytes: xml.count) == nul)
    }

    /// A text node longer than max_record_bytes: our limit fires (libxml2's 10 MB one is lifted),
    /// and the records before it are kept.
    @Test func xmlTextRunOverMaxRecordBytes() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        let before = "<feed><item><n>1</n></item><item><n>"
        let xml = before + String(repeating: "x", count: 20_000) + "</n></item></feed>"
        try p.write("f.xml", xml)
        let out = try await p.run(input: ["xml:", "  record_element: item"], limits: ["max_record_bytes: 4096"])
        out.expectAccounted()
        // The run is counted from the last `<` (of `<n>`), so it starts two bytes before the text.
        #expect(out.restOfFile(fileBytes: xml.utf8.count) == before.utf8.count - 2)
        #expect(out.written.map { $0["n"] } == ["1"])
        #expect(out.codes == ["record_too_large"])
        #expect(out.messages.first?.contains("max_record_bytes") == true)
    }

    /// libxml2's own depth limit (256) no longer fires before max_depth (512).
    @Test func xmlDeeperThanLibxmlDefaultButWithinMaxDepth() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        let depth = 300
        let xml = "<feed><item>" + String(repeating: "<a>", count: depth) + "deep" + String(repeating: "</a>", count: depth)
            + "</item><item><b>next</b></item></feed>"
        try p.write("f.xml", xml)
        let out = try await p.run(input: ["xml:", "  record_element: item"])
        out.expectAccounted()
        #expect(out.codes == [])
        #expect(out.written.count == 2)
        #expect(out.written.last?["b"] == "next")

        let q = try HostilePipeline()
        defer { q.remove() }
        try q.write("f.xml", "<feed><item>" + String(repeating: "<a>", count: 700) + String(repeating: "</a>", count: 700) + "</item></feed>")
        let deep = try await q.run(input: ["xml:", "  record_element: item"])
        deep.expectAccounted()
        #expect(deep.codes == ["too_deep"])
    }

    /// HTML deeper than libxml2's 256 levels is read whole, and past max_depth quarantined.
    @Test func htmlDeeperThanLibxmlDefaultIsNotCut() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.html", "<html><body>" + String(repeating: "<div>", count: 300) + "<p>The bottom line.</p>"
            + String(repeating: "</div>", count: 300) + "<p>After.</p></body></html>")
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.codes == [])
        let body = try #require(out.written.first?["body"]?.stringValue)
        #expect(body.contains("The bottom line."))
        #expect(body.contains("After."))

        let q = try HostilePipeline()
        defer { q.remove() }
        try q.write("a.html", "<html><body>" + String(repeating: "<div>", count: 600) + "<p>x</p></body></html>")
        let deep = try await q.run()
        deep.expectAccounted()
        #expect(deep.codes == ["too_deep"])
    }

    /// Bytes flipped inside a gzip member: nothing from the damaged member is written as good;
    /// the intact member before it is.
    @Test func damagedGzipMemberIsNotWrittenAsGood() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        func lines(_ r: ClosedRange<Int>) -> [UInt8] {
            Array(r.map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "abcdefgh", count: 16))\"}\n" }.joined().utf8)
        }
        let first = try gzip(lines(1...100))
        var second = try gzip(lines(101...400))
        // Flip bytes in the stored data of the second member (it is stored, level 0, so zlib
        // inflates the garbage without complaint and only the CRC finds it).
        let middle = second.count / 2
        for i in middle..<(middle + 64) { second[i] ^= 0x20 }
        try p.write("a.jsonl.gz", bytes: first + second)
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.written.map { $0["n"] } == (1...100).map { .number(JSONNumber($0)) })
        #expect(out.codes == ["corrupt_compression"])
        let message = try #require(out.messages.first)
        #expect(message.contains("member 2"))
        #expect(message.contains("compressed byte \(first.count)"))
        // The unread range: from the damaged member's start to the end of the file.
        #expect(message.contains("compressed bytes \(first.count) to \(first.count + second.count) (the end of the file) are not read"))
        #expect(message.contains("how many records they hold is unknown"))
    }

    /// A run that quarantined every record and wrote nothing fails (65), even without limits.
    @Test func aRunThatQuarantinedEverythingExits65() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.jsonl", "{bad\n[1]\nnot json\n")
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.written.isEmpty)
        #expect(out.quarantined.count == 3)
        #expect(out.summary.exitStatus == 65)
        #expect(out.summary.status == "degraded")
        #expect(out.summary.problems.contains { $0.contains("every record") && $0.contains("3") })
    }

    /// Stored gzip (level 0) made with zlib: damage in it is found only by the CRC.
    private func gzip(_ data: [UInt8]) throws -> [UInt8] {
        var zs = z_stream()
        guard deflateInit2_(&zs, 0, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CancellationError()
        }
        defer { deflateEnd(&zs) }
        var input = data
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&zs, uLong(data.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf -> Int in
                zs.next_in = inBuf.baseAddress
                zs.avail_in = uInt(inBuf.count)
                zs.next_out = outBuf.baseAddress
                zs.avail_out = uInt(outBuf.count)
                guard deflate(&zs, Z_FINISH) == Z_STREAM_END else { return -1 }
                return outBuf.count - Int(zs.avail_out)
            }
        }
        guard produced > 0 else { throw CancellationError() }
        return Array(out.prefix(produced))
    }
}
