import Foundation
import SluiceCore
import Testing
@testable import SluiceText

@Suite struct MarkdownChunkingTests {
    static func chunks(_ text: String, max: Int, unit: ChunkSizeUnit = .chars) throws -> [TextChunk] {
        try Chunker(options: ChunkerOptions(strategy: .markdown, unit: unit, maxSize: max)).chunks(of: text)
    }

    @Test func headingsStartSectionsAndGiveHeadingPaths() throws {
        let text = """
        # Guide

        Intro text here.

        ## Install

        Run the installer and wait.

        ### Linux

        Use the package.

        ## Usage

        Call it with the right arguments.
        """
        let chunks = try Self.chunks(text, max: 50)
        #expect(chunks.map(\.text) == [
            "# Guide\n\nIntro text here.",
            "## Install\n\nRun the installer and wait.",
            "### Linux\n\nUse the package.",
            "## Usage\n\nCall it with the right arguments.",
        ])
        #expect(chunks.map(\.headingPath) == [["Guide"], ["Guide", "Install"], ["Guide", "Install", "Linux"], ["Guide", "Usage"]])
        // With room for more, whole sections are packed, cut before the strongest heading.
        let wide = try Self.chunks(text, max: 120)
        #expect(wide.map(\.text).first == "# Guide\n\nIntro text here.\n\n## Install\n\nRun the installer and wait.\n\n### Linux\n\nUse the package.")
    }

    @Test func setextHeadingsAndClosedATXHeadings() throws {
        let text = "Top\n===\n\nbody one\n\nNext ##\n-------\n\nbody two\n\n## Third ##\n\nbody three"
        let chunks = try Self.chunks(text, max: 25)
        #expect(chunks.map(\.headingPath) == [["Top"], ["Top", "Next ##"], ["Top", "Third"]])
    }

    @Test func fencedCodeStaysWholeWhenItFits() throws {
        let code = "```python\ndef f():\n\n    return 1\n\n# not a heading\n```"
        let text = "Some words before the code block.\n\n\(code)\n\nAnd some words after it."
        for max in [code.count, code.count + 10, code.count + 40] {
            let chunks = try Self.chunks(text, max: max)
            #expect(chunks.contains { $0.text.contains(code) }, "max \(max): \(chunks.map(\.text))")
            #expect(chunks.allSatisfy { $0.headingPath.isEmpty })
        }
        // A block larger than the limit is cut between its lines.
        let small = try Self.chunks(text, max: 20)
        #expect(small.allSatisfy { $0.text.count <= 20 })
        #expect(small.contains { $0.text == "```python\ndef f():" })
    }

    @Test func tablesStayWholeAndRowsAreNeverCut() throws {
        let table = "| name | value |\n|------|-------|\n| alpha | 1 |\n| beta | 2 |\n| gamma | 3 |"
        let text = "Intro.\n\n\(table)\n\nOutro."
        #expect(try Self.chunks(text, max: table.count).contains { $0.text == table })
        let rows = try Self.chunks(text, max: 34)
        #expect(rows.map(\.text) == ["Intro.", "| name | value |\n|------|-------|", "| alpha | 1 |\n| beta | 2 |", "| gamma | 3 |\n\nOutro."])
    }

    @Test func listItemsStayWhole() throws {
        let text = "- first item\n  with a second line\n- second item\n- third item that is longer\n\nAfter."
        let chunks = try Self.chunks(text, max: 35)
        #expect(chunks.map(\.text) == ["- first item\n  with a second line", "- second item", "- third item that is longer\n\nAfter."])
    }

    @Test func frontMatterIsItsOwnChunk() throws {
        let text = "---\ntitle: Doc\ntags: [a]\n---\n\n# Heading\n\nBody text of the document."
        let chunks = try Self.chunks(text, max: 40)
        #expect(chunks.map(\.text) == ["---\ntitle: Doc\ntags: [a]\n---", "# Heading\n\nBody text of the document."])
        #expect(chunks.map(\.headingPath) == [[], ["Heading"]])
        // The YAML "..." end marker closes front matter too (the CommonMark spec uses it).
        let dots = try Self.chunks("---\ntitle: x\n...\n\n# H\n\ntext text text text text", max: 20)
        #expect(dots.first?.text == "---\ntitle: x\n...")
    }

    @Test func randomMarkdownKeepsBlocksWhole() throws {
        var rng = SplitMix64(seed: 42)
        let wholeBlocks = ChunkTestData.markdownBlocks.filter { $0.hasPrefix("```") || $0.hasPrefix("~~~") || $0.hasPrefix("|") }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let rows = ["| a | b |", "|---|:-:|", "| 1 | 2 |", "| three | four |"]
        for round in 0..<80 {
            let text = ChunkTestData.markdown(&rng, blocks: 2 + Int(rng.next() % 15))
            let max = 40 + Int(rng.next() % 200)
            let options = ChunkerOptions(strategy: .markdown, unit: .chars, maxSize: max)
            let chunks = try Chunker(options: options).chunks(of: text)
            #expect(ChunkInvariants.problems(chunks, source: text, options: options, tokenizer: nil).isEmpty, "round \(round)")
            // Every fitting block occurrence and every row lies inside one chunk.
            let scalars = Array(text.unicodeScalars)
            for block in wholeBlocks + rows where block.count <= max {
                let needle = Array(block.unicodeScalars)
                var i = 0
                while i + needle.count <= scalars.count {
                    if Array(scalars[i..<(i + needle.count)]) == needle {
                        let inside = chunks.contains { $0.start <= i && i + needle.count <= $0.end }
                        #expect(inside, "round \(round): block at \(i) cut: \(block.debugDescription)")
                        i += needle.count
                    } else {
                        i += 1
                    }
                }
            }
        }
    }
}


@Suite struct MarkdownHeadingGlueTests {
    @Test func headingTakesFirstSentencesOfALongParagraph() throws {
        let text = "## Setup\n\nInstall the tool first. Then configure it with care. Finally run it and watch the output closely."
        let chunks = try MarkdownChunkingTests.chunks(text, max: 50)
        #expect(chunks.map(\.text) == ["## Setup\n\nInstall the tool first.", "Then configure it with care.", "Finally run it and watch the output closely."])
        #expect(chunks.allSatisfy { $0.headingPath == ["Setup"] })
    }

    @Test func headingStaysAloneRatherThanCuttingASentence() throws {
        let text = "## Setup\n\nOne single sentence that is far too long to share a chunk with its heading."
        let chunks = try MarkdownChunkingTests.chunks(text, max: 80)
        #expect(chunks.map(\.text) == ["## Setup", "One single sentence that is far too long to share a chunk with its heading."])
    }
}
