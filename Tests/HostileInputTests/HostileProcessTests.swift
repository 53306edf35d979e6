import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceTesting
import Synchronization
import Testing

/// The process around the data: batches bounded in bytes, and what the CLI prints and exits with
/// for hostile or careless invocations (issue 21, items 7 and 10).
@Suite struct HostileProcessTests {
    /// Runs the pipeline in-process and returns the ledger's `received` after each batch.
    private func batchEnds(limits: [String], records: Int, bytesEach: Int) async throws -> [Int] {
        let p = try HostilePipeline()
        defer { p.remove() }
        let filler = String(repeating: "x", count: bytesEach)
        try p.write("a.jsonl", (0..<records).map { "{\"n\":\($0),\"s\":\"\(filler)\"}\n" }.joined())
        let file = try p.dir.write("pipeline.yaml", p.pipeline(limits: limits))
        let plan = try #require(try SluiceEngine.loader(environment: [:]).load(file: file).plan)
        let ends = Mutex<(batches: Int, received: [Int])>((0, []))
        var options = PipelineRunner.Options()
        options.progress = { progress in
            // The first report after each batch was delivered (reading goes on meanwhile).
            ends.withLock { e in
                guard progress.batches > e.batches else { return }
                e.batches = progress.batches
                if e.received.last != progress.ledger.received { e.received.append(progress.ledger.received) }
            }
        }
        let summary = try await SluiceEngine.runner(plan: plan, options: options).run()
        #expect(summary.ledger.written == records)
        return ends.withLock { $0.received }
    }

    /// 3 KB records and `max_batch_bytes: 5000`: each batch ends once it holds 5000 bytes or
    /// more, so after two records, whatever `batch_size` allows.
    @Test func batchesAreCutByBytesAsWellAsRecords() async throws {
        #expect(try await batchEnds(limits: ["max_batch_bytes: 5000"], records: 9, bytesEach: 3000) == [2, 4, 6, 8, 9])
        #expect(try await batchEnds(limits: [], records: 9, bytesEach: 3000) == [9])
        #expect(try await batchEnds(limits: ["max_batch_bytes: 5000", "batch_size: 1"], records: 3, bytesEach: 3000) == [1, 2, 3])
        // A record larger than the whole budget still makes a batch of its own.
        #expect(try await batchEnds(limits: ["max_batch_bytes: 100"], records: 3, bytesEach: 3000) == [1, 2, 3])
    }

    /// SIGTERM (asked for here as the CLI's handler does) stops the run between batches: what was
    /// committed stays, the run ends `interrupted` with exit 143, balanced, and the next run
    /// writes the rest and no record twice.
    @Test func aStopRequestEndsTheRunBetweenBatchesAndTheNextRunResumes() async throws {
        let p = try HostilePipeline()
        defer { p.remove() }
        try p.write("a.jsonl", (0..<10).map { "{\"n\":\($0)}\n" }.joined())
        let file = try p.dir.write("pipeline.yaml", p.pipeline(limits: ["batch_size: 2"]))
        let plan = try #require(try SluiceEngine.loader(environment: [:]).load(file: file).plan)
        let asked = Mutex(0)
        var options = PipelineRunner.Options()
        options.stopRequested = { asked.withLock { $0 += 1; return $0 > 2 ? 15 : nil } }  // after two batches
        let first = try await SluiceEngine.runner(plan: plan, options: options).run()
        #expect(first.status == "interrupted")
        #expect(first.exitStatus == 143)
        #expect(first.balanced)
        #expect(first.ledger.written == 4)
        #expect(first.problems.contains { $0.contains("signal 15") })
        #expect(try p.lines("out/records.jsonl").map { $0["n"] } == [0, 1, 2, 3])

        let second = try await SluiceEngine.runner(plan: plan, options: PipelineRunner.Options()).run()
        #expect(second.status == "succeeded")
        #expect(second.ledger.written == 6)
        #expect(try p.lines("out/records.jsonl").map { $0["n"] } == (0..<10).map { Optional(JSONValue(integerLiteral: $0)) })
    }

    @Test func maxBatchBytesMustBePositive() throws {
        let text = "name: b\ninputs:\n  - {name: docs, type: file, paths: data/*}\noutputs:\n  - {name: out, type: jsonl, path: out/r.jsonl}\nlimits:\n  max_batch_bytes: 0\n"
        let result = try SluiceEngine.loader(environment: [:]).load(text: text, displayPath: "b.yaml", file: nil)
        #expect(result.plan == nil)
        #expect(result.diagnostics.contains { $0.path.hasSuffix("max_batch_bytes") })
    }

    /// `sluice` with no subcommand is a usage error, so a cron line missing it does not pass.
    @Test func bareSluiceExits64WithUsage() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-bare")
        defer { dir.remove() }
        let r = try SluiceProcess.run([], in: dir.url)
        #expect(r.status == 64)
        #expect(r.stderr.contains("USAGE"))
        #expect(r.stderr.contains("no subcommand"))
        #expect(r.stdout.isEmpty)
    }

    /// A 200 KB line in a pipeline file is shown cut around the problem, not echoed whole, and a
    /// long name inside a message is cut too.
    @Test(arguments: [
        ("bogus: \"" + String(repeating: "v", count: 200_000) + "\"", "p.yaml:2:1:", false),  // unknown key, huge value
        (String(repeating: "k", count: 200_000) + ": 1", "p.yaml:2:", false),  // a key too long for YAML
        (String(repeating: "k", count: 1_000) + ": 1", "p.yaml:2:1:", true),  // unknown key named at length
    ])
    func aHugeYAMLLineIsNotEchoedWhole(line: String, place: String, clippedMessage: Bool) throws {
        let dir = try TemporaryDirectory(prefix: "sluice-longline")
        defer { dir.remove() }
        try dir.write("p.yaml", "name: long\n\(line)\ninputs: []\noutputs: []\n")
        let r = try SluiceProcess.run(["validate", "p.yaml"], in: dir.url)
        #expect(r.status == 78)
        #expect(r.stderr.contains(place))
        #expect(r.stderr.utf8.count < 4_000, "\(r.stderr.prefix(600))")
        #expect(r.stderr.contains("…"))
        if clippedMessage { #expect(r.stderr.contains("more characters")) }
    }
}
