import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

/// CRLF and lone CR wherever a reader looks for lines, and the final line break of a document.
@Suite struct LineEndingTests {
    @Test func textHeaderBlockWithCRLF() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("m.txt", "Title: Budget\r\nAuthor: Ana\r\n  Lopez\r\n\r\nHello team.\r\nSee you.\r\n")
        let run = try await f.read(["paths": .s("m.txt"), "text": .map(["header_fields": .s("true")])])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Budget")
        #expect(r.string("author") == "Ana Lopez")
        #expect(r.string("body") == "Hello team.\r\nSee you.")
    }

    @Test func textHeaderBlockWithLoneCR() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("m.txt", "Title: Budget\rAuthor: Ana\r\rHello team.\r")
        let run = try await f.read(["paths": .s("m.txt"), "text": .map(["header_fields": .s("true")])])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Budget")
        #expect(r.string("author") == "Ana")
        #expect(r.string("body") == "Hello team.")
    }

    @Test func textTitleFromFirstLineWithLoneCR() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.txt", "\rFirst line\rSecond line\r")
        let run = try await f.read(["paths": .s("a.txt")])
        #expect(run.records.first?.string("title") == "First line")
    }

    @Test(arguments: [("a\nb\n", "a\nb"), ("a\r\nb\r\n", "a\r\nb"), ("a\rb\r", "a\rb"), ("a\n\n", "a\n"), ("a", "a")])
    func onlyTheFinalLineBreakLeavesTheBody(text: String, body: String) async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.txt", text)
        try f.write("a.md", text)
        let run = try await f.read(["paths": .list(["a.txt", "a.md"])])
        #expect(run.records.map { $0.string("body") } == [body, body])
    }

    /// 200,000 distinct header lines parse in one pass (the quadratic parser took minutes).
    @Test(.timeLimit(.minutes(1))) func manyHeaderLinesParseLinearly() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        var text = ""
        for i in 0..<200_000 { text += "X-Field-\(i): value \(i)\r\n" }
        text += "\r\nbody\r\n"
        var limits = Limits()
        limits.maxRecordBytes = 16 << 20
        var g = f
        g.limits = limits
        try f.write("h.txt", text)
        let read = try await g.read(["paths": .s("h.txt"), "text": .map(["header_fields": .s("true")])])
        let r = try #require(read.records.first)
        #expect(r.string("x_field_0") == "value 0")
        #expect(r.string("x_field_199999") == "value 199999")
        #expect(r.string("body") == "body")
    }

    @Test func markdownFrontMatterWithCRLF() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("n.md", "---\r\ntitle: From front\r\ntags: [a, b]\r\n---\r\nIntro\r\n\r\nText.\r\n")
        let run = try await f.read(["paths": .s("n.md")])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "From front")
        #expect(r.value["tags"] == ["a", "b"])
        #expect(r.string("body") == "Intro\r\n\r\nText.")
    }

    @Test func markdownFrontMatterWithLoneCRAndDotsClosing() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("n.md", "---\rtitle: T\rdraft: true\r...\rBody\r")
        let run = try await f.read(["paths": .s("n.md")])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "T")
        #expect(r.value["draft"] == .bool(true))
        #expect(r.string("body") == "Body")
    }

    @Test func markdownFrontMatterAfterByteOrderMark() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("n.md", bytes: [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: T\r\n...\r\n# Heading\r\n".utf8))
        let run = try await f.read(["paths": .s("n.md")])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Heading")
        #expect(r.string("body") == "# Heading")
        #expect(r.value["draft"] == nil)
    }

    @Test func jsonLinesSplitOnLoneCR() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{\"a\":1}\r{\"a\":2}\r\n{\"a\":3}\r")
        let run = try await f.read(["paths": .s("a.jsonl")])
        #expect(run.failures.map(\.message) == [])
        #expect(run.records.map { $0.value["a"] } == [1, 2, 3])
        #expect(run.records.map(\.id) == ["a.jsonl#L1", "a.jsonl#L2", "a.jsonl#L3"])
        #expect(run.records.map(\.provenance.locator.byteOffset) == [0, 8, 17])
    }

    @Test func csvRowsEndAtLoneCR() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.csv", "name,n\r\"x\r\ny\",1\rb,2\r\"c\",3\r")
        let run = try await f.read(["paths": .s("a.csv")])
        #expect(run.failures.map(\.message) == [])
        #expect(run.records.map { $0.string("name") } == ["x\r\ny", "b", "c"])
        #expect(run.records.map { $0.string("n") } == ["1", "2", "3"])
    }

    @Test func csvRowsEndAtCRLFAfterQuotedField() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.csv", "name,n\r\n\"a\",\"1\"\r\n\r\nb,2\r\n")
        let run = try await f.read(["paths": .s("a.csv")])
        #expect(run.failures.map(\.message) == [])
        #expect(run.records.map { $0.string("n") } == ["1", "2"])
        #expect(run.records.map(\.provenance.locator.line) == [2, 4])
    }
}

/// NUL bytes in text formats: quarantined by default, removed with `nul: strip`.
@Suite struct NULOptionTests {
    @Test func nulIsQuarantinedByDefault() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.txt", bytes: Array("Hello".utf8) + [0] + Array(" world\n".utf8))
        let run = try await f.read(["paths": .s("a.txt")])
        #expect(run.records.isEmpty)
        #expect(run.failures.map(\.code) == [.nulByte])
    }

    @Test func nulStripRemovesThemInEveryTextFormat() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.txt", bytes: Array("Hel".utf8) + [0] + Array("lo\n".utf8))
        try f.write("b.md", bytes: Array("# T".utf8) + [0, 0] + Array("\nSome text.\n".utf8))
        try f.write("c.jsonl", bytes: Array("{\"a\":\"x\"}".utf8) + [0] + Array("\n{\"a\":\"y\"}\n".utf8))
        try f.write("d.csv", bytes: Array("a\nx".utf8) + [0] + Array("y\n".utf8))
        let run = try await f.read(["paths": .list(["a.txt", "b.md", "c.jsonl", "d.csv"]), "nul": .s("strip")])
        #expect(run.failures.map(\.message) == [])
        #expect(run.records.map(\.id) == ["a.txt", "b.md", "c.jsonl#L1", "c.jsonl#L2", "d.csv#0"])
        #expect(run.records.first?.string("body") == "Hello")
        #expect(run.records.dropFirst().first?.string("title") == "T")
        #expect(run.records.last?.string("a") == "xy")
        #expect(run.notices.filter { $0.code == "nul_stripped" }.map(\.count) == [1, 2, 1, 1])
    }

    @Test func nulOptionIsChecked() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("*.txt"), "nul": .s("keep")]) }
    }
}
