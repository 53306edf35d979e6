import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct CSVTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", "sku,name,notes\r\nA1,\"Desk, oak\",\"He said \"\"solid\"\"\"\r\nA2,Lamp,\"line one\nline two\"\r\n\r\nA3,,\n")
        let run = try await f.read(["paths": .s("p.csv")])
        #expect(run.failures.isEmpty)
        #expect(run.records.map { $0.string("name") } == ["Desk, oak", "Lamp", ""])
        #expect(run.records.map { $0.string("notes") } == ["He said \"solid\"", "line one\nline two", ""])
        #expect(run.ids == ["p.csv#0", "p.csv#1", "p.csv#2"])
        #expect(run.records.map(\.provenance.locator.line) == [2, 3, 6])
        #expect(run.records.first?.value.objectValue?.keys == ["sku", "name", "notes"])
        #expect(run.records.first?.provenance.sha256 == ContentHash.sha256Hex(Array("A1,\"Desk, oak\",\"He said \"\"solid\"\"\"".utf8)))
    }

    @Test func aRowWithTheWrongFieldCountIsMalformed() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
        let run = try await f.read(["paths": .s("p.csv")])
        #expect(run.records.count == 2)
        #expect(run.failures.map(\.code) == [.malformed, .malformed])
        #expect(run.failures.first?.message == "row 1 (line 3) has 2 fields but the header has 3")
        #expect(run.failures.first?.original?.bytes == Array("4,5".utf8))
    }

    @Test func anUnclosedQuoteAtTheEndIsMalformed() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let run = try await f.read(["paths": .s("p.csv")])
        #expect(run.records.count == 1)
        let failure = try #require(run.failures.first)
        #expect(failure.code == .malformed)
        #expect(failure.message.contains("unclosed quote"))
        #expect(failure.message.contains("line 3"))
    }

    @Test func aCharacterAfterAClosingQuoteIsMalformed() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", "a,b\n\"x\"y,2\n3,4\n")
        let run = try await f.read(["paths": .s("p.csv")])
        #expect(run.failures.map(\.code) == [.malformed])
        #expect(run.records.map { $0.string("a") } == ["3"])
    }

    @Test func optionsDelimiterQuoteAndNoHeader() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.txt", "1;'a;b'\n2;'c''d'\n")
        try f.write("q.tsv", "x\ty\n1\t2\n")
        let run = try await f.read(["paths": .s("p.txt"), "format": .s("csv"),
                                    "csv": .map(["delimiter": .s(";"), "quote": .s("'"), "header": .s("false")])])
        #expect(run.records.map { $0.string("column_2") } == ["a;b", "c'd"])
        let tsv = try await f.read(["paths": .s("q.tsv")])
        #expect(tsv.records.first?.string("y") == "2")
    }

    @Test func duplicateAndEmptyHeaderNames() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", "a,,a\n1,2,3\n")
        let run = try await f.read(["paths": .s("p.csv")])
        #expect(run.records.first?.value.objectValue?.keys == ["a", "column_2", "a_2"])
    }

    @Test func invalidUTF8InAFieldIsUndecodable() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("p.csv", bytes: Array("a,b\n1,caf".utf8) + [0xE9] + Array("\n2,ok\n".utf8))
        // Pinned to UTF-8 (with `auto` the file would be detected as windows-1252: LegacyEncodingTests).
        let run = try await f.read(["paths": .s("p.csv"), "encoding": .s("utf-8")])
        #expect(run.failures.map(\.code) == [.undecodableText])
        #expect(run.failures.first?.message.contains("field 2") == true)
        #expect(run.records.count == 1)
    }
}
