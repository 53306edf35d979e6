import Foundation
import SluiceCore
import GRDB
import SluiceJSON
import SluiceTesting
import Testing

/// The versions contract end to end, through `sluice run`: after runs that bring versions in any
/// order (older after newer, within a run and across runs), the sqlite output holds exactly the
/// newest version of each document (and only its chunks), and the jsonl output does once its
/// tombstones are applied.
@Suite(.serialized) struct DedupeOutputsTests {
    static var canRun: Bool { SluiceProcess.executable != nil }

    static func pipeline(chunked: Bool) -> String {
        """
        name: versions
        base_dir: .
        inputs:
          - name: docs
            type: file
            paths: ["data/*.jsonl"]
            id: /id
        stages:
          - type: dedupe
            key: [/body]
            versions:
              id: /doc
              order_by: /rev
        \(chunked ? "  - type: chunk\n    field: /body\n    max_size: 40\n" : "")outputs:
          - name: records
            type: jsonl
            path: out/records.jsonl
          - name: db
            type: sqlite
            path: out/records.db
        quarantine:
          path: out/quarantine.jsonl
        limits:
          batch_size: 5
        """
    }

    /// (id, parent) of every row of the sqlite output, read with SQLite itself (read-only).
    static func rows(_ dir: URL) throws -> [(id: String, parent: String?)] {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: dir.appendingPathComponent("out/records.db").path, configuration: config)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, parent FROM records ORDER BY id").map { ($0["id"], $0["parent"]) }
        }
    }

    func check(chunked: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(at: dir.path("data"), withIntermediateDirectories: true)
        try Self.pipeline(chunked: chunked).write(to: dir.path("versions.yaml"), atomically: true, encoding: .utf8)

        // 14 documents with 1 to 4 versions each, shuffled, arriving over three runs.
        var rng = SplitMix64(seed: chunked ? 31 : 17)
        var all: [JSONValue] = []
        for d in 0..<14 {
            for v in 0...Int(rng.next() % 4) {
                let words = (0..<(8 + v * 3)).map { "w\(d)x\(v)y\($0)" }.joined(separator: " ")
                all.append(["id": .string("d\(d)v\(v)"), "doc": .string("d\(d)"), "rev": .number(JSONNumber(v)), "body": .string(words)])
            }
        }
        for i in stride(from: all.count - 1, to: 0, by: -1) { all.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let parts = [Array(all[..<(all.count / 3)]), Array(all[(all.count / 3)..<(2 * all.count / 3)]), Array(all[(2 * all.count / 3)...])]
        #expect(parts.allSatisfy { !$0.isEmpty })
        // The order is mixed: some older version arrives after a newer one of its document.
        let arrivals = all.map { ($0["doc"]?.stringValue ?? "", $0["rev"]?.numberValue?.intValue ?? 0) }
        #expect(arrivals.indices.contains { i in arrivals[..<i].contains { $0.0 == arrivals[i].0 && $0.1 > arrivals[i].1 } })

        var seen: [JSONValue] = []
        for (n, part) in parts.enumerated() {
            let text = part.map { JSONWriter.string($0) }.joined(separator: "\n") + "\n"
            try text.write(to: dir.path("data/part-\(n).jsonl"), atomically: true, encoding: .utf8)
            let r = try SluiceProcess.run(["run", "versions.yaml"], in: dir.url)
            #expect(r.status == 0, "run \(n): \(r.stderr)")
            seen += part

            var newest: [String: (rev: Int, id: String)] = [:]
            for v in seen {
                let doc = v["doc"]?.stringValue ?? "", rev = v["rev"]?.numberValue?.intValue ?? 0
                if (newest[doc]?.rev ?? -1) < rev { newest[doc] = (rev, v["id"]?.stringValue ?? "") }
            }
            let expected = Set(newest.values.map(\.id))

            let rows = try Self.rows(dir.url)
            let live = try applyTombstones(try String(contentsOf: dir.path("out/records.jsonl"), encoding: .utf8))
            if chunked {
                // Every row is a chunk of a newest version, and every newest version has its chunks.
                #expect(Set(rows.compactMap(\.parent)) == expected, "sqlite after run \(n)")
                #expect(rows.allSatisfy { $0.parent != nil })
                #expect(Set(live.values.compactMap { $0["_sluice"]?["parent"]?.stringValue }) == expected, "jsonl after run \(n)")
                #expect(live.count == rows.count)
            } else {
                #expect(Set(rows.map(\.id)) == expected, "sqlite after run \(n)")
                #expect(rows.count == expected.count)
                #expect(Set(live.keys) == expected, "jsonl after run \(n)")
            }
        }
        // Older versions were both replaced in the outputs and dropped on arrival.
        let jsonl = try String(contentsOf: dir.path("out/records.jsonl"), encoding: .utf8)
        #expect(jsonl.contains("\"superseded\""))
        let stats = try SluiceProcess.run(["state", "stats", "versions.yaml", "--format", "json", "--runs", "10"], in: dir.url)
        #expect(stats.stdout.contains("superseded_by"), "\(stats.stdout)")
    }

    @Test(.enabled(if: canRun)) func newestVersionsOnlyAfterMixedOrderRuns() throws {
        try check(chunked: false)
    }

    @Test(.enabled(if: canRun)) func newestVersionsChunksOnlyAfterMixedOrderRuns() throws {
        try check(chunked: true)
    }

    @Test func theToolsAreThereInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(Self.canRun, "CI needs the sluice executable for the output tests")
        }
    }
}
