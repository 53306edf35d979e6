import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct JSONLinesTests {
    @Test func readsObjectsWithDerivedIdsAndProvenance() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("data/a.jsonl", "{\"title\":\"One\"}\n\n  \r\n{\"title\":\"Two\"}\r\n{\"title\":\"Three\"}")
        let run = try await f.read(["paths": .s("data/*.jsonl")])
        #expect(run.records.map { $0.string("title") } == ["One", "Two", "Three"])
        #expect(run.ids == ["data/a.jsonl#L1", "data/a.jsonl#L4", "data/a.jsonl#L5"])
        let second = try #require(run.records.dropFirst().first)
        #expect(second.provenance.input == "docs")
        #expect(second.provenance.uri == "data/a.jsonl")
        #expect(second.provenance.locator.line == 4)
        #expect(second.provenance.locator.byteOffset == 21)
        #expect(second.provenance.sha256 == ContentHash.sha256Hex(Array("{\"title\":\"Two\"}".utf8)))
        #expect(run.failures.isEmpty)
    }

    @Test func idFromAFieldStringOrNumberAndMissingOnesQuarantined() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{\"id\":\"x-1\"}\n{\"id\":12345678901234567890}\n{\"name\":\"no id\"}\n{\"id\":null}\n{\"id\":[1]}\n")
        let run = try await f.read(["paths": .s("a.jsonl"), "id": .s("/id")])
        #expect(run.records.map(\.id) == ["x-1", "12345678901234567890"])
        #expect(run.failures.map(\.code) == [.missingField, .missingField, .wrongType])
        #expect(run.failures.first?.pointer == "/id")
        #expect(run.failures.first?.recordID == "a.jsonl#L3")
    }

    @Test func badLinesAreQuarantinedAndTheRestRead() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try f.write("a.jsonl", [
            "{\"ok\":1}",
            "{\"title\":\"cut here",
            "[1,2,3]",
            "{\"deep\":\(deep)}",
            "{\"ok\":2}",
        ].joined(separator: "\n") + "\n")
        let run = try await f.read(["paths": .s("a.jsonl")])
        #expect(run.records.count == 2)
        #expect(run.failures.map(\.code) == [.malformed, .notAnObject, .tooDeep])
        let cut = try #require(run.failures.first)
        #expect(cut.message.hasPrefix("line 2 is not valid JSON: "))
        #expect(cut.message.hasSuffix("at column 19"))
        #expect(cut.provenance?.locator.line == 2)
        #expect(cut.original?.bytes == Array("{\"title\":\"cut here".utf8))
    }

    @Test func invalidUTF8AndNULAreQuarantinedWithTheirOffsets() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var bytes = Array("{\"a\":\"caf".utf8) + [0xE9] + Array("\"}\n".utf8)
        bytes += Array("{\"a\":\"x".utf8) + [0x00] + Array("\"}\n".utf8)
        bytes += Array("{\"a\":\"fine\"}\n".utf8)
        try f.write("a.jsonl", bytes: bytes)
        let run = try await f.read(["paths": .s("a.jsonl")])
        #expect(run.failures.map(\.code) == [.undecodableText, .nulByte])
        #expect(run.failures.first?.message.contains("offset 9") == true)
        #expect(run.failures.last?.message.contains("offset 7") == true)
        #expect(run.records.map { $0.string("a") } == ["fine"])
    }

    @Test func aFiftyMegabyteLineOverTheLimitIsSkippedWithoutHoldingIt() async throws {
        var f = try Fixture()
        defer { f.dir.remove() }
        f.limits.maxRecordBytes = 10 * 1024 * 1024
        let url = f.dir.path("big.jsonl")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        handle.write(Data("{\"a\":1}\n{\"blob\":\"".utf8))
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<50 { handle.write(block) }
        handle.write(Data("\"}\n{\"a\":2}\n".utf8))
        try handle.close()
        let run = try await f.read(["paths": .s("big.jsonl")])
        #expect(run.records.map { $0.value["a"] } == [1, 2])
        let big = try #require(run.failures.first)
        #expect(big.code == .tooLarge)
        let total = 50 * (1 << 20) + 11
        #expect(big.original?.totalCount == total)
        #expect(big.original?.bytes.count == RawBytes.defaultLimit)
        #expect(big.message.contains("\(total) bytes"))
        #expect(big.provenance?.locator.line == 2)
        #expect(run.records.last?.provenance.locator.line == 3)
    }

    @Test func byteOrderMarksAreStrippedOrDecoded() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("utf8.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array("{\"t\":\"é\"}\n".utf8))
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "{\"t\":\"😀\"}\n{\"t\":\"b\"}\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try f.write("utf16.jsonl", bytes: utf16)
        let run = try await f.read(["paths": .s("*.jsonl")])
        #expect(run.failures.isEmpty)
        #expect(run.records.map { $0.string("t") } == ["😀", "b", "é"])
        #expect(run.records.last?.provenance.locator.byteOffset == 3)
    }

    @Test func aLoneSurrogateInUTF16IsUndecodable() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("bad.jsonl", bytes: [0xFF, 0xFE] + [0x7B, 0x00, 0x7D, 0x00, 0x0A, 0x00] + [0x00, 0xDC] + [0x0A, 0x00])
        let run = try await f.read(["paths": .s("bad.jsonl")])
        #expect(run.records.count == 1)
        #expect(run.failures.map(\.code) == [.undecodableText])
        #expect(run.failures.first?.message.contains("unpaired surrogate (U+DC00)") == true)
        #expect(run.failures.first?.recordID == "bad.jsonl#L2")
    }

    @Test func anEmptyFileHasNoRecords() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("empty.jsonl", "")
        let run = try await f.read(["paths": .s("empty.jsonl")])
        #expect(run.items.isEmpty)
    }
}
