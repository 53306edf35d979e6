import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceStore
import SluiceTesting
import Testing

/// The index layout (format 2, an append-only log read into memory when a run begins) and the
/// conversion of a format-1 index, on the SQLite state DB.
@Suite struct DedupeIndexFormatTests {
    static let options: JSONValue = ["key": ["/body"], "near_duplicates": [:], "versions": ["id": "/doc", "order_by": "/rev"]]

    /// A state DB in a new temporary folder.
    static func database() throws -> (StateDatabase, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dedupe-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try StateDatabase(path: dir.appendingPathComponent("state.db").path), dir)
    }

    /// One run of a new stage over `values` against `db`, in batches as the runner commits them.
    static func run(_ values: [JSONValue], db: StateDatabase, id: String, batchSize: Int = 2) throws -> StageDriver.Outcome {
        let stage = try makeDedupe(options)
        try db.beginRun(RunRecord(id: id, pipeline: "t", startedAt: Date(timeIntervalSince1970: 0), actor: "test"))
        try stage.begin(run: runContext(), state: db)
        var out = StageDriver.Outcome()
        let records = DedupeCorpus.makeRecords(values)
        for start in stride(from: 0, to: records.count, by: batchSize) {
            var accepted = Set<String>()
            for r in records[start..<min(records.count, start + batchSize)] {
                switch try stage.process(r) {
                case .pass(let rec, let notes):
                    out.passed.append(rec.id)
                    accepted.insert(rec.id)
                    for n in notes where n.kind == Supersession.kind { out.superseded[rec.id, default: []] += Supersession.ids(in: n.details) }
                case .drop(let rec, let reason): out.dropped[rec.id] = reason
                case .quarantine(let f): out.quarantined.append(f.recordID ?? "")
                default: break
                }
            }
            try db.commit(BatchCommit(runID: id, checkpoints: [:], ledger: RunLedger(), events: [], stateWrites: stage.stateWrites(accepted: accepted)))
        }
        return out
    }

    static func keys(_ db: StateDatabase, _ prefix: String) throws -> [String] {
        try db.values(namespace: "dedupe:dedupe", prefix: prefix).map(\.key)
    }

    @Test func aFormatOneIndexIsConvertedWithTheNextBatchAndKeepsItsDecisions() throws {
        let (db, dir) = try Self.database()
        defer { try? FileManager.default.removeItem(at: dir) }
        try db.commit(BatchCommit(runID: "old", checkpoints: [:], ledger: RunLedger(), events: [], stateWrites: FormatOneIndex.rows.map {
            StateWrite(namespace: "dedupe:dedupe", key: $0.0, value: hexBytes($0.1))
        }))
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).contains { $0.contains("older format") })
        var near = FormatOneIndex.t3.split(separator: " ").map(String.init)
        near[3] = "other"
        let out = try Self.run([
            ["id": "s1", "body": .string(FormatOneIndex.nearT2 + " ")],                 // exact copy of r4's text: r4 was dropped, so near r3
            ["id": "s2", "body": .string(near.joined(separator: " "))],                  // near r6
            ["id": "s3", "doc": "A", "rev": 1, "body": "an old version of A"],          // older than r2
            ["id": "s4", "body": .string(FormatOneIndex.t2)],                            // exact copy of r3
            ["id": "s5", "doc": "A", "rev": 3, "body": "the newest version of A"],      // replaces r2
            ["id": "s6", "body": "a text of its own"],
        ], db: db, id: "new")
        #expect(out.dropped["s1"]?.code == "near_duplicate_of" && out.dropped["s1"]?.relatedID == "r3")
        #expect(out.dropped["s2"]?.code == "near_duplicate_of" && out.dropped["s2"]?.relatedID == "r6")
        #expect(out.dropped["s3"] == DropReason(code: "superseded_by", relatedID: "r2"))
        #expect(out.dropped["s4"] == DropReason(code: "duplicate_of", relatedID: "r3"))
        #expect(out.passed == ["s5", "s6"])
        #expect(out.superseded["s5"] == ["r2"])
        // Converted: no format-1 row left, one log row per document, and the index is consistent.
        for prefix in ["b:", "d:", "x:", "v:"] { #expect(try Self.keys(db, prefix).isEmpty, "\(prefix) rows left") }
        let counts = try DedupeIndexCheck.counts(namespace: "dedupe:dedupe", reader: db)
        #expect(counts.documents == 4)   // r3, r6, s5, s6 (r2 replaced)
        #expect(counts.versions == 2)
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).isEmpty)
        // A later run reads the converted log back.
        let again = try Self.run([
            ["id": "t1", "body": .string(FormatOneIndex.t3)],
            ["id": "t2", "doc": "A", "rev": 2, "body": "older than s5"],
            ["id": "t3", "body": "a text of its own"],
            ["id": "r2", "doc": "A", "rev": 4, "body": .string(FormatOneIndex.t1 + " revised")],
        ], db: db, id: "later")
        #expect(again.dropped["t1"] == DropReason(code: "duplicate_of", relatedID: "r6"))
        #expect(again.dropped["t2"] == DropReason(code: "superseded_by", relatedID: "s5"))
        #expect(again.dropped["t3"] == DropReason(code: "duplicate_of", relatedID: "s6"))
        #expect(again.superseded["r2"] == ["s5"])
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).isEmpty)
    }

    @Test func aConversionNotCommittedIsDoneAgain() throws {
        let (db, dir) = try Self.database()
        defer { try? FileManager.default.removeItem(at: dir) }
        try db.commit(BatchCommit(runID: "old", checkpoints: [:], ledger: RunLedger(), events: [], stateWrites: FormatOneIndex.rows.map {
            StateWrite(namespace: "dedupe:dedupe", key: $0.0, value: hexBytes($0.1))
        }))
        // A run that begins, processes and never commits (killed): the store is unchanged.
        let stage = try makeDedupe(Self.options)
        try stage.begin(run: runContext(), state: db)
        if case .drop(_, let reason) = try stage.process(DedupeCorpus.makeRecords([["id": "z", "body": .string(FormatOneIndex.t2)]])[0]) {
            #expect(reason == DropReason(code: "duplicate_of", relatedID: "r3"))
        } else {
            Issue.record("a copy of r3 passed")
        }
        #expect(try Self.keys(db, "n:").isEmpty)
        #expect(try Self.keys(db, "d:").count == 3)
        let out = try Self.run([["id": "z", "body": .string(FormatOneIndex.t2)]], db: db, id: "next")
        #expect(out.dropped["z"] == DropReason(code: "duplicate_of", relatedID: "r3"))
        #expect(try Self.keys(db, "n:").count == 3)
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).isEmpty)
    }

    @Test func removedDocumentsLeaveTheLogButNotTheDecisions() throws {
        // Many versions over several runs: each run reads the log back; replaced documents'
        // keys stay in the log and are skipped.
        let (db, dir) = try Self.database()
        defer { try? FileManager.default.removeItem(at: dir) }
        for round in 1...4 {
            let values: [JSONValue] = (0..<30).map { i in
                ["id": .string("d\(i)-\(round)"), "doc": .string("D\(i)"), "rev": .number(JSONNumber(round)),
                 "body": .string(String(repeating: "w\(i)x\(round) y\(i)z\(round) ", count: 12))]
            }
            let out = try Self.run(values, db: db, id: "run\(round)", batchSize: 7)
            #expect(out.passed.count == 30)
            if round > 1 { #expect(out.superseded["d5-\(round)"] == ["d5-\(round - 1)"]) }
            let stale = try Self.run([["id": "late", "doc": "D5", "rev": .number(JSONNumber(round - 1)), "body": "late"]], db: db, id: "late\(round)")
            #expect(stale.dropped["late"] == DropReason(code: "superseded_by", relatedID: "d5-\(round)"))
        }
        let counts = try DedupeIndexCheck.counts(namespace: "dedupe:dedupe", reader: db)
        #expect(counts.documents == 30)
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).isEmpty)
        // Deleting a key log row behind the index's back is found.
        try db.commit(BatchCommit(runID: "x", checkpoints: [:], ledger: RunLedger(), events: [],
                                  stateWrites: [StateWrite(namespace: "dedupe:dedupe", key: try Self.keys(db, "k:").last!, value: nil)]))
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: db).contains { $0.contains("missing from the key log") })
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
        let j = hex.index(i, offsetBy: 2)
        out.append(UInt8(hex[i..<j], radix: 16) ?? 0)
        i = j
    }
    return out
}
