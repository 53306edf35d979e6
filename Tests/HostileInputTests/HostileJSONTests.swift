import Foundation
import Sluice
import SluiceCore
import SluiceJSON
import Testing

/// Values nested far deeper than any stack allows recursion for: each must be parsed, compared,
/// hashed, written and freed without a crash (issue 21, item 4: a record nested 60,000 deep
/// crashed every run when it was freed).
@Suite struct HostileJSONTests {
    /// `{"a":[{"a":[ ... 1 ... ]}]}` with `levels` arrays and objects in all.
    static func mixed(levels: Int) -> [UInt8] {
        let pairs = levels / 2
        return Array((String(repeating: #"{"a":["#, count: pairs) + "1" + String(repeating: "]}", count: pairs)).utf8)
    }

    /// Parses, checks the depth and frees the value inside this function (the crash was on free).
    private static func parseAndDrop(_ bytes: [UInt8], depth: Int) throws -> Int {
        let value = try JSONParser.parse(bytes, options: .init(maxDepth: depth))
        var levels = 0
        var cursor = value
        while true {
            if case .object(let o) = cursor, let next = o["a"] { cursor = next } else if case .array(let a) = cursor, let next = a.first { cursor = next } else { break }
            levels += 1
        }
        return levels
    }

    @Test(arguments: [100_000, 1_000_000])
    func deepObjectsAndArraysAreFreedWithoutRecursion(depth: Int) throws {
        #expect(try Self.parseAndDrop(Self.mixed(levels: depth), depth: depth) == depth)
        let objects = Array((String(repeating: #"{"a":"#, count: depth) + "null" + String(repeating: "}", count: depth)).utf8)
        #expect(try Self.parseAndDrop(objects, depth: depth) == depth)
    }

    /// Under an object, a chain of arrays alone is taken apart too.
    @Test func deepArraysUnderAnObjectAreFreed() throws {
        let depth = 100_000
        let text = #"{"a":"# + String(repeating: "[", count: depth) + "]" + String(repeating: "]", count: depth - 1) + "}"
        #expect(try Self.parseAndDrop(Array(text.utf8), depth: depth + 1) == depth)
    }

    /// An array at the top has no code of its own to run when freed: `dismantle()` frees it.
    @Test func deepArrayAtTheTopIsDismantled() throws {
        let depth = 100_000
        var value = try JSONParser.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth), options: .init(maxDepth: depth))
        value.dismantle()
        #expect(value == .null)
    }

    @Test func deepValuesCompareHashAndWriteWithoutRecursion() throws {
        let depth = 100_000
        let text = Self.mixed(levels: depth)
        let a = try JSONParser.parse(text, options: .init(maxDepth: depth))
        let b = try JSONParser.parse(text, options: .init(maxDepth: depth))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSONWriter.bytes(a) == text)
        var changed = text
        changed[changed.count / 2] = UInt8(ascii: "2")  // the innermost `1` becomes `2`
        let c = try JSONParser.parse(changed, options: .init(maxDepth: depth))
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
    }

    /// Freeing one copy of a deep value leaves the other whole (shared parts are only released).
    @Test func aCopyOutlivesTheFreedOriginal() throws {
        let depth = 100_000
        let text = Self.mixed(levels: depth)
        var original: JSONValue? = try JSONParser.parse(text, options: .init(maxDepth: depth))
        let copy = original!
        var inner = copy["a"]!
        original = nil
        #expect(original == nil)
        #expect(JSONWriter.bytes(copy) == text)
        inner.dismantle()
        #expect(JSONWriter.bytes(copy) == text)
    }

    /// A value that shares one subtree at every level (2^60 paths, 61 nodes) is freed in time
    /// proportional to its nodes: shared containers are not walked again.
    @Test func sharedSubtreesAreFreedOnce() {
        var value: JSONValue = ["leaf": [1, 2, 3]]
        for _ in 0..<60 { value = ["left": value, "right": [value]] }
        #expect(value["left"]?["left"]?["right"] != nil)
        value = .null
        #expect(value.isNull)
    }

    /// The case of the issue through a whole run: a record nested 60,000 deep, `max_depth` raised
    /// within its documented range, passes the reader, is written and freed; its neighbours too,
    /// and a line holding a deep array (not an object) is quarantined and freed.
    @Test func aSixtyThousandDeepRecordRunsThroughThePipeline() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        let deep = Self.mixed(levels: 60_000)
        let deepArray = String(repeating: "[", count: 60_000) + String(repeating: "]", count: 60_000)
        try p.write("a.jsonl", "{\"n\":1}\n" + String(decoding: deep, as: UTF8.self) + "\n" + deepArray + "\n{\"n\":4}\n")
        let file = try p.dir.write("pipeline.yaml", p.pipeline(limits: ["max_depth: 100000"]))
        let loaded = try SluiceEngine.loader(environment: [:]).load(file: file)
        let plan = try #require(loaded.plan)
        let summary = try await SluiceEngine.runner(plan: plan, options: PipelineRunner.Options()).run()
        #expect(summary.balanced)
        #expect(summary.ledger.received == 4)
        #expect(summary.ledger.written == 3)
        #expect(summary.ledger.quarantined == 1)
        let written = try #require(FileManager.default.contents(atPath: p.dir.path("out/records.jsonl").path))
        let lines = written.split(separator: UInt8(ascii: "\n")).map(Array.init)
        #expect(lines.count == 3)
        #expect(lines.first.map { String(decoding: $0, as: UTF8.self) } == "{\"n\":1}")
        #expect(lines.dropFirst().first == deep)
        let quarantined = try p.lines("out/quarantine.jsonl")
        #expect(quarantined.compactMap { $0["code"]?.stringValue } == ["not_an_object"])
    }
}
