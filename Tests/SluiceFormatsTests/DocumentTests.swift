import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import Testing

@Suite struct TextAndMarkdownTests {
    @Test func textIsOneRecordWithTitleAndBody() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("notes/a.txt", "\n\n  Quarterly notes  \nSecond line.\n")
        let run = try await f.read(["paths": .s("notes/*.txt")])
        let r = try #require(run.records.first)
        #expect(r.id == "notes/a.txt")
        #expect(r.value == ["path": "notes/a.txt", "title": "Quarterly notes", "body": "\n\n  Quarterly notes  \nSecond line."])
        #expect(r.provenance.sha256 == ContentHash.sha256Hex(Array("\n\n  Quarterly notes  \nSecond line.\n".utf8)))
    }

    @Test func emailLikeHeadersBecomeFieldsWhenAsked() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("m.txt", "From: Ana <ana@example.org>\nSubject: Budget\n  for 2027\nX-Tag: a\nX-Tag: b\n\nHello team.\n")
        let run = try await f.read(["paths": .s("m.txt"), "text": .map(["header_fields": .s("true")])])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Budget for 2027")
        #expect(r.string("from") == "Ana <ana@example.org>")
        #expect(r.value["x_tag"] == ["a", "b"])
        #expect(r.string("body") == "Hello team.")
        let plain = try await f.read(["paths": .s("m.txt")])
        #expect(plain.records.first?.string("title") == "From: Ana <ana@example.org>")
        #expect(plain.records.first?.value["from"] == nil)
    }

    @Test func markdownFrontMatterAndTitle() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("n.md", "---\ntitle: From front matter\ntags: [a, b]\ndraft: false\nversion: 1.50\nwhen: 2026-11-30\n---\nIntro\n\n```\n# not a heading\n```\n\n# Real Title\n\nText.\n")
        let run = try await f.read(["paths": .s("*.md")])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Real Title")
        #expect(r.value["tags"] == ["a", "b"])
        #expect(r.value["draft"] == false)
        #expect(r.value["version"]?.numberValue?.text == "1.50")
        #expect(r.string("when") == "2026-11-30")
        #expect(r.string("body")?.hasPrefix("Intro\n") == true)
        #expect(r.value.objectValue?.keys == ["path", "title", "tags", "draft", "version", "when", "body"])
    }

    @Test func markdownTitleFallsBackToFrontMatterThenAnyHeading() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.md", "---\ntitle: Front\n---\n## Sub\n")
        try f.write("b.md", "Setext Title\n============\n\nbody\n")
        try f.write("c.md", "## Only a subheading\n")
        let run = try await f.read(["paths": .s("*.md")])
        #expect(run.records.map { $0.string("title") } == ["Front", "Setext Title", "Only a subheading"])
    }

    @Test func badFrontMatterIsMalformedAndAnAliasBombStops() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.md", "---\ntitle: [unclosed\n---\n# T\n")
        var bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { bomb += "l\(i): &l\(i) [" + Array(repeating: i == 1 ? "*a" : "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        try f.write("b.md", bomb + "---\n# T\n")
        try f.write("c.md", "---\n- just\n- a list\n---\n")
        let run = try await f.read(["paths": .s("*.md")])
        #expect(run.failures.map(\.code) == [.malformed, .tooLarge, .malformed])
        #expect(run.failures.last?.message.contains("mapping") == true)
    }

    @Test func deeplyNestedFrontMatterIsRefusedBeforeParsing() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("flow.md", "---\na: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n---\n# T\n")
        let block = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        try f.write("block.md", "---\n" + block + " end\n---\n# T\n")
        try f.write("dashes.md", "---\nlist:\n  " + String(repeating: "- ", count: 500) + "x\n---\n# T\n")
        try f.write("fine.md", "---\ntitle: \"a [ quoted { bracket\"\nnested: {a: [1, {b: [2]}]}\nlist:\n  - - x\n---\n# T\n")
        let run = try await f.read(["paths": .s("*.md")])
        #expect(run.failures.map(\.code) == [.tooDeep, .tooDeep, .tooDeep])
        #expect(run.failures.map(\.recordID) == ["block.md", "dashes.md", "flow.md"])
        #expect(run.records.first?.value["nested"] == ["a": [1, ["b": [2]]]])
    }

    @Test func emptyDocumentsAreQuarantinedAsEmpty() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.md", "")
        try f.write("b.txt", " \n\t\n")
        try f.write("c.html", "")
        let run = try await f.read(["paths": .list(["*.md", "*.txt", "*.html"])])
        #expect(run.failures.map(\.code) == [.empty, .empty, .empty])
        #expect(run.failures.map(\.message) == ["the file is empty", "the file holds only whitespace", "the file is empty"])
    }

    @Test func aNULByteInTextIsQuarantined() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.txt", bytes: Array("hello".utf8) + [0] + Array(" world".utf8))
        let run = try await f.read(["paths": .s("a.txt")])
        #expect(run.failures.map(\.code) == [.nulByte])
        #expect(run.failures.first?.message.contains("offset 5") == true)
    }
}

