import Foundation
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceTesting
import Testing

/// The accuracy targets on a labelled corpus (English-like, Chinese and Thai text). The bench
/// (`sluice-bench dedupe`) runs the same scoring on a larger corpus.
@Suite struct DedupeAccuracyTests {
    static func score(documents: Int, versioned: Int, seed: UInt64, threshold: Double) throws -> DedupeAccuracy {
        let corpus = DedupeCorpus(documents: documents, versioned: versioned, seed: seed, wordsPerDocument: 120)
        let stage = try makeDedupe(["key": ["/body"], "near_duplicates": ["threshold": .number(JSONNumber(threshold))],
                                    "versions": ["id": "/doc_id", "order_by": "/updated_at"]])
        let out = try StageDriver.run(stage, corpus.records, store: MemoryStateStore(), batchSize: 64)
        let normalizer = TextNormalizer()
        return DedupeAccuracy(corpus: corpus, threshold: threshold,
                              drops: out.dropped.mapValues { (code: $0.code, related: $0.relatedID) }, passed: out.passed,
                              superseded: Set(out.superseded.values.joined()),
                              normalize: { normalizer.normalize($0) },
                              shingles: { body in
                                  let t = Shingler.tokens(normalizer.normalize(body))
                                  guard t.count >= 5 else { return [t] }
                                  return Set((0...(t.count - 5)).map { Array(t[$0..<($0 + 5)]) })
                              })
    }

    @Test func meetsTheTargetsAtThreshold08() throws {
        let a = try Self.score(documents: 400, versioned: 40, seed: 2026, threshold: 0.8)
        #expect(a.exactRecall == 1, "\(a)")
        #expect(a.exactPrecision == 1, "\(a)")
        #expect(a.nearPositivePairs > 30, "\(a)")
        #expect(a.nearRecall >= 0.95, "\(a)")
        #expect(a.nearFarBelowRatio <= 0.02, "\(a)")
        #expect(a.versionAccuracy == 1, "\(a)")
    }
}
