import ArgumentParser
import Foundation
import SluiceCore
import SluiceText

/// `sluice text repair`: repairs text line by line, reading raw bytes.
struct TextRepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Repair mojibake, legacy charsets and messy Unicode in text, line by line.",
        discussion: """
            Reads FILE (or standard input for `-` or no argument) as raw bytes, detects its charset \
            (UTF-8, UTF-16/32, windows-1252/1250/1251, ISO-8859-1/2/15, KOI8-R, Shift_JIS, EUC-JP, \
            GB18030, Big5, EUC-KR), repairs each line (mojibake such as `CafÃ©`, NFC, control \
            characters, line endings, zero-width characters, HTML entities) and writes the lines \
            as UTF-8 to standard output. Correct text is never changed.

            With --jsonl each line is one JSON string ("...") and is written back as one.
            With --explain the fixes of each changed line go to standard error as \
            `line N: fix; fix`, so standard output stays data.

            Lines that cannot be decoded or repaired with confidence follow --on-undecodable: \
            quarantine (default: the line is left out and reported on standard error; exit 65), \
            keep (written as it was) or replace (U+FFFD where bytes are invalid).

            Examples:
              printf 'CafÃ© au lait\\n' | sluice text repair
              sluice text repair --explain legacy.txt > fixed.txt
              sluice text repair --jsonl strings.jsonl
            """)

    @Argument(help: "The file to repair; `-` or nothing reads standard input.", completion: .file())
    var file: String?

    @Flag(help: "Print the fixes applied to each line on standard error.")
    var explain = false

    @Flag(help: "Each line is a JSON string; write each back as a JSON string.")
    var jsonl = false

    @Option(help: "Unicode normalisation: nfc, nfkc or none.")
    var unicodeForm: String = "nfc"

    @Flag(help: "Turn curly quotes into straight ones.")
    var straightenQuotes = false

    @Flag(help: "Leave HTML entities (&amp;, &#233;) as they are.")
    var keepEntities = false

    @Option(help: "What to do with undecodable lines: quarantine, keep or replace.")
    var onUndecodable: String = "quarantine"

    @Option(help: "Refuse repairs less sure than this (0 to 1).")
    var minConfidence: Double = 0.75

    func validate() throws {
        guard UnicodeForm(rawValue: unicodeForm) != nil else { throw ValidationError("--unicode-form must be nfc, nfkc or none") }
        guard UndecodablePolicy(rawValue: onUndecodable) != nil else {
            throw ValidationError("--on-undecodable must be quarantine, keep or replace")
        }
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be between 0 and 1") }
    }

    func run() async throws {
        let handle: FileHandle
        if let file, file != "-" {
            guard FileManager.default.fileExists(atPath: file) else {
                ErrorReport.failure("\(file): no such file", status: .inputMissing)
                throw ExitCode(66)
            }
            do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)) } catch {
                ErrorReport.failure("cannot read \(file): \(SystemError.text(error))", status: .ioError)
                throw ExitCode(74)
            }
        } else {
            handle = FileHandle.standardInput
        }
        var options = LineRepair.Options()
        options.jsonl = jsonl
        options.repair.normalization.unicodeForm = UnicodeForm(rawValue: unicodeForm) ?? .nfc
        options.repair.normalization.straightenQuotes = straightenQuotes
        options.repair.normalization.decodeHTMLEntities = !keepEntities
        options.onUndecodable = UndecodablePolicy(rawValue: onUndecodable) ?? .quarantine
        options.minConfidence = minConfidence

        // Streams: blocks in, repaired lines out, so memory stays bounded by the block size.
        let repairer = LineRepairer(options: options)
        var quarantined = 0
        var reportedInput = false
        func emit(_ lines: [LineRepair.Line]) {
            if explain, !reportedInput, let d = repairer.decoded {
                reportedInput = true
                if d.charset != .utf8 || !d.notes.isEmpty {
                    let notes = d.notes.isEmpty ? "" : "; " + d.notes.joined(separator: "; ")
                    FileHandle.standardError.write(Data("input: \(d.fix.description)\(notes)\n".utf8))
                }
            }
            var out = Data()
            var err = ""
            for line in lines {
                if let bytes = line.output {
                    out.append(contentsOf: bytes)
                    out.append(0x0A)
                } else {
                    quarantined += 1
                }
                if let problem = line.problem {
                    err += "line \(line.number): \(line.output == nil ? "quarantined: " : "")\(problem)\n"
                } else if explain, !line.fixes.isEmpty {
                    err += "line \(line.number): " + line.fixes.map(\.description).joined(separator: "; ") + "\n"
                }
            }
            if !out.isEmpty { FileHandle.standardOutput.write(out) }
            if !err.isEmpty { FileHandle.standardError.write(Data(err.utf8)) }
        }
        while true {
            let block: Data
            do { block = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                ErrorReport.failure("cannot read the input: \(SystemError.text(error))", status: .ioError)
                throw ExitCode(74)
            }
            if block.isEmpty { break }
            emit(repairer.feed([UInt8](block)))
        }
        emit(repairer.finish())
        if quarantined > 0 { throw ExitCode(65) }
    }
}
