import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceTesting
import SluiceYAML
import Testing

/// YAML written to hurt, in a pipeline file and in markdown front matter: each is refused with a
/// diagnostic at file:line:col, quickly and in bounded memory (issue 21, item 6: a 440-byte alias
/// bomb made `validate` and `run` hang with memory growing exponentially).
@Suite struct HostileConfigTests {
    /// The classic "billion laughs": nine levels of ten aliases each (10^9 strings), 440-odd bytes.
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]

        """

    private func load(_ text: String) throws -> PipelineLoader.Result {
        try SluiceEngine.loader(environment: [:]).load(text: text, displayPath: "bomb.yaml", file: nil)
    }

    @Test func aliasBombInAPipelineFileIsRefusedAtItsPlace() throws {
        let text = "name: bomb\n" + Self.billionLaughs + "inputs: []\n"
        #expect(text.utf8.count < 600)
        let result = try load(text)
        #expect(result.plan == nil)
        let diagnostic = try #require(result.diagnostics.first { $0.code == "yaml_alias_budget" })
        #expect(diagnostic.message.contains("alias"))
        #expect(diagnostic.location?.file == "bomb.yaml")
        // The node being repeated is inside the anchored lists, lines 2 to 10.
        #expect((2...10).contains(diagnostic.location?.line ?? 0))
        #expect((diagnostic.location?.column ?? 0) > 1)
    }

    /// Aliases used as they are meant to be (a block reused a few times) still load.
    @Test func ordinaryAliasesStillLoad() throws {
        let text = """
            name: reuse
            x-common: &common
              type: file
              paths: data/*.jsonl
            inputs:
              - <<: *common
                name: one
            outputs:
              - {name: out, type: jsonl, path: out/r.jsonl}

            """
        let result = try load(text)
        #expect(!result.diagnostics.contains { $0.code.hasPrefix("yaml_") })
    }

    /// An alias inside a key would make Yams hash the expanded key (2^n work) before any budget runs.
    @Test func anAliasInsideAKeyIsRefused() throws {
        var text = "name: keys\na0: &a0 [x, y]\n"
        for i in 1...40 { text += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        text += "? *a40\n: boom\n"
        let result = try load(text)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == "yaml_alias_in_key")
        #expect(diagnostic.location?.line == 43)

        let flow = "name: k\na: &a [1]\n{*a : 1}: x\n"
        #expect(try load(flow).diagnostics.first?.code == "yaml_alias_in_key")
        // An alias as a value is fine, and a `*` inside a scalar is no alias.
        let fine = "name: k\na: &a b\nc: *a\nd: 2*3\ne: \"*x: y\"\n"
        #expect(try !load(fine).diagnostics.contains { $0.code.hasPrefix("yaml_") })
    }

    /// Nesting that would overflow Yams' recursive composer is refused on the text first.
    @Test(arguments: [1_000, 200_000])
    func deepNestingIsRefusedBeforeYamsRecurses(depth: Int) throws {
        let text = "name: deep\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let diagnostic = try #require(load(text).diagnostics.first)
        #expect(diagnostic.code == "yaml_too_deep")
        #expect(diagnostic.location?.line == 2)
    }

    /// Aliases chained one per line nest deeper than the text shows; the walk counts that too.
    @Test func nestingThroughAliasesIsBounded() throws {
        var text = "name: chain\nl0: &l0 [x]\n"
        for i in 1...200 { text += "l\(i): &l\(i) [*l\(i - 1)]\n" }
        let diagnostic = try #require(load(text).diagnostics.first)
        #expect(diagnostic.code == "yaml_too_deep")
    }

    /// A big scalar repeated through aliases counts its bytes, not one node.
    @Test func aBigScalarRepeatedByAliasesIsCountedInBytes() throws {
        let big = String(repeating: "x", count: 100_000)
        // 5 copies of 100 KB: within the budget (1,000,000 beyond the text's own size).
        var text = "name: big\ns: &s \(big)\nl: &l [" + Array(repeating: "*s", count: 5).joined(separator: ", ") + "]\n"
        #expect(try !load(text).diagnostics.contains { $0.code == "yaml_alias_budget" })
        // 50 more: 5 MB of strings from 100 KB of text.
        text += "m: [" + Array(repeating: "*l", count: 10).joined(separator: ", ") + "]\n"
        let diagnostic = try #require(load(text).diagnostics.first { $0.code == "yaml_alias_budget" })
        #expect(diagnostic.location?.line == 2)
    }

    /// Block scalars may hold brackets and stars: they are text, not nesting or aliases.
    @Test func blockScalarsAreNotScanned() throws {
        let text = "name: b\nnote: |\n  " + String(repeating: "[", count: 500) + "\n  *a: b\nother: 1\n"
        #expect(try !load(text).diagnostics.contains { $0.code.hasPrefix("yaml_") })
    }

    /// The same budget guards markdown front matter: the bomb quarantines its file, nothing hangs.
    @Test func aliasBombInFrontMatterQuarantinesTheFile() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.md", "---\ntitle: ok\n---\n# Fine\n")
        try p.write("b.md", "---\n" + Self.billionLaughs + "---\n# Bomb\n")
        let out = try await p.run()
        out.expectAccounted()
        #expect(out.written.count == 1)
        #expect(out.codes == ["record_too_large"])
        #expect(out.messages.first?.contains("alias") == true)
    }
}
