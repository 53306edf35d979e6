import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct CheckpointTests {
    private func jsonl(_ range: ClosedRange<Int>) -> String { range.map { "{\"n\":\($0)}\n" }.joined() }

    /// Reads `take` items, then reopens from the checkpoint and reads the rest: the two parts
    /// must be exactly the uninterrupted run.
    private func resumeMatchesAFullRun(_ f: Fixture, _ options: [String: Opt], take: Int) async throws -> (Run, Run) {
        let full = try await f.read(options)
        let first = try await f.read(options, max: take)
        let rest = try await f.read(options, checkpoint: first.checkpoint)
        #expect(first.ids + rest.ids == full.ids)
        #expect(first.records + rest.records == full.records)
        return (first, rest)
    }

    @Test func jsonLinesResumeJumpsToTheByteOffset() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", jsonl(1...5) + "not json\n" + jsonl(7...9))
        try f.write("b.jsonl", jsonl(1...3))
        let (first, rest) = try await resumeMatchesAFullRun(f, ["paths": .s("*.jsonl")], take: 4)
        let entry = first.checkpoint["files"]?["a.jsonl"]
        #expect(entry?["done"] == false)
        #expect(entry?["records"] == 4)
        #expect(entry?["offset"] == 32)
        #expect(entry?["line"] == 5)
        #expect(rest.ids.first == "a.jsonl#L5")
        #expect(rest.checkpoint["files"]?["a.jsonl"]?["done"] == true)
        #expect(rest.checkpoint["files"]?["b.jsonl"]?["sha256"] == .string(ContentHash.sha256Hex(Array(jsonl(1...3).utf8))))
    }

    @Test func otherFormatsResumeByCount() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.csv", "n,m\n1,a\n2,b\n3,\"c\nd\"\n4,e\n")
        try f.write("b.json", "[{\"n\":1},{\"n\":2},{\"n\":3}]")
        try f.write("c.xml", "<r><i>1</i><i>2</i><i>3</i></r>")
        try f.write("d.md", "# One\n")
        try f.write("e.jsonl.gz", bytes: try Gzip.compress(Array(jsonl(1...4).utf8)))
        let options: [String: Opt] = ["paths": .list(["*.csv", "*.json", "*.xml", "*.md", "*.gz"]), "xml": .map(["record_element": .s("i")])]
        for take in [1, 3, 4, 6, 9, 11, 12] {
            _ = try await resumeMatchesAFullRun(f, options, take: take)
        }
    }

    @Test func unchangedFilesAreSkippedAndChangedOnesReadAgain() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", jsonl(1...2))
        try f.write("b.jsonl", jsonl(1...2))
        try f.write("c.md", "# C\n")
        let options: [String: Opt] = ["paths": .s("*")]
        let first = try await f.read(options)
        #expect(first.records.count == 5)

        let second = try await f.read(options, checkpoint: first.checkpoint)
        #expect(second.records.isEmpty)
        #expect(second.notices.map(\.code) == ["skipped_unchanged"])
        #expect(second.notices.map(\.count) == [3])
        #expect(second.notices.map(\.message) == ["input 'docs': skipped 3 unchanged files read in an earlier run"])
        #expect(second.checkpoint == first.checkpoint)

        try f.write("b.jsonl", jsonl(1...3))
        try FileManager.default.removeItem(at: f.dir.path("c.md"))
        let third = try await f.read(options, checkpoint: second.checkpoint)
        #expect(third.ids == ["b.jsonl#L1", "b.jsonl#L2", "b.jsonl#L3"])
        #expect(third.notices.first?.message.contains("skipped 1 unchanged file ") == true)
        #expect(third.checkpoint["files"]?["c.md"] == nil)
        #expect(third.checkpoint["files"]?.objectValue?.keys == ["a.jsonl", "b.jsonl"])
    }

    @Test func changedReadingOptionsReadEverythingAgain() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.csv", "id,name\n1,a\n")
        let first = try await f.read(["paths": .s("a.csv")])
        let samePaths = try await f.read(["paths": .list(["a.csv", "*.csv"])], checkpoint: first.checkpoint)
        #expect(samePaths.records.isEmpty)
        let otherID = try await f.read(["paths": .s("a.csv"), "id": .s("/id")], checkpoint: first.checkpoint)
        #expect(otherID.records.map(\.id) == ["1"])
        #expect(otherID.checkpoint["options"] != first.checkpoint["options"])
    }

    @Test func filesThatFailAtOnceAreNotQuarantinedAgainWhileUnchanged() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.pdf", "%PDF-1.7")
        try f.write("b.jsonl.gz", bytes: [0x1F, 0x8B])
        let first = try await f.read(["paths": .s("*")])
        #expect(first.failures.map(\.code) == [.unsupportedFormat, .corruptCompression])
        let second = try await f.read(["paths": .s("*")], checkpoint: first.checkpoint)
        #expect(second.failures.isEmpty)
        #expect(second.notices.map(\.count) == [2])
    }

    /// A file rewritten in place with its size and modification time put back: skipped by
    /// default (one `stat`, no read), read again with `unchanged: sha256`.
    @Test func unchangedIsSizeAndMtimeUnlessAskedToHash() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let url = try f.write("a.jsonl", jsonl(1...3))
        var before = stat()
        try #require(stat(url.path, &before) == 0)
        var byDefault: [String: Opt] = ["paths": .s("a.jsonl")]
        let first = try await f.read(byDefault)
        try f.write("a.jsonl", jsonl(4...6))   // same length, other content
        var times = [before.st_atim, before.st_mtim]
        try #require(utimensat(AT_FDCWD, url.path, &times, 0) == 0)

        let skipped = try await f.read(byDefault, checkpoint: first.checkpoint)
        #expect(skipped.records.isEmpty)
        #expect(skipped.notices.map(\.code) == ["skipped_unchanged"])

        byDefault["unchanged"] = .s("sha256")
        let hashed = try await f.read(byDefault, checkpoint: first.checkpoint)
        #expect(hashed.records.map { $0.value["n"] } == [4, 5, 6])
        #expect(hashed.notices.isEmpty)
        // The check is not a reading option: switching it does not read unchanged files again.
        let again = try await f.read(byDefault, checkpoint: hashed.checkpoint)
        #expect(again.records.isEmpty)
    }

    @Test func aFileChangedMidReadStartsOver() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", jsonl(1...5))
        let first = try await f.read(["paths": .s("a.jsonl")], max: 2)
        try f.write("a.jsonl", jsonl(10...12) + jsonl(1...5))
        let rest = try await f.read(["paths": .s("a.jsonl")], checkpoint: first.checkpoint)
        #expect(rest.records.map { $0.value["n"] } == [10, 11, 12, 1, 2, 3, 4, 5])
    }

    @Test func aForeignCheckpointIsIgnored() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", jsonl(1...2))
        let run = try await f.read(["paths": .s("a.jsonl")], checkpoint: ["cursor": "abc"])
        #expect(run.records.count == 2)
    }
}
