import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct JSONDocumentTests {
    @Test func anArrayGivesOneRecordPerItem() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.json", "[\n  {\"t\": \"a, [b] {c}\"},\n  {\"t\": \"q\\\"]\"}, {\"nested\": [[1], {\"x\": [2]}]}\n]\n")
        let run = try await f.read(["paths": .s("a.json")])
        #expect(run.failures.isEmpty)
        #expect(run.records.map { $0.string("t") } == ["a, [b] {c}", "q\"]", nil])
        #expect(run.ids == ["a.json#0", "a.json#1", "a.json#2"])
        #expect(run.records.map(\.provenance.locator.line) == [2, 3, 3])
        #expect(run.records.first?.provenance.sha256 == ContentHash.sha256Hex(Array("{\"t\": \"a, [b] {c}\"}".utf8)))
        #expect(run.records.first?.provenance.locator.index == 0)
    }

    @Test func anObjectIsOneRecordAndAScalarIsNotAnObject() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("one.json", "{\"t\": 1}")
        try f.write("two.json", "\"text\"")
        try f.write("three.json", "   ")
        let run = try await f.read(["paths": .s("*.json")])
        #expect(run.records.map(\.id) == ["one.json"])
        #expect(run.failures.map(\.code) == [.empty, .notAnObject])
    }

    @Test func badItemsAreQuarantinedOneByOne() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        try f.write("a.json", "[{\"a\":1}, \(deep), 7, {\"a\": tru}, , {\"a\":2}]")
        let run = try await f.read(["paths": .s("a.json")])
        #expect(run.records.map { $0.value["a"] } == [1, 2])
        #expect(run.failures.map(\.code) == [.tooDeep, .notAnObject, .malformed, .malformed])
        #expect(run.failures.map(\.recordID) == ["a.json#1", "a.json#2", "a.json#3", "a.json#4"])
        #expect(run.ids.last == "a.json#5")
    }

    @Test func anUnclosedArrayKeepsTheItemsBefore() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.json", "[{\"a\":1},\n{\"a\":2},\n{\"a\":")
        let run = try await f.read(["paths": .s("a.json")])
        #expect(run.records.count == 2)
        #expect(run.failures.map(\.code) == [.malformed])
        #expect(run.failures.first?.message.contains("not closed") == true)
    }

    @Test func dataAfterTheArrayIsReported() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.json", "[{\"a\":1}] {\"b\":2}")
        let run = try await f.read(["paths": .s("a.json")])
        #expect(run.records.count == 1)
        #expect(run.failures.first?.message.contains("after the top-level array") == true)
    }

    @Test func anItemOverTheLimitIsSkipped() async throws {
        var f = try Fixture()
        defer { f.dir.remove() }
        f.limits.maxRecordBytes = 1000
        try f.write("a.json", "[{\"a\":\"\(String(repeating: "x", count: 5000))\"}, {\"a\":1}]")
        let run = try await f.read(["paths": .s("a.json")])
        #expect(run.failures.map(\.code) == [.tooLarge])
        #expect(run.failures.first?.original?.totalCount == 5008)
        #expect(run.records.map { $0.value["a"] } == [1])
    }
}
