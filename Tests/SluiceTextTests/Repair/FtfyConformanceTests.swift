import SluiceCharset
import Foundation
import SluiceTesting
import SluiceCharset
@testable import SluiceText
import Testing

/// ftfy's own test cases, read from ../shared/conformance/ftfy at test time.
@Suite("ftfy conformance")
struct FtfyConformanceTests {
    struct Case {
        var file: String
        var label: String
        var original: String
        var expected: String
        var pass: Bool
    }

    static func loadCases() throws -> [Case] {
        let dir = try SharedFixtures.directory("conformance/ftfy")
        var cases: [Case] = []
        for file in ["in-the-wild", "synthetic", "language-names", "negative", "known-failures"] {
            let data = try Data(contentsOf: dir.appendingPathComponent(file + ".json"))
            let items = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            for item in items {
                let original = try #require(item["original"] as? String)
                let expected = try #require((item["fixed-encoding"] as? String) ?? (item["fixed"] as? String))
                cases.append(Case(file: file, label: item["label"] as? String ?? "", original: original,
                                  expected: expected, pass: (item["expect"] as? String) == "pass"))
            }
        }
        return cases
    }

    /// One more layer of damage, as the brief asks: the broken text's UTF-8 read as windows-1252
    /// (the sloppy variant, so that every byte has a character).
    static func damage(_ text: String, as charset: String) -> String? {
        switch charset {
        case "windows-1252": return SingleByteText.windows1252(text)
        case "latin-1": return SingleByteText.latin1(text)
        default: return nil
        }
    }

    @Test("negative cases stay unchanged; at least 95% of the others are fixed, also with one more layer",
          .enabled(if: SharedFixtures.shouldRun))
    func conformance() throws {
        let cases = try Self.loadCases()
        var lines: [String] = []
        var failures: [String] = []
        var totals = (pass: 0, fixed: 0, layered: 0, layeredLatin1: 0)
        var lowConfidence: [String] = []
        for file in ["in-the-wild", "synthetic", "language-names", "negative", "known-failures"] {
            let group = cases.filter { $0.file == file }
            var fixed = 0, layered = 0, layeredLatin1 = 0, expectPass = 0
            for c in group {
                let got = MojibakeRepair.fix(c.original).text
                let ok = got == c.expected
                let more = Self.damage(c.original, as: "windows-1252").map { MojibakeRepair.fix($0).text == c.expected } ?? false
                let moreL1 = Self.damage(c.original, as: "latin-1").map { MojibakeRepair.fix($0).text == c.expected } ?? false
                guard c.pass else { if ok { fixed += 1 }; continue }
                let r = EncodingRepair.repair(c.original)
                if r.confidence < 0.75 || r.hasReplacementCharacters { lowConfidence.append("[\(file)] \(c.label)") }
                expectPass += 1
                if ok { fixed += 1 } else { failures.append("[\(file)] \(c.label): got \(got.debugDescription)") }
                if more { layered += 1 } else { failures.append("[\(file)] +layer \(c.label)") }
                if moreL1 { layeredLatin1 += 1 }
            }
            let total = c(group)
            lines.append("\(file): \(fixed)/\(total) fixed, +1 layer (windows-1252) \(layered)/\(expectPass), +1 layer (latin-1) \(layeredLatin1)/\(expectPass)")
            if file != "known-failures" {
                totals.pass += expectPass; totals.fixed += fixed; totals.layered += layered; totals.layeredLatin1 += layeredLatin1
            }
            if file == "negative" {
                #expect(fixed == group.count, "negative cases must never change")
            }
        }
        func c(_ g: [Case]) -> Int { g.count }
        print("ftfy conformance (score on fixed-encoding, else fixed):\n  " + lines.joined(separator: "\n  "))
        print("  total expect-pass: \(totals.fixed)/\(totals.pass), +1 layer \(totals.layered)/\(totals.pass)")
        for f in failures { print("  miss: \(f)") }
        print("  refused by repair_encoding's defaults (confidence < 0.75 or U+FFFD): \(lowConfidence.count)")
        for l in lowConfidence { print("    \(l)") }
        #expect(Double(totals.fixed) >= 0.95 * Double(totals.pass))
        #expect(Double(totals.layered) >= 0.95 * Double(totals.pass))
    }
}
