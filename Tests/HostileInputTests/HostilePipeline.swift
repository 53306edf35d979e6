import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceTesting
import Testing

/// A project folder with a one-input pipeline (`type: file` over `data/*`), run in-process through
/// the real loader, file input, runner and SQLite state, as `sluice run` would.
struct HostilePipeline {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory(prefix: "sluice-hostile") }

    func remove() { dir.remove() }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL { try dir.write("data/" + relative, text) }
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> URL { try dir.write("data/" + relative, Data(bytes)) }

    /// The pipeline text: `input` lines are further keys of the file input (two-space indented
    /// under it), `stages` lines go under `stages:` (with their dashes), `limits` lines under `limits:`.
    func pipeline(input: [String] = [], stages: [String] = [], limits: [String] = []) -> String {
        var lines = ["name: hostile", "inputs:", "  - name: docs", "    type: file", "    paths: data/*"]
        lines += input.map { "    " + $0 }
        if !stages.isEmpty { lines += ["stages:"] + stages.map { "  " + $0 } }
        lines += ["outputs:", "  - name: out", "    type: jsonl", "    path: out/records.jsonl", "    metadata: false",
                  "quarantine:", "  path: out/quarantine.jsonl"]
        if !limits.isEmpty { lines += ["limits:"] + limits.map { "  " + $0 } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads and runs the pipeline; returns the summary, the written records and the quarantine entries.
    func run(input: [String] = [], stages: [String] = [], limits: [String] = [], dryRun: Bool = false) async throws -> HostileOutcome {
        let file = try dir.write("pipeline.yaml", pipeline(input: input, stages: stages, limits: limits))
        let loaded = try SluiceEngine.loader(environment: [:]).load(file: file)
        let plan = try #require(loaded.plan, "the pipeline does not load: \(loaded.diagnostics.map(\.message))")
        var options = PipelineRunner.Options()
        options.dryRun = dryRun
        let summary = try await SluiceEngine.runner(plan: plan, options: options).run()
        return HostileOutcome(summary: summary, written: try lines("out/records.jsonl"), quarantined: try lines("out/quarantine.jsonl"))
    }

    /// Every line of a JSONL file under the project, parsed; none when the file is absent.
    func lines(_ relative: String) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: dir.path(relative).path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse(Array($0)) }
    }
}

struct HostileOutcome {
    var summary: RunSummary
    var written: [JSONValue]
    var quarantined: [JSONValue]

    /// The quarantine codes, in order.
    var codes: [String] { quarantined.compactMap { $0["code"]?.stringValue } }
    var messages: [String] { quarantined.compactMap { $0["message"]?.stringValue } }
    /// The quarantined records' ids, in order.
    var quarantinedIDs: [String] { quarantined.compactMap { $0["record_id"]?.stringValue } }

    /// The last quarantine entry is a reader's rest-of-file entry for a file of `fileBytes` bytes:
    /// its locator's byte starts the range it names, which runs to the end of the file, and it
    /// says the records in the range are unknown. Returns where the range starts, so a test can
    /// check that the records it kept cover the bytes before.
    func restOfFile(fileBytes: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int? {
        guard let entry = quarantined.last, let from = entry["locator"]?["byte"]?.numberValue?.intValue,
              let message = entry["message"]?.stringValue else {
            Issue.record("no rest-of-file entry with a byte offset: \(quarantined)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(message.contains("from byte \(from) to byte \(fileBytes) (the end of the file)"), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains("how many records it holds is unknown"), "\(message)", sourceLocation: sourceLocation)
        #expect(from <= fileBytes, sourceLocation: sourceLocation)
        return from
    }

    /// The ledger balances and every record received is in the output or the quarantine.
    func expectAccounted(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(summary.balanced, sourceLocation: sourceLocation)
        #expect(summary.ledger.received == written.count + quarantined.count + summary.ledger.dropped, sourceLocation: sourceLocation)
        #expect(summary.ledger.written == written.count, sourceLocation: sourceLocation)
        #expect(summary.ledger.quarantined == quarantined.count, sourceLocation: sourceLocation)
    }
}
