import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing
@testable import SluiceText

@Suite struct ChunkStageTests {
    static func scalar(_ s: String) -> ConfigNode { ConfigNode(.scalar(s, quoted: false)) }

    static func stage(_ options: [String: ConfigNode]) throws -> ChunkStage {
        try ChunkStage(options: ComponentOptions(options, fields: ChunkStage.descriptor.fields),
                       context: BuildContext(pipeline: "test", instanceName: "chunk", baseDirectory: URL(fileURLWithPath: "/")))
    }

    static func document(_ id: String, _ body: JSONValue, extra: [(String, JSONValue)] = []) -> Record {
        var o = JSONObject()
        o["body"] = body
        for (k, v) in extra { o[k] = v }
        return Record(id: id, value: .object(o),
                      provenance: Provenance(input: "docs", uri: "docs.jsonl", locator: Locator(line: 3), sha256: String(repeating: "a", count: 64)))
    }

    static func children(_ outcome: StageOutcome) -> [Record] {
        if case .emit(_, let children, _) = outcome { return children }
        return []
    }

    @Test func documentForksIntoChunkRecords() throws {
        let stage = try Self.stage(["max_size": Self.scalar("35"), "strategy": Self.scalar("markdown")])
        let body = "# Intro\n\nFirst part of the text.\n\n## More\n\nSecond part, which is longer."
        let doc = Self.document("doc-1", .string(body), extra: [("title", "T"), ("url", "http://x"), ("author", "A")])
        let outcome = try stage.process(doc)
        guard case .emit(let parent, let children, let notes) = outcome else { Issue.record("expected emit"); return }
        #expect(parent.id == "doc-1")
        #expect(notes.first?.event == "chunked")
        #expect(children.count == 3)
        let scalars = Array(body.unicodeScalars)
        for (k, child) in children.enumerated() {
            #expect(child.parent == "doc-1")
            #expect(child.provenance == doc.provenance)
            #expect(child.value["doc_id"] == "doc-1")
            #expect(child.value["index"] == .number(JSONNumber(k)))
            #expect(child.value["unit"] == "chars")
            #expect(child.value["title"] == "T")
            #expect(child.value["url"] == "http://x")
            #expect(child.value["author"] == nil)
            let text = try #require(child.value["text"]?.stringValue)
            let start = try #require(child.value["start"]?.numberValue?.intValue)
            let end = try #require(child.value["end"]?.numberValue?.intValue)
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == text)
            #expect(child.value["size"] == .number(JSONNumber(text.count)))
            #expect(child.id == "doc-1#" + ContentHash.sha256Hex(text).prefix(16))
        }
        #expect(children.map { $0.value["heading_path"] } == [["Intro"], ["Intro", "More"], ["Intro", "More"]])
    }

    @Test func idsAreStableAndOnlyChangedChunksChangeIds() throws {
        let stage = try Self.stage(["max_size": Self.scalar("40")])
        let v1 = "Alpha paragraph stays.\n\nBeta paragraph changes.\n\nGamma paragraph stays."
        let v2 = "Alpha paragraph stays.\n\nBeta paragraph was edited.\n\nGamma paragraph stays."
        let a = Self.children(try stage.process(Self.document("d", .string(v1)))).map(\.id)
        let again = Self.children(try Self.stage(["max_size": Self.scalar("40")]).process(Self.document("d", .string(v1)))).map(\.id)
        let b = Self.children(try stage.process(Self.document("d", .string(v2)))).map(\.id)
        #expect(a == again)
        #expect(a.count == 3 && b.count == 3)
        #expect(a[0] == b[0] && a[2] == b[2] && a[1] != b[1])
    }

    @Test func repeatedChunksGetDistinctIds() throws {
        let stage = try Self.stage(["max_size": Self.scalar("10")])
        let ids = Self.children(try stage.process(Self.document("d", "same text\n\nsame text\n\nsame text"))).map(\.id)
        #expect(ids.count == 3)
        #expect(Set(ids).count == 3)
        #expect(ids[1] == ids[0] + ".2" && ids[2] == ids[0] + ".3")
    }

    @Test func badDocumentsAreQuarantinedOrDropped() throws {
        let stage = try Self.stage(["max_size": Self.scalar("10")])
        guard case .quarantine(let missing) = try stage.process(Record(id: "m", value: ["title": "x"], provenance: Self.document("m", nil).provenance)) else {
            Issue.record("missing field not quarantined"); return
        }
        #expect(missing.code == .missingField && missing.pointer == "/body" && missing.stage == "chunk")
        guard case .quarantine(let wrong) = try stage.process(Self.document("w", 42)) else { Issue.record("number not quarantined"); return }
        #expect(wrong.code == .wrongType)
        guard case .drop(_, let reason) = try stage.process(Self.document("e", " \n ")) else { Issue.record("blank not dropped"); return }
        #expect(reason.code == "empty_text")
    }

    @Test func optionsAreCheckedTogether() throws {
        #expect(throws: ConfigDiagnostic.self) { try Self.stage([:]) }
        #expect(throws: ConfigDiagnostic.self) { try Self.stage(["max_size": Self.scalar("10"), "unit": Self.scalar("tokens")]) }
        #expect(throws: ConfigDiagnostic.self) { try Self.stage(["max_size": Self.scalar("10"), "copy_fields": Self.scalar("/text")]) }
        do {
            _ = try Self.stage(["max_size": Self.scalar("10"), "overlap": Self.scalar("10"), "strategy": Self.scalar("semantic")])
            Issue.record("accepted bad options")
        } catch let all as ConfigDiagnostics {
            #expect(all.diagnostics.map(\.code) == ["invalid_value", "invalid_value"])
        }
        #expect(throws: ConfigDiagnostic.self) {
            try Self.stage(["max_size": Self.scalar("10"), "unit": Self.scalar("tokens"), "tokenizer": Self.scalar("/nonexistent/tokenizer.json")])
        }
    }

    @Test(.enabled(if: SharedFixtures.shouldRun))
    func tokenUnitLoadsTheTokenizerOnce() throws {
        let path = try SharedFixtures.directory("corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json").path
        let stage = try Self.stage(["max_size": Self.scalar("64"), "unit": Self.scalar("tokens"), "tokenizer": Self.scalar(path),
                                    "overlap": Self.scalar("8")])
        let text = try ChunkTestData.corpus("github_flavored.md")
        let children = Self.children(try stage.process(Self.document("gfm", .string(text))))
        #expect(children.count > 10)
        let tokenizer = try #require(stage.chunker.tokenizer)
        for child in children {
            let chunkText = try #require(child.value["text"]?.stringValue)
            #expect(tokenizer.count(chunkText) <= 64)
            #expect(child.value["size"] == .number(JSONNumber(tokenizer.count(chunkText))))
        }
    }
}