@Suite struct HTMLTests {
    static let page = """
        <!DOCTYPE html>
        <html lang="en-GB"><head>
        <meta charset="utf-8">
        <title>Harbour &amp; Tides — The Coastal Post</title>
        <meta name="author" content="Mira Okafor">
        <meta name="description" content="Why the tide tables changed.">
        <meta name="keywords" content="tides, harbour , ">
        <meta property="article:modified_time" content="2026-11-02T09:00:00Z">
        <meta property="article:tag" content="sea"><meta property="article:tag" content="ports">
        <link rel="stylesheet" href="/s.css"><link rel="canonical" href="https://example.org/tides">
        <style>body { color: red }</style><script>var tracking = "secret";</script>
        </head><body>
        <header><a href="/">The Coastal Post</a></header>
        <nav><ul><li>Home</li><li>News</li></ul></nav>
        <article>
          <header><h1>Harbour&nbsp;&amp;   Tides</h1></header>
          <p>The tables   changed
             in <b>spring</b>.</p>
          <h2>What&#39;s new</h2>
          <ul><li>Earlier high tide</li><li><p>Later low tide</p></li></ul>
          <ol><li>First</li><li>Second</li></ol>
          <pre>code  line 1
        line 2</pre>
          <table><tr><th>Port</th><th>Shift</th></tr><tr><td>Northby</td><td>+12 min</td></tr></table>
          <footer>Filed under: sea</footer>
        </article>
        <aside>Related: nothing</aside>
        <footer>© The Coastal Post</footer>
        <script>alert(1)</script>
        </body></html>
        """

    @Test func extractsFieldsAndMarkdownLikeText() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("pages/tides.html", Self.page)
        let run = try await f.read(["paths": .s("pages/*.html")])
        let r = try #require(run.records.first)
        #expect(r.string("title") == "Harbour & Tides — The Coastal Post")
        #expect(r.string("lang") == "en-GB")
        #expect(r.string("canonical_url") == "https://example.org/tides")
        #expect(r.string("author") == "Mira Okafor")
        #expect(r.string("description") == "Why the tide tables changed.")
        #expect(r.value["keywords"] == ["tides", "harbour"])
        #expect(r.string("modified_time") == "2026-11-02T09:00:00Z")
        #expect(r.value["meta"]?["article:tag"] == ["sea", "ports"])
        #expect(r.string("body") == """
            # Harbour & Tides

            The tables changed in spring.

            ## What's new

            - Earlier high tide
            - Later low tide

            1. First
            2. Second

            ```
            code  line 1
            line 2
            ```

            Port | Shift
            Northby | +12 min

            Filed under: sea
            """)
        #expect(r.value.objectValue?.keys == ["path", "title", "lang", "canonical_url", "author", "description", "keywords",
                                              "modified_time", "meta", "body"])
    }

    @Test func deepNestingIsTooDeep() async throws {
        var f = try Fixture()
        defer { f.dir.remove() }
        f.limits.maxDepth = 100
        try f.write("a.html", "<html><body>" + String(repeating: "<div>", count: 2000) + "x" + String(repeating: "</div>", count: 2000) + "</body></html>")
        let run = try await f.read(["paths": .s("a.html")])
        #expect(run.failures.map(\.code) == [.tooDeep])
    }

    @Test func theContentElementNarrowsTheBody() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.write("a.html", "<html><body><div>Menu</div><main><p>Only this.</p></main></body></html>")
        try f.write("b.html", "<p>No main here &lt;3</p>")
        let run = try await f.read(["paths": .s("*.html"), "html": .map(["content_element": .s("main")])])
        #expect(run.records.map { $0.string("body") } == ["Only this.", "No main here <3"])
    }
}
