import Foundation
import Sluice
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// `QuarantineLog` and `QuarantineEntry`: the library under `sluice quarantine list|show|replay`.
@Suite struct QuarantineLogTests {
    static let lines = [
        #"{"run":"r1","time":"2026-12-08T01:00:00.000Z","code":"missing_field","message":"no title","stage":"require_fields","record_id":"a2","input":"docs","uri":"data/a.jsonl","locator":{"line":2,"byte":40},"sha256":"ab","original":"{\"id\":\"a2\",\"body\":\"x\"}"}"#,
        "not json: edited by hand",
        #"{"run":"r1","time":"2026-12-08T01:00:00.000Z","code":"malformed","message":"bad JSON","input":"docs","uri":"data/a.jsonl","locator":{"line":3}}"#,
        "",
        #"{"run":"r2","time":"2026-12-08T02:00:00.000Z","code":"wrong_type","message":"m","stage":"s","record_id":"b1","original":"eyJpZCI6ImIxIn0=","original_encoding":"base64"}"#,
        #"{"run":"r2","time":"2026-12-08T02:00:00.000Z","code":"too_large","message":"m","stage":"s","original":"{\"id\":","original_truncated":true}"#,
    ]

    func write(_ dir: TemporaryDirectory) throws -> URL {
        try dir.write("out/quarantine.jsonl", Self.lines.joined(separator: "\n") + "\n")
    }

    @Test func entriesWithStableIdsAndTheLinesThatAreNot() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = try QuarantineLog.read(try write(dir))
        #expect(log.entries.map(\.line) == [1, 3, 5, 6])
        #expect(log.unreadableLines == [2])
        let first = try #require(log.entries.first)
        #expect(first.id == String(ContentHash.sha256Hex(Array(Self.lines[0].utf8)).prefix(12)))
        #expect(first.code == "missing_field" && first.stage == "require_fields" && first.recordID == "a2")
        #expect(first.locator == Locator(line: 2, byteOffset: 40))
        // The filter sees every entry; a missing file has none.
        #expect(try QuarantineLog.read(try write(dir)) { $0.run == "r2" }.entries.map(\.line) == [5, 6])
        #expect(try QuarantineLog.read(dir.path("nowhere.jsonl")).entries.isEmpty)
    }

    @Test func replayableEntriesGiveBackTheirRecord() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let e = try QuarantineLog.read(try write(dir)).entries
        #expect(e[0].unreplayableReason == nil)
        let record = try e[0].record()
        #expect(record.id == "a2")
        #expect(record.value["body"] == "x")
        #expect(record.provenance.input == "docs" && record.provenance.uri == "data/a.jsonl" && record.provenance.sha256 == "ab")
        // An original kept as base64 (bytes that were not UTF-8) decodes too.
        #expect(try e[2].record().value["id"] == "b1")
        // A reader's quarantine keeps no object to replay, and a truncated original is refused.
        #expect(e[1].unreplayableReason?.hasPrefix("no original kept") == true)
        #expect(e[3].unreplayableReason == "the original was truncated to 64 KiB")
        let refused = try #require(throws: SluiceError.self) { try e[3].record() }
        #expect(refused.status == .dataError)
    }
}
