import Foundation
import SluiceTesting
import Testing

/// `sluice text repair` through the built binary: raw bytes in (a file or standard input), repaired
/// UTF-8 lines out, fixes on standard error with `--explain`, and refusals with their exit status.
@Suite struct TextRepairCLITests {
    struct Output {
        var status: Int32
        /// Raw bytes: `--on-undecodable keep` writes lines exactly as they came.
        var stdout: [UInt8]
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `sluice ARGS` with `input` on standard input (SluiceProcess has no standard input and
    /// decodes standard output as UTF-8; these tests need both raw).
    static func run(_ args: [String], stdin input: [UInt8] = [], in directory: URL) throws -> Output {
        guard let exe = SluiceProcess.executable else { throw NotBuilt() }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let collected = Collected()
        let group = DispatchGroup()
        for (handle, isOut) in [(outPipe.fileHandleForReading, true), (errPipe.fileHandleForReading, false)] {
            group.enter()
            Thread.detachNewThread {
                let data = handle.readDataToEndOfFile()
                collected.set(data, stdout: isOut)
                group.leave()
            }
        }
        inPipe.fileHandleForWriting.write(Data(input))
        try inPipe.fileHandleForWriting.close()
        p.waitUntilExit()
        group.wait()
        return Output(status: p.terminationStatus, stdout: [UInt8](collected.out), stderr: String(decoding: collected.err, as: UTF8.self))
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the sluice executable was not found next to the tests; run `swift build` first" }
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var out = Data()
        private(set) var err = Data()
        func set(_ data: Data, stdout: Bool) {
            lock.lock()
            if stdout { out = data } else { err = data }
            lock.unlock()
        }
    }

    static func cp1252(_ s: String) throws -> [UInt8] {
        try #require(s.data(using: .windowsCP1252).map { Array($0) })
    }

    @Test func aFileIsRepairedLineByLineAndCorrectTextIsLeftAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = "CafÃ© au lait\r\nplain ASCII stays\nTom &amp; Jerry\nâ€œquotedâ€\u{9D}\nnaïve “already fine”\n"
        try dir.write("in.txt", input)
        let r = try Self.run(["text", "repair", "in.txt"], in: dir.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text == "Café au lait\nplain ASCII stays\nTom & Jerry\n“quoted”\nnaïve “already fine”\n")
        #expect(r.stderr.isEmpty, "without --explain standard error stays quiet: \(r.stderr)")
    }

    @Test func standardInputInALegacyCharsetWithExplain() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let french = "Le café de la gare ouvre à sept heures et les élèves prennent un thé près de la fenêtre.\n"
            + "Où est la clé du vélo ? Personne ne l'a trouvée depuis l'été dernier, déjà.\n"
        let r = try Self.run(["text", "repair", "--explain", "-"], stdin: try Self.cp1252(french), in: dir.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text == french, "windows-1252 bytes in, UTF-8 out")
        let first = try #require(r.stderr.split(separator: "\n").first.map(String.init))
        #expect(first.hasPrefix("input: decoded: "), "\(r.stderr)")
        #expect(["windows-1252", "iso-8859-1", "iso-8859-15"].contains { first.contains($0) }, "\(first)")
        // No argument at all also reads standard input.
        let bare = try Self.run(["text", "repair", "--explain"], stdin: Array("CafÃ©\n".utf8), in: dir.url)
        #expect(bare.text == "Café\n")
        #expect(bare.stderr.contains("line 1: mojibake: utf-8 read as"), "\(bare.stderr)")
    }

    @Test func explainListsEachChangedLinesFixes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.txt", "ok\nCafÃƒÂ© twice\nzero\u{200B}width and bell\u{07}\ne\u{301}\n")
        let r = try Self.run(["text", "repair", "--explain", "in.txt"], in: dir.url)
        #expect(r.status == 0)
        #expect(r.text == "ok\nCafé twice\nzerowidth and bell\né\n")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            // The inner layer's bytes (C3 A9) read the same in Latin-1, which is tried first.
            "line 2: mojibake: utf-8 read as windows-1252; then utf-8 read as latin-1",
            "line 3: zero_width: 1; control_chars: 1",
            "line 4: nfc",
        ], "\(r.stderr)")
    }

    @Test func jsonlRepairsOneStringPerLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.jsonl", "\"CafÃ©\"\n\"clean\"\n{\"not\": \"a string\"}\n\"tab\\there \\u00e9\"\n")
        let r = try Self.run(["text", "repair", "--jsonl", "--explain", "in.jsonl"], in: dir.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text == "\"Café\"\n\"clean\"\n{\"not\": \"a string\"}\n\"tab\\there é\"\n")
        #expect(r.stderr.contains("line 3: not a JSON string; written unchanged"), "\(r.stderr)")
        #expect(r.stderr.contains("line 1: mojibake"), "\(r.stderr)")
    }

    @Test func undecodableLinesAreQuarantinedKeptOrReplacedAsAsked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Line 2 lost characters before we saw it (U+FFFD); line 3 is bytes no charset reads.
        let junk: [UInt8] = [0x81, 0x01, 0x8D, 0x02, 0xFF, 0x03, 0x9D]
        let input = Array("fine\nlost \u{FFFD} here\n".utf8) + junk + Array("\nlast\n".utf8)
        try dir.write("in.txt", Data(input))

        let q = try Self.run(["text", "repair", "in.txt"], in: dir.url)
        #expect(q.status == 65, "quarantined lines make the exit status 65: \(q.stderr)")
        #expect(q.text == "fine\nlast\n")
        #expect(q.stderr.contains("line 2: quarantined: holds U+FFFD"), "\(q.stderr)")
        #expect(q.stderr.contains("line 3: quarantined:"), "\(q.stderr)")

        let keep = try Self.run(["text", "repair", "--on-undecodable", "keep", "in.txt"], in: dir.url)
        #expect(keep.status == 0, "\(keep.stderr)")
        #expect(keep.stdout == input, "kept lines are written byte for byte")
        #expect(keep.stderr.contains("kept as it was"), "\(keep.stderr)")

        let replace = try Self.run(["text", "repair", "--on-undecodable", "replace", "in.txt"], in: dir.url)
        #expect(replace.status == 0, "\(replace.stderr)")
        let lines = replace.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5)
        #expect(lines[1] == "lost \u{FFFD} here")
        #expect(lines[2].contains("\u{FFFD}"), "replacement characters only where asked: \(lines[2].debugDescription)")
        #expect(String(validating: replace.stdout, as: UTF8.self) != nil, "replace writes valid UTF-8")
    }

    @Test func badArgumentsAndMissingFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = try Self.run(["text", "repair", "nope.txt"], in: dir.url)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nope.txt"))
        let bad = try Self.run(["text", "repair", "--on-undecodable", "guess", "-"], in: dir.url)
        #expect(bad.status == 64, "\(bad.stderr)")
        #expect(bad.stderr.contains("quarantine, keep or replace"), "\(bad.stderr)")
        let form = try Self.run(["text", "repair", "--unicode-form", "nfd", "-"], in: dir.url)
        #expect(form.status == 64)
        let empty = try Self.run(["text", "repair", "-"], stdin: [], in: dir.url)
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)
    }
}
