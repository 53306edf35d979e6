import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting
import Testing

let lorem = "sluice reads documents from files and apis and turns them unattended into clean deduplicated validated chunks with an audit trail that a compliance officer can query without reading code "
    + "a run is non interactive never overlaps another run of the same pipeline resumes after a crash only processes what is new and reports through its exit code a json run summary and metrics"

@Suite struct DedupeStageTests {
    @Test func exactDuplicatesAfterNormalisationAcrossRuns() throws {
        let store = MemoryStateStore()
        let a = try StageDriver.run(try makeDedupe(["key": ["/title", "/body"]]), [
            ["id": "1", "title": "Café", "body": "one  two", "n": 1],
            ["id": "2", "title": "Cafe\u{301}", "body": "one two\n", "n": 2],
            ["id": "3", "title": "café", "body": "one two", "n": 3],
        ], store: store)
        #expect(a.passed == ["1", "3"])
        #expect(a.dropped["2"] == DropReason(code: "duplicate_of", relatedID: "1"))
        // A later run remembers; with case folding "café" joins them.
        let b = try StageDriver.run(try makeDedupe(["key": ["/title", "/body"], "case_fold": true], name: "folded"), [
            ["id": "4", "title": "CAFÉ", "body": "ONE TWO"], ["id": "5", "title": "café", "body": "one two"],
        ], store: store)
        #expect(b.passed == ["4"])
        let c = try StageDriver.run(try makeDedupe(["key": ["/title", "/body"]]), [["id": "6", "title": "Café", "body": "one two"]], store: store)
        #expect(c.dropped["6"]?.relatedID == "1")
    }

    @Test func nearDuplicatesInEnglishChineseAndThai() throws {
        let zh = "今天北京的天气很好我们一起去公园散步然后在湖边的小餐馆吃午饭下午去博物馆看新的展览晚上回家做饭看书休息明天还要早起上班"
        let th = "วันนี้อากาศดีมากเราจะไปเดินเล่นที่สวนสาธารณะแล้วกินข้าวกลางวันที่ร้านอาหารริมทะเลสาบตอนบ่ายไปพิพิธภัณฑ์"
        let store = MemoryStateStore()
        let out = try StageDriver.run(try makeDedupe(["key": ["/body"], "near_duplicates": ["threshold": 0.7]]), [
            ["id": "en1", "body": .string(lorem)],
            ["id": "en2", "body": .string(lorem.replacingOccurrences(of: "compliance", with: "security"))],
            ["id": "zh1", "body": .string(zh)],
            ["id": "zh2", "body": .string(zh.replacingOccurrences(of: "博物馆", with: "图书馆"))],
            ["id": "th1", "body": .string(th)],
            ["id": "th2", "body": .string(th + "ครับ")],
            ["id": "other", "body": "a completely different text about gardening tomatoes in the spring and how to water them well"],
        ], store: store)
        #expect(out.passed == ["en1", "zh1", "th1", "other"])
        #expect(out.dropped["en2"]?.code == "near_duplicate_of")
        #expect(out.dropped["en2"]?.relatedID == "en1")
        #expect(out.dropped["zh2"]?.relatedID == "zh1")
        #expect(out.dropped["th2"]?.relatedID == "th1")
        let j = out.dropped["en2"]?.details?["jaccard"]?.numberValue?.doubleValue ?? 0
        #expect(j > 0.6 && j < 1)
    }

    @Test func whitespaceShinglingWouldMissChinese() {
        // What a whitespace-splitting stack does: a Chinese text is one "word", so one shingle.
        let zh = "今天北京的天气很好我们一起去公园散步然后在湖边的小餐馆吃午饭"
        #expect(zh.split(separator: " ").count == 1)
        #expect(Shingler(size: 5).shingleHashes(zh).count == zh.count - 4)
    }

