import Foundation
import Logging
import SluiceConfig
import SluiceCore
import SluiceHTTP
import SluiceJSON
import SluiceTesting
import Testing

/// One pipeline (an `http` input into a `jsonl` output) run again and again against one state,
/// in virtual time, with the logs captured.
final class PipelineHarness: @unchecked Sendable {
    let dir: TemporaryDirectory
    let clock: VirtualTime
    let store = MemoryStateStore()
    let logs = LogCapture()
    var credentials: CredentialStore?
    let inputYAML: String

    struct Outcome {
        var exitStatus: Int32
        var summary: RunSummary?
        var error: SluiceError?
    }

    init(clock: VirtualTime, input: String, credentials: CredentialStore? = nil) throws {
        dir = try TemporaryDirectory(prefix: "sluice-http")
        self.clock = clock
        self.credentials = credentials
        inputYAML = input
    }

    var pipelineText: String {
        """
        name: http-test
        inputs:
        \(inputYAML.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        outputs:
          - type: jsonl
            path: out/records.jsonl
        limits: {batch_size: 7}
        """
    }

    func load() throws -> PipelineLoader.Result {
        let registry = try ComponentRegistry([.input(HTTPInput.self), .output(JSONLOutput.self)])
        let loader = PipelineLoader(registry: registry, environment: [:], credentials: credentials)
        return loader.load(text: pipelineText, displayPath: "http-test.yaml", file: dir.path("http-test.yaml"))
    }

    func run() async throws -> Outcome {
        let result = try load()
        guard let plan = result.plan, !result.hasErrors else {
            Issue.record("pipeline does not load: \(result.diagnostics.map(\.message))")
            return Outcome(exitStatus: ExitStatus.configInvalid.rawValue)
        }
        var options = PipelineRunner.Options()
        options.time = clock
        options.logger = logs.logger
        let store = self.store
        let runner = PipelineRunner(plan: plan, options: options) { _ in store }
        do {
            let s = try await runner.run()
            return Outcome(exitStatus: s.exitStatus, summary: s)
        } catch let e as SluiceError {
            return Outcome(exitStatus: e.status.rawValue, error: e)
        }
    }

    /// The ids written so far, in order, over every run.
    func writtenIDs() throws -> [String] {
        try lines("out/records.jsonl").compactMap { $0["_sluice"]?["id"]?.stringValue }
    }

    func lines(_ relative: String) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: dir.path(relative).path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    /// Every byte the run left behind that a person or program could read.
    func everythingWritten() -> String {
        var all = ""
        if let e = FileManager.default.enumerator(at: dir.url, includingPropertiesForKeys: nil) {
            for case let url as URL in e {
                if let d = FileManager.default.contents(atPath: url.path) { all += String(decoding: d, as: UTF8.self) }
            }
        }
        for ev in store.events { all += String(describing: ev) + (ev.details.map { JSONWriter.string($0) } ?? "") }
        for (_, v) in store.stored { all += JSONWriter.string(v) }
        for r in store.runs { all += String(describing: r) }
        all += logs.text
        return all
    }

    var httpCheckpoint: JSONValue? { store.stored["input:items"] }
}

/// A log handler that keeps every message and its metadata.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var logger: Logger {
        var l = Logger(label: "test") { _ in CaptureHandler(capture: self) }
        l.logLevel = .trace
        return l
    }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        capture.append("\(level) \(message) \(self.metadata.merging(metadata ?? [:]) { $1 })")
    }
}
