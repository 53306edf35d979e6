import Foundation
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing
@testable import SluiceText

/// `chunk` with `keep_document: true`: the document goes on (kind `document`), its chunks follow.
@Suite struct ChunkKeepDocumentTests {
    static func stage(keep: Bool) throws -> ChunkStage {
        try ChunkStageTests.stage(["max_size": ChunkStageTests.scalar("30"), "keep_document": ChunkStageTests.scalar(keep ? "true" : "false")])
    }

    @Test func theDocumentGoesOnBesideItsChunks() throws {
        let doc = ChunkStageTests.document("doc-1", "First part of the text.\n\nSecond part, a little longer.", extra: [("title", "T")])
        guard case .derive(let kept, let children, let notes) = try Self.stage(keep: true).process(doc) else {
            Issue.record("expected derive"); return
        }
        #expect(kept.id == "doc-1" && kept.value == doc.value && kept.provenance == doc.provenance)
        #expect(kept.kind == .document && kept.parent == nil)
        #expect(children.count == 2)
        #expect(children.allSatisfy { $0.kind == .chunk && $0.parent == "doc-1" })
        #expect(notes.map(\.event) == ["chunked"])

        // Without the option the document is replaced, as before.
        guard case .emit(let parent, let forked, _) = try Self.stage(keep: false).process(doc) else { Issue.record("expected emit"); return }
        #expect(parent.kind == .record)
        #expect(forked.map(\.id) == children.map(\.id))
    }

    @Test func aDocumentWithoutTextIsKeptWithoutChunks() throws {
        let doc = ChunkStageTests.document("doc-2", "  \n ")
        guard case .derive(let kept, let children, _) = try Self.stage(keep: true).process(doc) else { Issue.record("expected derive"); return }
        #expect(kept.kind == .document && children.isEmpty)
        guard case .drop(_, let reason) = try Self.stage(keep: false).process(doc) else { Issue.record("expected drop"); return }
        #expect(reason.code == "empty_text")
    }

    @Test func keepingIsDeterministicOnEveryThread() throws {
        let docs = (0..<40).map { ChunkStageTests.document("d\($0)", .string(String(repeating: "Word \($0) and more words. ", count: $0 % 7))) }
        #expect(StageVerifier.verify(try Self.stage(keep: true), records: docs).isEmpty)
    }
}
