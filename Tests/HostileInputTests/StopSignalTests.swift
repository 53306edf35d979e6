import Foundation
import SluiceJSON
import SluiceTesting
import Testing

/// SIGTERM and SIGINT sent to a real `sluice run` (the built binary, a child process): the run
/// stops after the batch under way, exits 143 or 130, writes its summary (status `interrupted`)
/// and its log lines, and a rerun writes the rest, every record exactly once.
///
/// No timing is assumed: the signal is sent once the first batch is in the output, and the input
/// is large enough (600 batches of 5 records) that the run cannot end first; if it did, the
/// test fails saying so.
@Suite(.serialized) struct StopSignalTests {
    static let records = 3_000

    private static let pipeline = """
        name: stop
        inputs:
          - name: docs
            type: file
            paths: data/*.jsonl
        outputs:
          - name: out
            type: jsonl
            path: out/records.jsonl
            metadata: false
        quarantine:
          path: out/quarantine.jsonl
        limits:
          batch_size: 5

        """

    @Test(.enabled(if: SluiceProcess.executable != nil), arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func aSignalStopsTheRunAfterItsBatchAndARerunWritesTheRest(signal: Int32, expected: Int32) throws {
        let dir = try TemporaryDirectory(prefix: "sluice-signal")
        defer { dir.remove() }
        try dir.write("pipeline.yaml", Self.pipeline)
        try dir.write("data/a.jsonl", (0..<Self.records).map { "{\"n\":\($0)}\n" }.joined())
        let output = dir.path("out/records.jsonl")
        let stderr = dir.path("stderr.log")
        let run = try SluiceProcess.start(["run", "pipeline.yaml", "--summary", "summary.json", "--log-format", "json"],
                                          in: dir.url, stdout: dir.path("stdout.txt"), stderr: stderr)
        // Wait (bounded, not timed) until a batch is committed: its records are in the output.
        var endedEarly: Int32?
        for _ in 0..<12_000 where endedEarly == nil {
            if Self.size(output) > 0 { break }
            endedEarly = run.poll()
            usleep(5_000)
        }
        #expect(endedEarly == nil, "sluice ended (\(endedEarly ?? 0)) before a batch was written: \(Self.text(stderr))")
        guard endedEarly == nil else { return }
        run.send(signal)
        let status = run.wait()
        #expect(status == expected, "\(Self.text(stderr))")

        let summary = try JSONParser.parse(Array(try Data(contentsOf: dir.path("summary.json"))))
        #expect(summary["status"] == "interrupted")
        #expect(summary["exit_status"]?.numberValue?.intValue == Int(expected))
        #expect(summary["balanced"] == true)
        let written = summary["ledger"]?["written"]?.numberValue?.intValue ?? -1
        #expect(written > 0 && written < Self.records, "the run was not stopped part way: \(written) written")

        let logLines = Self.text(stderr).split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(logLines.contains { $0["message"] == "run stopped by a signal" && Self.integer($0["signal"]) == Int(signal) },
                "\(Self.text(stderr))")
        #expect(logLines.contains { $0["message"] == "run finished" && $0["status"] == "interrupted" })
        #expect(try Self.numbers(output).count == written)

        let rerun = try SluiceProcess.run(["run", "pipeline.yaml", "--quiet"], in: dir.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Self.numbers(output) == Array(0..<Self.records))
    }

    /// A log value that is a number, or a number's text (metadata may give either).
    private static func integer(_ value: JSONValue?) -> Int? {
        value?.numberValue?.intValue ?? value?.stringValue.flatMap { Int($0) }
    }

    private static func size(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
    }

    private static func text(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The `n` of every line of the output, in order.
    private static func numbers(_ url: URL) throws -> [Int] {
        try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse(Array($0))["n"]?.numberValue?.intValue ?? -1 }
    }
}
