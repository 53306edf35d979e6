import Foundation
import SluiceJSON
import SluiceMap
import SluiceTesting
import Testing

/// docs/mapping.md stays true: its function table is the generated one and every example in it
/// gives the result it shows.
@Suite struct MapDocumentationTests {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/mapping.md")

    static func document() throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func theFunctionTableIsCurrent() throws {
        let doc = try Self.document()
        let begin = try #require(doc.range(of: "<!-- functions:begin"))
        let end = try #require(doc.range(of: "<!-- functions:end -->"))
        let afterMarker = try #require(doc[begin.upperBound...].firstIndex(of: "\n"))
        let table = String(doc[doc.index(after: afterMarker)..<end.lowerBound])
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_DOCS"] == "1" {
            // Regenerates the table in place: SLUICE_UPDATE_DOCS=1 swift test --filter MapDocumentationTests
            let updated = String(doc[..<doc.index(after: afterMarker)]) + MapReference.functionsMarkdown() + String(doc[end.lowerBound...])
            try updated.write(to: Self.url, atomically: true, encoding: .utf8)
            return
        }
        #expect(table == MapReference.functionsMarkdown(), "regenerate the table between the markers from MapReference.functionsMarkdown()")
    }

    @Test func everyExampleGivesItsResult() throws {
        let doc = try Self.document()
        let blocks = doc.components(separatedBy: "```mapping-example\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        #expect(blocks.count >= 5)
        let metadata = MapMetadata(input: "notes", uri: "notes/art-x81k.txt", line: 3, index: 2, id: "notes:3")
        for block in blocks {
            var sections: [String: String] = [:]
            var current = ""
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("# ") { current = String(line.dropFirst(2)); continue }
                sections[current, default: ""] += line + "\n"
            }
            let record = try JSONParser.parse(try #require(sections["record"]))
            let expected = try JSONParser.parse(try #require(sections["result"]))
            let program = try MapProgram(source: try #require(sections["mapping"]))
            let result = try program.run(record, metadata: metadata, now: Date(timeIntervalSince1970: 0))
            #expect(result.value == expected, "\(sections["mapping"] ?? "")")
        }
    }
}
