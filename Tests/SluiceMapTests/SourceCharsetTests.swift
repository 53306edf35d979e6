import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// `%source_charset`: every file reader hands the charset it decoded a record with to the
/// mapping, through the record's provenance — detected, declared, pinned or from a BOM.
@Suite struct SourceCharsetTests {
    /// Japanese text long enough for detection to be sure of Shift_JIS.
    static let japanese = "港の新しい潮位計は毎分データを公開します。漁師たちは一月の会合でこのデータを求めました。"
        + "明日の天気は雨で、フェリーは通常の時刻表で運航する予定です。"
    static let french = "Le café du quai a rouvert dimanche, six semaines après la tempête de février. "
        + "Les propriétaires remercient les bénévoles qui ont pompé la cave; déjà complet à midi, à côté du marché."

    static func shiftJIS(_ s: String) -> Data { s.data(using: .shiftJIS)! }
    static func cp1252(_ s: String) -> Data { s.data(using: .windowsCP1252)! }

    /// Reads every input of a pipeline over `files` and runs its one `map` stage on each record.
    func charsets(inputs: String, files: [String: Data]) async throws -> [String: JSONValue] {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (path, data) in files { try dir.write(path, data) }
        let yaml = "inputs:\n" + inputs + """

            stages:
              - type: map
                mapping: '.charset = %source_charset'
            outputs: [{type: jsonl, path: out.jsonl}]
            """
        try dir.write("pipeline.yaml", yaml)
        let loader = PipelineLoader(registry: try .withTestComponents(builtinComponents), environment: [:])
        let loaded = loader.load(file: dir.path("pipeline.yaml"))
        let plan = try #require(loaded.plan, "\(loaded.diagnostics)")
        let stage = try #require(plan.stages.first?.component)
        let context = RunContext(runID: "r", pipeline: "p", startedAt: Date(timeIntervalSince1970: 0), baseDirectory: dir.url,
                                 stateDirectory: dir.path(".sluice"))
        var out: [String: JSONValue] = [:]
        for input in plan.inputs {
            let source = try input.component.open(checkpoint: nil, context: context)
            while let item = try await source.next() {
                switch item {
                case .record(let record):
                    guard case .pass(let mapped, _) = try stage.process(record) else { Issue.record("map did not pass \(record.id)"); continue }
                    out[record.provenance.uri] = mapped.value["charset"]
                case .failure(let f): Issue.record("\(f.code): \(f.message)")
                default: break
                }
            }
        }
        return out
    }

    static func input(_ name: String, _ paths: String, _ extra: String = "") -> String {
        "  - {name: \(name), type: file, paths: \"\(paths)\"\(extra)}\n"
    }

    @Test func wholeFileFormatsReportTheCharsetTheyDetectedOrWereGiven() async throws {
        let found = try await charsets(
            inputs: Self.input("notes", "*.txt") + Self.input("posts", "*.md") + Self.input("pages", "*.html"),
            files: [
                "sjis.txt": Self.shiftJIS("潮位計\n\n" + Self.japanese),
                "plain.txt": Data("Tide gauge\n\nAll ASCII here.".utf8),
                "sjis.md": Self.shiftJIS("---\ntitle: 潮位計\n---\n# 潮位計\n\n" + Self.japanese),
                "bom.md": Data([0xFF, 0xFE]) + "# Tide\n\nUTF-16 with a byte order mark.".data(using: .utf16LittleEndian)!,
                "cp1252.html": Self.cp1252("<html><head><meta charset=\"windows-1252\"><title>Café</title></head><body><p>\(Self.french)</p></body></html>"),
            ])
        #expect(found["sjis.txt"] == "shift_jis")
        #expect(found["plain.txt"] == "utf-8")
        #expect(found["sjis.md"] == "shift_jis")
        #expect(found["bom.md"] == "utf-16le")
        #expect(found["cp1252.html"] == "windows-1252")
    }

    @Test func streamedFormatsReportTheCharsetChosenForTheFile() async throws {
        let found = try await charsets(
            inputs: Self.input("exports", "*.csv") + Self.input("pinned", "pinned/*.csv", ", encoding: windows-1252")
                + Self.input("feed", "*.xml", ", xml: {record_element: item}") + Self.input("lines", "*.jsonl"),
            files: [
                "sjis.csv": Self.shiftJIS("id,text\n1,\(Self.japanese)\n2,\(Self.japanese)\n"),
                "pinned/cafe.csv": Self.cp1252("id,text\n1,Café\n"),
                "declared.xml": Self.cp1252("<?xml version=\"1.0\" encoding=\"windows-1252\"?><feed><item><t>\(Self.french)</t></item></feed>"),
                "undeclared.xml": Self.shiftJIS("<feed><item><t>\(Self.japanese)</t></item><item><t>\(Self.japanese)</t></item></feed>"),
                "plain.xml": Data("<feed><item><t>plain</t></item></feed>".utf8),
                "wide.jsonl": Data([0xFF, 0xFE]) + "{\"t\": \"a\"}\n".data(using: .utf16LittleEndian)!,
                "plain.jsonl": Data("{\"t\": \"a\"}\n".utf8),
            ])
        #expect(found["sjis.csv"] == "shift_jis")
        #expect(found["pinned/cafe.csv"] == "windows-1252")
        #expect(found["declared.xml"] == "windows-1252")
        #expect(found["undeclared.xml"] == "shift_jis")
        #expect(found["plain.xml"] == "utf-8")
        #expect(found["wide.jsonl"] == "utf-16le")
        #expect(found["plain.jsonl"] == "utf-8")
    }

    @Test func recordsNotReadFromFilesHaveNone() throws {
        let record = Record(id: "r", value: [:], provenance: Provenance(input: "memory", uri: "memory:x", locator: Locator(), sha256: ""))
        let loader = PipelineLoader(registry: try .withTestComponents(builtinComponents), environment: [:])
        let plan = try #require(loader.load(text: """
            inputs: [{type: memory}]
            stages: [{type: map, mapping: '.charset = %source_charset'}]
            outputs: [{type: jsonl, path: x.jsonl}]
            """, displayPath: "x.yaml", file: nil).plan)
        guard case .pass(let mapped, _) = try plan.stages[0].component.process(record) else { Issue.record("pass"); return }
        #expect(mapped.value["charset"] == .null)
    }
}
