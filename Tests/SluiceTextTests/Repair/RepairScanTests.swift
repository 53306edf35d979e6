import Foundation
import SluiceTesting
@testable import SluiceText
import Testing

/// The one-pass scan that lets clean text skip the repair steps must never skip a change: for
/// every input and option set, `repair` (scan first) equals `repairSteps` (every step).
@Suite("repair fast path")
struct RepairScanTests {
    static let samples: [String] = [
        "", "plain ascii", "tab\tand\nnewline", "a & b", "&eacute;t&eacute;", "<p>&amp;</p>", "CR\r\nLF", "bell\u{07}",
        "del\u{7F}", "Café", "naïve “quoted” ‘text’ — done…", "CafÃ©", "â€™", "Ã", "Â", "Œuvre", "œ", "a\u{85}b", "a\u{93}b",
        "line\u{2028}sep", "para\u{2029}sep", "zero\u{200B}width", "joiner\u{2060}", "\u{FEFF}bom", "mongolian\u{180E}",
        "e\u{301}", "ﬁne", "x²", "ſ", "Привет, мир", "東京タワー", "한국어", "😀 emoji 👍🏽", "\u{FFFD}lost", "\u{206A}deprecated",
        "\u{FFFC}object", "Ελληνικά", "עברית", "العربية", "é\u{301}", "ñ" + String(repeating: "x", count: 40) + "é",
        "Ã©" + String(repeating: "abc", count: 20), "“curly” and ‘single’ and „low“", "end with é", "é", "\u{C2}\u{A0}nbsp",
    ]

    static func optionSets() -> [EncodingRepairOptions] {
        var out: [EncodingRepairOptions] = []
        for form in UnicodeForm.allCases {
            for quotes in [false, true] {
                for mojibake in [false, true] {
                    for entities in [false, true] {
                        var o = EncodingRepairOptions()
                        o.fixMojibake = mojibake
                        o.normalization.unicodeForm = form
                        o.normalization.straightenQuotes = quotes
                        o.normalization.decodeHTMLEntities = entities
                        out.append(o)
                    }
                }
            }
        }
        return out
    }

    static func check(_ inputs: [String]) {
        for o in optionSets() {
            for s in inputs {
                let fast = EncodingRepair.repair(s, options: o)
                let full = EncodingRepair.repairSteps(s, options: o)
                // Scalars, not String ==, which would call NFC and NFD spellings equal.
                #expect(fast.text.unicodeScalars.elementsEqual(full.text.unicodeScalars) && fast.fixes == full.fixes
                        && fast.confidence == full.confidence && fast.hasReplacementCharacters == full.hasReplacementCharacters,
                        "\(s.debugDescription) with \(o)")
                if !EncodingRepair.mayChange(s, o) { #expect(full.fixes.isEmpty && !full.hasReplacementCharacters, "\(s.debugDescription)") }
            }
        }
    }

    @Test("hand-picked inputs for every gate, under every option set")
    func samplesAgree() {
        Self.check(Self.samples)
        // The scan is not trivially false: clean text beyond ASCII skips the steps.
        #expect(!EncodingRepair.mayChange("naïve “quoted” ‘text’ — done…", EncodingRepairOptions()))
        #expect(!EncodingRepair.mayChange("Café au lait à côté, s’il vous plaît", EncodingRepairOptions()))
        #expect(EncodingRepair.mayChange("CafÃ©", EncodingRepairOptions()))
    }

    @Test("ftfy's cases and the corpora's lines agree", .enabled(if: SharedFixtures.shouldRun))
    func sharedInputsAgree() throws {
        var inputs = try FtfyConformanceTests.loadCases().map(\.original)
        let corpus = try SharedFixtures.directory("corpora/text")
        let text = try String(contentsOf: corpus.appendingPathComponent("room_with_a_view.txt"), encoding: .utf8)
        inputs += text.split(separator: "\n").prefix(2000).map(String.init)
        Self.check(inputs)
    }

    @Test("the heuristic's spelled-out white space is Unicode's White_Space")
    func whiteSpaceTable() {
        var mismatches: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            if MojibakeHeuristic.isSpace(v) != scalar.properties.isWhitespace { mismatches.append(v) }
        }
        // The ASCII separators 1C...1F count as spaces for the heuristic, as in Python's str.isspace.
        #expect(mismatches == [0x1C, 0x1D, 0x1E, 0x1F])
    }
}
