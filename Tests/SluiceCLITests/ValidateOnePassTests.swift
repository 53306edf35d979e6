import Foundation
import SluiceTesting
import Testing

/// `sluice validate` fixes a broken pipeline in one round: every problem of every component and
/// section at once, each once, at its line and column (issue 18).
@Suite struct ValidateOnePassTests {
    static let broken = """
        name: broken
        inputs:
          - name: docs
            type: file
            paths: nothing/*.jsonl
            formt: jsonl
            max_record_bytes: lots
        stages:
          - type: chunk
            max_size: 100
            overlap: 200
          - type: chunk
            name: chunk2
            max_size: 0
            overlap: 3
        outputs:
          - type: sqlite
            path: blocker/kb.db
            table: docs
        limits:
          batch_size: 0
          max_depth: deep

        """

    @Test func everyProblemOnceWithItsPlace() throws {
        let dir = try TemporaryProject(files: ["broken.yaml": Self.broken, "blocker": "a regular file, not a folder\n"])
        defer { dir.remove() }
        let r = try dir.sluice(["validate", "broken.yaml"])
        #expect(r.status == 78, "\(r.stderr)")
        let heads = r.stderr.split(separator: "\n").filter { $0.hasPrefix("broken.yaml:") }.map(String.init)
        let expected = [
            // Two in the same input; the input is still built, so its glob is checked too.
            "broken.yaml:5:12: warning: input 'docs': no file matches 'nothing/*.jsonl'",
            "broken.yaml:6:5: error: unknown option 'formt' in input 'docs'",
            "broken.yaml:7:23: error: option 'max_record_bytes' in input 'docs' must be an integer, not a string",
            // A cross-field rule of a component with no lint error.
            "broken.yaml:11:14: error: overlap must be smaller than max_size (100)",
            // A range error; the overlap rule, resting on the wrong max_size, is not guessed at.
            "broken.yaml:14:15: error: option 'max_size' in stage 'chunk2' must be at least 1, not 0",
            "broken.yaml:18:11: error: option 'path' in output 'sqlite' names 'blocker/kb.db', which cannot be created: ",
            // Both limits errors, the second not repeated.
            "broken.yaml:21:15: error: option 'batch_size' in 'limits' must be at least 1, not 0",
            "broken.yaml:22:14: error: option 'max_depth' in 'limits' must be an integer, not a string",
        ]
        #expect(heads.count == expected.count, "\(r.stderr)")
        for (head, want) in zip(heads, expected) {
            #expect(head.hasPrefix(want), "\(head)\n  expected: \(want)")
        }
        #expect(heads[5].hasSuffix("/blocker is a file, not a folder"), "\(heads[5])")
        #expect(r.stdout.contains("broken.yaml: 7 errors, 1 warning"), "\(r.stdout)")
        // The caret: under the key when the key is wrong, under the value when the value is.
        #expect(r.stderr.contains(" 6 |     formt: jsonl\n   |     ^~~~~\n"), "\(r.stderr)")
        #expect(r.stderr.contains(" 7 |     max_record_bytes: lots\n   |                       ^~~~\n"), "\(r.stderr)")

        // Fixed as told, the file passes in one round.
        let fixed = Self.broken
            .replacingOccurrences(of: "nothing/*.jsonl", with: "data/*.jsonl")
            .replacingOccurrences(of: "    formt: jsonl\n", with: "    format: jsonl\n")
            .replacingOccurrences(of: "max_record_bytes: lots", with: "max_record_bytes: 1000000")
            .replacingOccurrences(of: "overlap: 200", with: "overlap: 20")
            .replacingOccurrences(of: "max_size: 0", with: "max_size: 50")
            .replacingOccurrences(of: "blocker/kb.db", with: "out/kb.db")
            .replacingOccurrences(of: "batch_size: 0", with: "batch_size: 100")
            .replacingOccurrences(of: "max_depth: deep", with: "max_depth: 64")
        try dir.write("broken.yaml", fixed)
        try dir.write("data/a.jsonl", "{\"body\": \"text\"}\n")
        let again = try dir.sluice(["validate", "broken.yaml"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("broken.yaml: ok (1 input, 2 stages, 1 output)"), "\(again.stdout)")
    }

    @Test func aRunWithAnOutputBelowAFileSaysSoInWordsOfOurs() throws {
        let dir = try TemporaryProject(files: [
            "blocker": "a file\n", "data/a.jsonl": "{\"id\": 1}\n",
            "p.yaml": "inputs: [{type: file, paths: data/*.jsonl}]\noutputs: [{type: jsonl, path: blocker/out.jsonl}]\n",
        ])
        defer { dir.remove() }
        let r = try dir.sluice(["run", "p.yaml"])
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains("p.yaml:2:31: error: option 'path' in output 'jsonl' names 'blocker/out.jsonl', which cannot be created"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain") && !r.stderr.contains("Error Domain"), "\(r.stderr)")
    }
}
