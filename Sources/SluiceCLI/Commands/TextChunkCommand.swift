import ArgumentParser
import Foundation
import SluiceCore
import SluiceJSON
import SluiceText

/// `sluice text chunk`: splits one text into chunks, one JSON line per chunk.
struct TextChunkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chunk",
        abstract: "Split a text into retrieval-sized chunks, one JSON line per chunk.",
        discussion: """
            Reads FILE (or standard input for `-` or no argument) as UTF-8 and writes one JSON \
            object per chunk: {"index", "start", "end", "size", "text", "heading_path"}. \
            `start` and `end` are offsets in Unicode scalars (code points) into the input, so \
            `text == input[start:end]` in Python; `size` is in --unit and never above --max.

            Strategies: recursive (paragraphs, lines, sentences, words, grapheme clusters: the \
            largest that fits), markdown (sections by heading, code blocks, tables and list \
            items kept whole when they fit, heading_path filled in), sentence (Unicode \
            sentences packed up to the limit).
            Units: chars (grapheme clusters), bytes (UTF-8), words, tokens (needs --tokenizer, \
            a Hugging Face tokenizer.json; special tokens are not counted).

            Exit status: 0 done; 64 bad options; 65 the input is not UTF-8; 66 FILE missing; \
            74 read error; 78 the tokenizer file cannot be used.

            Examples:
              sluice text chunk --strategy markdown --max 1000 README.md
              sluice text chunk --unit tokens --max 256 --overlap 32 --tokenizer tokenizer.json book.txt
              cat notes.txt | sluice text chunk --strategy sentence --unit words --max 120
            """)

    @Argument(help: "The text file; `-` or nothing reads standard input.", completion: .file())
    var file: String?

    @Option(help: "recursive, markdown or sentence.")
    var strategy: String = "recursive"

    @Option(help: "chars, bytes, words or tokens.")
    var unit: String = "chars"

    @Option(name: .customLong("max"), help: "The largest chunk size, in --unit (a hard limit).")
    var maxSize: Int

    @Option(name: .customLong("min"), help: "Merge chunks smaller than this into a neighbour when the result fits.")
    var minSize: Int = 0

    @Option(help: "Repeat up to this much of each chunk's end at the start of the next, in --unit.")
    var overlap: Int = 0

    @Option(help: "A Hugging Face tokenizer.json, for --unit tokens.", completion: .file())
    var tokenizer: String?

    @Flag(help: "Keep whitespace at the edges of chunks in their text and offsets.")
    var noTrim = false

    var chunkerOptions: ChunkerOptions {
        ChunkerOptions(strategy: ChunkStrategy(rawValue: strategy) ?? .recursive, unit: ChunkSizeUnit(rawValue: unit) ?? .chars,
                       maxSize: maxSize, minSize: minSize, overlap: overlap, trim: !noTrim)
    }

    func validate() throws {
        guard ChunkStrategy(rawValue: strategy) != nil else { throw ValidationError("--strategy must be recursive, markdown or sentence") }
        guard ChunkSizeUnit(rawValue: unit) != nil else { throw ValidationError("--unit must be chars, bytes, words or tokens") }
        let problems = chunkerOptions.problems(hasTokenizer: tokenizer != nil)
        if !problems.isEmpty {
            let names = ["max_size": "--max", "min_size": "--min", "overlap": "--overlap", "tokenizer": "--tokenizer"]
            throw ValidationError(problems.map { "\(names[$0.option] ?? $0.option) \($0.message)" }.joined(separator: "\n"))
        }
    }

    func run() async throws {
        let input: Data
        if let file, file != "-" {
            guard FileManager.default.fileExists(atPath: file) else { fail("\(file): no such file", 66) }
            do { input = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { fail("cannot read \(file): \(SystemError.text(error))", 74) }
        } else {
            input = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(validating: input, as: UTF8.self) else {
            fail("the input is not valid UTF-8 (`sluice text repair` can fix it first)", 65)
        }
        var loaded: HFTokenizer?
        if let tokenizer {
            do { loaded = try HFTokenizer(contentsOf: URL(fileURLWithPath: tokenizer)) } catch { fail("tokenizer \(tokenizer): \(error)", 78) }
        }
        let chunker: Chunker
        do { chunker = try Chunker(options: chunkerOptions, tokenizer: loaded) } catch { fail("\(error)", 64) }

        var out: [UInt8] = []
        for chunk in chunker.chunks(of: text) {
            var o = JSONObject()
            o["index"] = .number(JSONNumber(chunk.index))
            o["start"] = .number(JSONNumber(chunk.start))
            o["end"] = .number(JSONNumber(chunk.end))
            o["size"] = .number(JSONNumber(chunk.size))
            o["text"] = .string(chunk.text)
            o["heading_path"] = .array(chunk.headingPath.map { .string($0) })
            JSONWriter.write(.object(o), into: &out)
            out.append(0x0A)
            if out.count > 1 << 20 { FileHandle.standardOutput.write(Data(out)); out.removeAll(keepingCapacity: true) }
        }
        FileHandle.standardOutput.write(Data(out))
    }

    private func fail(_ message: String, _ code: Int32) -> Never {
        ErrorReport.failure(message, status: ExitStatus(rawValue: code))
        Foundation.exit(code)
    }
}