    @Test func newestVersionWinsInAnyOrderAcrossRuns() throws {
        let store = MemoryStateStore()
        let opts: JSONValue = ["key": ["/body"], "versions": ["id": "/doc", "order_by": "/rev"]]
        let a = try StageDriver.run(try makeDedupe(opts), [
            ["id": "a2", "doc": "A", "rev": 2, "body": "second"],
            ["id": "a1", "doc": "A", "rev": 1, "body": "first"],
            ["id": "b1", "doc": "B", "rev": 1, "body": "bee"],
            ["id": "b3", "doc": "B", "rev": 3, "body": "bee three"],
        ], store: store, batchSize: 2)
        #expect(a.passed == ["a2", "b1", "b3"])
        #expect(a.dropped["a1"] == DropReason(code: "superseded_by", relatedID: "a2"))
        #expect(a.superseded["b3"] == ["b1"])
        // Next run: an older B is dropped, a newer A replaces a2; same content under a new rev
        // of another doc is not a duplicate of the version it replaces.
        let b = try StageDriver.run(try makeDedupe(opts), [
            ["id": "b2", "doc": "B", "rev": 2, "body": "bee two"],
            ["id": "a3", "doc": "A", "rev": 3, "body": "second"],
            ["id": "a3again", "doc": "A", "rev": 3, "body": "second"],
        ], store: store)
        #expect(b.dropped["b2"] == DropReason(code: "superseded_by", relatedID: "b3"))
        #expect(b.superseded["a3"] == ["a2"])
        #expect(b.dropped["a3again"] == DropReason(code: "duplicate_of", relatedID: "a3"))
        let counts = try DedupeIndexCheck.counts(namespace: "dedupe:dedupe", reader: store)
        #expect(counts.versions == 2)
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: store).isEmpty)
    }

    @Test func equalOrderValuesAreBrokenByContentWhateverTheOrder() throws {
        let x: JSONValue = ["id": "x", "doc": "D", "rev": 5, "body": "alpha"]
        let y: JSONValue = ["id": "y", "doc": "D", "rev": 5, "body": "beta"]
        let opts: JSONValue = ["versions": ["id": "/doc", "order_by": "/rev"]]
        let one = try StageDriver.run(try makeDedupe(opts), [x, y], store: MemoryStateStore())
        let two = try StageDriver.run(try makeDedupe(opts), [y, x], store: MemoryStateStore())
        let winnerOne = one.dropped.isEmpty ? "y" : (one.dropped["x"] != nil ? "y" : "x")
        let winnerTwo = two.dropped.isEmpty ? "x" : "y"
        #expect(winnerOne == winnerTwo)
    }

    @Test func onlyAcceptedRecordsAreRemembered() throws {
        let store = MemoryStateStore()
        let stage = try makeDedupe(["key": ["/body"]])
        // "1" passes dedupe but is not accepted by the outputs (quarantined later, say).
        _ = try StageDriver.run(stage, [["id": "1", "body": "same"]], store: store, accept: { $0 != "1" })
        let again = try StageDriver.run(try makeDedupe(["key": ["/body"]]), [["id": "2", "body": "same"]], store: store)
        #expect(again.passed == ["2"])
    }

    @Test func missingVersionFieldsAreQuarantinedAndMismatchedOrdersToo() throws {
        let store = MemoryStateStore()
        let out = try StageDriver.run(try makeDedupe(["versions": ["id": "/doc", "order_by": "/rev"]]), [
            ["id": "1", "body": "no doc"],
            ["id": "2", "doc": "D", "body": "no rev"],
            ["id": "3", "doc": "D", "rev": 1],
            ["id": "4", "doc": "D", "rev": "one"],
            ["id": "5", "doc": ["nested"], "rev": 1],
        ], store: store)
        #expect(out.quarantined == ["2", "4", "5"])
        #expect(out.passed == ["1", "3"])
    }

    @Test func changedSettingsRefuseTheOldIndex() throws {
        let store = MemoryStateStore()
        _ = try StageDriver.run(try makeDedupe(["near_duplicates": ["permutations": 64]]), [["id": "1", "body": .string(lorem)]], store: store)
        #expect(throws: SluiceError.self) {
            try makeDedupe(["near_duplicates": ["permutations": 128]]).begin(run: runContext(), state: store)
        }
    }

    @Test func sameIdWithNewContentReplacesItsIndexEntries() throws {
        let store = MemoryStateStore()
        let opts: JSONValue = ["key": ["/body"], "near_duplicates": [:]]
        _ = try StageDriver.run(try makeDedupe(opts), [["id": "1", "body": .string(lorem)]], store: store)
        let out = try StageDriver.run(try makeDedupe(opts), [["id": "1", "body": .string(lorem + " and more words here")]], store: store)
        #expect(out.passed == ["1"])
        let ns = "dedupe:dedupe"
        #expect(try DedupeIndexCheck.counts(namespace: ns, reader: store).documents == 1)
        #expect(try DedupeIndexCheck.problems(namespace: ns, reader: store).isEmpty)
    }
}

/// Counts reads, to show that `stateWrites` (which cannot fail) needs none.
final class CountingReader: StageStateReader {
    let base: MemoryStateStore
    var reads = 0
    init(_ base: MemoryStateStore) { self.base = base }
    func value(namespace: String, key: String) throws -> [UInt8]? { reads += 1; return try base.value(namespace: namespace, key: key) }
    func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] {
        reads += 1
        return try base.values(namespace: namespace, prefix: prefix)
    }
}

@Suite struct DedupeStateWriteTests {
    @Test func stateWritesReadNothingProcessDidNotRead() throws {
        let store = MemoryStateStore()
        let opts: JSONValue = ["key": ["/body"], "near_duplicates": [:], "versions": ["id": "/doc", "order_by": "/rev"]]
        _ = try StageDriver.run(try makeDedupe(opts), [
            ["id": "a1", "doc": "A", "rev": 1, "body": .string(lorem)],
            ["id": "x", "body": "some other text entirely"],
        ], store: store)
        let stage = try makeDedupe(opts)
        let reader = CountingReader(store)
        try stage.begin(run: runContext(), state: reader)
        var accepted = Set<String>()
        for r in DedupeCorpus.makeRecords([
            ["id": "a2", "doc": "A", "rev": 2, "body": "a new text for A"],   // supersedes a1
            ["id": "x", "body": "some other text, changed"],                  // same id, new content
            ["id": "y", "body": .string(lorem + " extra")],
        ]) {
            if case .pass(let rec, _) = try stage.process(r) { accepted.insert(rec.id) }
        }
        #expect(accepted == ["a2", "x", "y"])
        let before = reader.reads
        let writes = stage.stateWrites(accepted: accepted)
        #expect(reader.reads == before)
        try store.commit(BatchCommit(runID: "t", checkpoints: [:], ledger: RunLedger(), events: [], stateWrites: writes))
        #expect(try DedupeIndexCheck.problems(namespace: "dedupe:dedupe", reader: store).isEmpty)
        #expect(try store.value(namespace: "dedupe:dedupe", key: "d:a1") == nil)
    }
}
