import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct GzipTests {
    private func lines(_ range: ClosedRange<Int>) -> String {
        range.map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "abcdefgh", count: 16))\"}\n" }.joined()
    }

    @Test func readsGzippedLinesAcrossMembers() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let two = try Gzip.compress(Array(lines(1...3).utf8)) + Gzip.compress(Array(lines(4...5).utf8))
        try f.write("a.jsonl.gz", bytes: two)
        let run = try await f.read(["paths": .s("*.gz")])
        #expect(run.records.map { $0.value["n"] } == [1, 2, 3, 4, 5])
        #expect(run.ids.first == "a.jsonl.gz#L1")
        #expect(run.failures.isEmpty)
    }

    @Test func aTruncatedFileKeepsTheRecordsBeforeTheCut() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let whole = try Gzip.compress(Array(lines(1...2000).utf8))
        try f.write("cut.jsonl.gz", bytes: Array(whole.prefix(whole.count / 2)))
        let run = try await f.read(["paths": .s("cut.jsonl.gz")])
        #expect(run.records.count > 10)
        #expect(run.records.count < 2000)
        #expect(run.records.map { $0.value["n"] } == (1...run.records.count).map { JSONValue.number(JSONNumber($0)) })
        let failure = try #require(run.failures.last)
        #expect(run.failures.count == 1)
        #expect(failure.code == .corruptCompression)
        #expect(failure.message.contains("ends early"))
        #expect(failure.message.contains("\(whole.count / 2) compressed bytes"))
    }

    @Test func corruptDataIsReported() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var bytes = try Gzip.compress(Array(lines(1...200).utf8))
        for i in 40..<60 { bytes[i] ^= 0x5A }
        try f.write("bad.jsonl.gz", bytes: bytes)
        let run = try await f.read(["paths": .s("bad.jsonl.gz")])
        #expect(run.failures.last?.code == .corruptCompression)
        #expect(run.failures.last?.message.contains("zlib") == true)
    }

    @Test func aGzipBombStopsAtTheLimit() async throws {
        var f = try Fixture()
        defer { f.dir.remove() }
        f.limits.maxDecompressedBytes = 8 * 1024 * 1024
        f.limits.maxRecordBytes = 1024 * 1024
        let url = f.dir.path("bomb.jsonl.gz")
        // 256 MiB of zeros deflate to about 250 KB: a 1000:1 bomb against an 8 MiB limit.
        try Gzip.writeZeros(count: 1 << 28, to: url)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        #expect(size < 1024 * 1024)
        let run = try await f.read(["paths": .s("bomb.jsonl.gz")])
        #expect(run.records.isEmpty)
        #expect(run.failures.map(\.code).last == .decompressionLimit)
        #expect(run.failures.last?.message.contains("\(8 * 1024 * 1024) bytes") == true)
    }

    @Test func theInputsOwnLimitOverridesTheRunsLimit() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl.gz", bytes: try Gzip.compress(Array(lines(1...100).utf8)))
        let run = try await f.read(["paths": .s("a.jsonl.gz"), "max_decompressed_bytes": .s("1000")])
        #expect(run.records.count == 6)
        #expect(run.failures.map(\.code) == [.decompressionLimit])
    }
}
