import Foundation
import SluiceJSON
import SluiceTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sluice run --metrics`, the quarantine thresholds and `--dry-run`, through the real binary.
@Suite struct MetricsCLITests {
    static func pipeline(limits: [String] = []) -> String {
        TemporaryProject.pipeline(
            name: "demo", stages: ["name: need_title\ntype: require_fields\nfields: [/title]"],
            outputs: ["name: out\ntype: jsonl\npath: out/docs.jsonl"], quarantine: "out/quarantine.jsonl", limits: limits)
    }

    static let fourRecords = """
        {"id": "a1", "title": "First"}
        {"id": "a2", "body": "no title"}
        {"id": "a3", "title": "Third"
        {"id": "a4", "title": "Fourth"}

        """

    func project() throws -> TemporaryProject {
        try TemporaryProject(pipeline: Self.pipeline(), files: ["data/a.jsonl": Self.fourRecords])
    }

    func metrics(_ dir: TemporaryProject, _ name: String = "metrics/demo.prom") throws -> PrometheusText {
        try PrometheusText(dir.text(name))
    }

    @Test func metricsFileParsesAndItsNumbersEqualTheSummary() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["run", "pipeline.yaml", "--metrics", "metrics/demo.prom", "--summary", "summary.json"])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try metrics(dir)
        let s = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("summary.json"))))

        for name in m.order {
            let f = try #require(m.families[name])
            #expect(name.hasPrefix("sluice_"))
            #expect(f.type == "gauge", "\(name)")
            #expect(!(f.help ?? "").isEmpty, "\(name) has no HELP")
            #expect(!name.hasSuffix("_total"), "\(name): _total is for counters")
        }
        let p = ["pipeline": "demo"]
        for outcome in ["received", "derived", "written", "quarantined", "dropped", "deferred", "forked"] {
            let expected = try #require(s["ledger"]?[outcome]?.numberValue?.intValue)
            #expect(m.value("sluice_last_run_records", p.merging(["outcome": outcome]) { $1 }) == Double(expected), "\(outcome)")
        }
        #expect(m.value("sluice_last_run_records", ["outcome": "written"]) == 2)
        #expect(m.value("sluice_last_run_quarantined_records", ["reason": "missing_field"]) == 1)
        #expect(m.value("sluice_last_run_quarantined_records", ["reason": "malformed"]) == 1)
        #expect(m.value("sluice_last_run_input_records", ["input": "docs", "outcome": "received"]) == 4)
        #expect(m.value("sluice_last_run_output_records", ["output": "out", "type": "jsonl"]) == 2)
        #expect(m.value("sluice_last_run_stage_records", ["stage": "need_title", "outcome": "quarantined"]) == 1)
        #expect(m.value("sluice_last_run_stage_cpu_seconds", ["stage": "need_title", "type": "require_fields"]) != nil)
        #expect(m.value("sluice_last_run_status", ["status": "succeeded"]) == 1)
        #expect(m.value("sluice_last_run_status", ["status": "degraded"]) == 0)
        #expect(m.value("sluice_last_run_exit_code") == 0)
        #expect(m.value("sluice_last_run_ledger_balanced") == 1)
        let duration = try #require(s["duration_secs"]?.numberValue?.doubleValue)
        #expect(m.value("sluice_last_run_duration_seconds") == duration)
        let finished = try #require(m.value("sluice_last_run_timestamp_seconds"))
        #expect(m.value("sluice_last_success_timestamp_seconds") == finished)
        let started = try #require(m.value("sluice_last_run_start_timestamp_seconds"))
        #expect(started <= finished && abs(finished - Date().timeIntervalSince1970) < 3600)
        // Nothing but the file itself is left in the folder (no temporary sibling).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("metrics").path) == ["demo.prom"])
    }

    @Test func thresholdsExit65KeepGoodRecordsAndLastSuccess() throws {
        let dir = try TemporaryProject(pipeline: Self.pipeline(limits: ["max_quarantined: 5"]),
                                       files: ["data/a.jsonl": "{\"id\": \"ok1\", \"title\": \"Fine\"}\n"])
        defer { dir.remove() }
        let first = try dir.sluice(["run", "pipeline.yaml", "--metrics", "demo.prom"])
        #expect(first.status == 0, "\(first.stderr)")
        let success = try #require(try metrics(dir, "demo.prom").value("sluice_last_success_timestamp_seconds"))

        // max_quarantined: 1 and two bad records: 65, the good ones still written, the bad quarantined.
        try dir.write("pipeline.yaml", Self.pipeline(limits: ["max_quarantined: 1"]))
        try dir.write("data/b.jsonl", Self.fourRecords)
        let second = try dir.sluice(["run", "pipeline.yaml", "--metrics", "demo.prom"])
        #expect(second.status == 65, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("max_quarantined 1"), "\(second.stdout)")
        let out = try dir.text("out/docs.jsonl")
        #expect(out.split(separator: "\n").count == 3)
        #expect(try dir.text("out/quarantine.jsonl").split(separator: "\n").count == 2)
        let m = try metrics(dir, "demo.prom")
        #expect(m.value("sluice_last_run_status", ["status": "degraded"]) == 1)
        #expect(m.value("sluice_last_run_exit_code") == 65)
        // The last success is the first run's end (the state DB keeps milliseconds).
        let kept = try #require(m.value("sluice_last_success_timestamp_seconds"))
        #expect(abs(kept - success) < 0.002)
        #expect(try #require(m.value("sluice_last_run_timestamp_seconds")) > kept)

        // max_quarantine_ratio: 2 of 4 is 50 %, over 25 %.
        try dir.write("pipeline.yaml", Self.pipeline(limits: ["max_quarantine_ratio: 0.25"]))
        try dir.write("data/c.jsonl", Self.fourRecords.replacingOccurrences(of: "\"a", with: "\"c"))
        let third = try dir.sluice(["run", "pipeline.yaml"])
        #expect(third.status == 65, "\(third.stdout)\(third.stderr)")
        #expect(third.stdout.contains("max_quarantine_ratio 25.0%"), "\(third.stdout)")
        #expect(try dir.text("out/docs.jsonl").split(separator: "\n").count == 5)
    }

    @Test func dryRunWritesNoOutputsAndNoState() throws {
        let dir = try project()
        defer { dir.remove() }
        let r = try dir.sluice(["run", "pipeline.yaml", "--dry-run", "--summary", "summary.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("out").path))
        #expect(!FileManager.default.fileExists(atPath: dir.path(".sluice").path))
        let s = try JSONParser.parse([UInt8](Data(contentsOf: dir.path("summary.json"))))
        #expect(s["status"] == "dry_run")
        #expect(s["ledger"]?["received"] == 4)
        #expect(s["ledger"]?["quarantined"] == 2)
        // A real run afterwards still sees every record as new.
        let real = try dir.sluice(["run", "pipeline.yaml"])
        #expect(real.stdout.contains("received 4 = written 2"), "\(real.stdout)")
    }

    @Test func heldLockExits75AndLeavesTheMetricsFileAlone() throws {
        let dir = try project()
        defer { dir.remove() }
        try dir.write("demo.prom", "# previous run's file\n")
        try FileManager.default.createDirectory(at: dir.path(".sluice/demo"), withIntermediateDirectories: true)
        let fd = open(dir.path(".sluice/demo/lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let r = try dir.sluice(["run", "pipeline.yaml", "--metrics", "demo.prom"])
        #expect(r.status == 75, "\(r.stderr)")
        #expect(try dir.text("demo.prom") == "# previous run's file\n")
    }

    @Test func failedRunReplacesMetricsWithItsExitCode() throws {
        let dir = try project()
        defer { dir.remove() }
        // A folder where the output file should be: the pipeline is valid (a path below a file
        // would be caught by validation, before any run), the run fails opening its output.
        try FileManager.default.createDirectory(at: dir.path("out/docs.jsonl"), withIntermediateDirectories: true)
        let r = try dir.sluice(["run", "pipeline.yaml", "--metrics", "demo.prom"])
        #expect(r.status != 0)
        #expect(!r.stderr.contains("Error Domain"), "\(r.stderr)")
        let m = try metrics(dir, "demo.prom")
        #expect(m.value("sluice_last_run_exit_code") == Double(r.status), "\(r.stderr)")
        #expect(m.value("sluice_last_run_status", ["status": "failed"]) == 1)
        #expect(m.families["sluice_last_success_timestamp_seconds"]?.samples.isEmpty == true, "no run ever succeeded")
    }

    /// A reader polling the file while runs replace it only ever sees a whole file.
    @Test func metricsFileIsNeverSeenHalfWritten() throws {
        let dir = try project()
        defer { dir.remove() }
        let path = dir.path("demo.prom").path
        let stop = Flag()
        let reader = Thread.detachedReader(path: path, stop: stop)
        for i in 0..<3 {
            try dir.write("data/n\(i).jsonl", "{\"id\": \"n\(i)\", \"title\": \"T\"}\n")
            let r = try dir.sluice(["run", "pipeline.yaml", "--metrics", "demo.prom"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        stop.set()
        let (reads, bad) = reader.wait()
        #expect(bad.isEmpty, "\(bad)")
        #expect(reads > 0)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

final class ReaderResult: @unchecked Sendable {
    var reads = 0
    var bad: [String] = []
    let done = DispatchSemaphore(value: 0)
    func wait() -> (Int, [String]) { done.wait(); return (reads, bad) }
}

extension Thread {
    static func detachedReader(path: String, stop: Flag) -> ReaderResult {
        let result = ReaderResult()
        Thread.detachNewThread {
            while !stop.isSet {
                if let data = FileManager.default.contents(atPath: path) {
                    result.reads += 1
                    let text = String(decoding: data, as: UTF8.self)
                    do {
                        let m = try PrometheusText(text)
                        if m.families["sluice_last_run_ledger_balanced"] == nil { result.bad.append("incomplete file") }
                    } catch {
                        result.bad.append("\(error)")
                    }
                }
                usleep(200)
            }
            result.done.signal()
        }
        return result
    }
}
