import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct GlobTests {
    @Test func doubleStarMatchesAnyDepthSortedAndHiddenSkipped() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        for p in ["s/a.jsonl", "s/x/b.jsonl", "s/x/y/z/c.jsonl", "s/x/.hidden.jsonl", "s/.git/d.jsonl", "s/x/e.json", "s/B.jsonl"] {
            try f.write(p, "{\"p\":\"\(p)\"}\n")
        }
        let run = try await f.read(["paths": .s("s/**/*.jsonl")])
        #expect(run.records.map(\.provenance.uri) == ["s/B.jsonl", "s/a.jsonl", "s/x/b.jsonl", "s/x/y/z/c.jsonl"])
    }

    @Test func classesQuestionMarksSeveralPatternsAndFolders() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        for p in ["d/a1.jsonl", "d/a2.jsonl", "d/b1.jsonl", "d/ab.jsonl", "e/n.jsonl", "e/sub/m.jsonl"] { try f.write(p, "{}\n") }
        let run = try await f.read(["paths": .list(["d/a[0-9].jsonl", "d/?1.jsonl", "d/a1.jsonl", "e"])])
        #expect(run.ids == ["d/a1.jsonl#L1", "d/a2.jsonl#L1", "d/b1.jsonl#L1", "e/n.jsonl#L1", "e/sub/m.jsonl#L1"])
        let negated = try await f.read(["paths": .s("d/[!a]*.jsonl")])
        #expect(negated.records.map(\.provenance.uri) == ["d/b1.jsonl"])
        let everything = try await f.read(["paths": .s("e/**")])
        #expect(everything.ids == ["e/n.jsonl#L1", "e/sub/m.jsonl#L1"])
        let star = try await f.read(["paths": .s("e/*")])
        #expect(star.ids == ["e/n.jsonl#L1"])
    }

    @Test func aPatternThatMatchesNothingStopsTheRunWithInputMissing() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{}\n")
        let glob = try f.input(["paths": .list(["a.jsonl", "samples/**/*.jsonl"])])
        let error = try #require(throws: SluiceError.self) { _ = try glob.open(checkpoint: nil, context: f.context()) }
        #expect(error.status == .inputMissing)
        let base = f.dir.url.standardizedFileURL.path
        #expect(error.message == "input 'docs': no file matches 'samples/**/*.jsonl' (looked in \(base))")
        let literal = try f.input(["paths": .s("missing.jsonl")])
        let error2 = try #require(throws: SluiceError.self) { _ = try literal.open(checkpoint: nil, context: f.context()) }
        #expect(error2.message == "input 'docs': 'missing.jsonl' does not exist (looked in \(base))")
    }

    @Test func preflightWarnsForEmptyGlobsAndErrsForMissingPaths() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{}\n")
        let input = try f.input(["paths": .list(["a.jsonl", "none/*.jsonl", "gone.csv"])])
        let diagnostics = input.preflight()
        #expect(diagnostics.map(\.severity) == [.warning, .error])
        #expect(diagnostics.map(\.code) == ["no_match", "input_missing"])
        #expect(try f.input(["paths": .s("a.jsonl")]).preflight().isEmpty)
    }

    @Test func unreadableEntriesAreQuarantinedAndTheRunGoesOn() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{\"ok\":true}\n")
        try FileManager.default.createDirectory(at: f.dir.path("b.jsonl"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.dir.path("c.jsonl").path, withDestinationPath: f.dir.path("vanished.jsonl").path)
        try f.write("d.pdf", "%PDF")
        let run = try await f.read(["paths": .s("*")])
        #expect(run.records.count == 1)
        #expect(run.failures.map(\.code) == [.unreadable, .unreadable, .unsupportedFormat])
        #expect(run.failures.map(\.recordID) == ["b.jsonl", "c.jsonl", "d.pdf"])
        #expect(run.failures[0].message.contains("Is a directory"))
        #expect(run.failures[1].message.contains("No such file or directory"))
    }

    @Test func pipesAndDevicesAreNotRead() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        #expect(mkfifo(f.dir.path("pipe.jsonl").path, 0o644) == 0)
        let run = try await f.read(["paths": .list(["pipe.jsonl", "/dev/zero"]), "format": .s("jsonl")])
        #expect(run.failures.map(\.code) == [.unreadable, .unreadable])
        #expect(run.failures.first?.message.contains("not a regular file") == true)
    }

    @Test func aFileThatVanishesAfterMatchingIsUnreadable() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.jsonl", "{\"n\":1}\n{\"n\":2}\n")
        try f.write("b.jsonl", "{\"n\":3}\n")
        let source = try f.input(["paths": .s("*.jsonl")]).open(checkpoint: nil, context: f.context())
        guard case .record? = try await source.next() else { Issue.record("expected a record first"); return }
        try FileManager.default.removeItem(at: f.dir.path("b.jsonl"))
        var items: [SourceItem] = []
        while let item = try await source.next() { items.append(item) }
        let run = Run(items: items, checkpoint: source.checkpoint)
        #expect(run.records.count == 1)
        #expect(run.failures.map(\.code) == [.unreadable])
        #expect(run.failures.first?.recordID == "b.jsonl")
        #expect(run.checkpoint["files"]?["b.jsonl"] == nil)
        #expect(run.checkpoint["files"]?["a.jsonl"]?["done"] == true)
    }

    @Test(.enabled(if: getuid() != 0, "root reads any file whatever its mode; the folder and dangling-link cases above cover unreadability as root"))
    func aFileWithoutReadPermissionIsUnreadable() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let url = try f.write("locked.jsonl", "{}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        let run = try await f.read(["paths": .s("locked.jsonl")])
        #expect(run.failures.map(\.code) == [.unreadable])
        #expect(run.failures.first?.message.contains("Permission denied") == true)
    }

    @Test func badOptionsAreDiagnostics() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("a"), "csv": .map(["delimiter": .s(";;")])]) }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["paths": .s("a"), "format": .s("pdf")]) }
        #expect(throws: ConfigDiagnostic.self) { try f.input(["format": .s("json")]) }
    }
}
