import Foundation
public import SluiceCore
import SluiceJSON

/// Runs one `PipelineTestSuite.Case` against a pipeline, with no effect on its outputs or state.
///
/// The pipeline's stages run as built from the file (the code under test); its inputs yield the
/// test's records, its outputs are replaced by in-memory sinks, the state is a
/// `MemoryStateStore`, and the lock and quarantine file live in a temporary folder removed
/// afterwards. Nothing is written where the pipeline would write.
public enum PipelineTestRunner {
    public struct Result: Sendable {
        public var name: String
        /// Why the case failed, in words; empty when it passed.
        public var failures: [String]
        public var summary: RunSummary?
        public var passed: Bool { failures.isEmpty }
    }

    /// `options` supplies the logger and clock; its run id and dry-run setting are replaced.
    public static func run(_ plan: PipelinePlan, _ c: PipelineTestSuite.Case, options given: PipelineRunner.Options = .init()) async -> Result {
        var failures: [String] = []
        let known = Set(plan.inputs.map(\.name))
        for (name, _) in c.inputs where !known.contains(name) {
            failures.append("input '\(name)' is not in the pipeline (it has \(plan.inputs.map(\.name).joined(separator: ", ")))")
        }
        if !failures.isEmpty { return Result(name: c.name, failures: failures) }

        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString.prefix(12))")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let sink = CaptureOutput.Sink()
        var p = plan
        p.stateDirectory = tmp.appendingPathComponent("state")
        p.quarantinePath = tmp.appendingPathComponent("quarantine.jsonl")
        p.quarantineKeepsOriginal = true
        p.inputs = plan.inputs.map { i -> PipelinePlan.Named<any Input> in
            let records = c.inputs.first { $0.name == i.name }?.records ?? .init(values: [], idField: JSONPointer(tokens: ["id"]))
            return PipelinePlan.Named<any Input>(name: i.name, type: i.type, component: TestInput(name: i.name, records: records))
        }
        p.outputs = plan.outputs.enumerated().map { k, o -> PipelinePlan.Named<any Output> in
            PipelinePlan.Named<any Output>(name: o.name, type: o.type, component: CaptureOutput(sink: k == 0 ? sink : CaptureOutput.Sink()))
        }
        var options = given
        options.runID = "test"
        options.dryRun = false
        let summary: RunSummary
        do {
            summary = try await PipelineRunner(plan: p, options: options) { _ in MemoryStateStore() }.run()
        } catch {
            return Result(name: c.name, failures: ["the run stopped: \(error)"])
        }
        let quarantined = ((try? QuarantineLog.read(p.quarantinePath).entries) ?? [])
        failures += check(c, written: plan.outputs.isEmpty ? nil : sink.records, quarantined: quarantined, summary: summary)
        return Result(name: c.name, failures: failures, summary: summary)
    }

    static func check(_ c: PipelineTestSuite.Case, written: [Record]?, quarantined: [QuarantineEntry], summary: RunSummary) -> [String] {
        var f: [String] = []
        let w = written?.count ?? summary.ledger.written
        if let n = c.writtenCount, n != w { f.append("written: expected \(n) records, got \(w)") }
        if let expected = c.written {
            if expected.count != w { f.append("written: expected \(expected.count) records, got \(w)") }
            for (i, fields) in expected.enumerated() {
                guard let records = written, i < records.count else { break }
                for (text, pointer, value) in fields {
                    let actual = pointer.get(in: records[i].value)
                    if actual != value {
                        f.append("written[\(i)] (id \(records[i].id)) \(text): expected \(JSONWriter.string(value)), got \(actual.map { JSONWriter.string($0) } ?? "nothing")")
                    }
                }
            }
        }
        if let expected = c.quarantined {
            var left = quarantined
            var missing: [String] = []
            for e in expected {
                if let k = left.firstIndex(where: { $0.code == e.code && (e.recordID == nil || $0.recordID == e.recordID)
                    && (e.pointer == nil || $0.json["pointer"]?.stringValue == e.pointer) }) {
                    left.remove(at: k)
                } else {
                    missing.append(e.code + (e.recordID.map { " (record \($0))" } ?? ""))
                }
            }
            if !missing.isEmpty { f.append("quarantined: expected \(missing.joined(separator: ", ")), not found") }
            if !left.isEmpty {
                f.append("quarantined: unexpected " + left.map { "\($0.code) (record \($0.recordID ?? "?")): \($0.message)" }.joined(separator: "; "))
            }
        }
        if let expected = c.dropped {
            for reason in Set(expected.keys).union(summary.dropReasons.keys).sorted() {
                let e = expected[reason] ?? 0, a = summary.dropReasons[reason] ?? 0
                if e != a { f.append("dropped \(reason): expected \(e), got \(a)") }
            }
        }
        if let expected = c.ledger {
            let l = summary.ledger
            let actual = Dictionary(uniqueKeysWithValues: RunLedger.Term.allCases.map { ($0.rawValue, l[$0]) })
            for (k, v) in expected.sorted(by: { $0.key < $1.key }) {
                guard let a = actual[k] else { f.append("ledger: no term '\(k)'"); continue }
                if a != v { f.append("ledger \(k): expected \(v), got \(a)") }
            }
        }
        return f
    }
}

/// An input yielding a test's records.
struct TestInput: Input {
    static let descriptor = ComponentDescriptor(kind: .input, name: "test_records", summary: "A test's records (used by `sluice test`).", fields: [])
    let name: String
    let records: PipelineTestSuite.InputRecords

    init(name: String, records: PipelineTestSuite.InputRecords) {
        self.name = name
        self.records = records
    }

    init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("invalid_value", "the test_records input is made by `sluice test`, not by pipelines", at: nil)
    }

    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource {
        let rs = records.values.enumerated().map { i, v -> Record in
            let id = records.idField.get(in: v).flatMap { $0.stringValue ?? $0.numberValue?.text } ?? "\(name)#\(i)"
            let bytes = JSONWriter.bytes(v)
            return Record(id: id, value: v, provenance: Provenance(input: name, uri: records.uri ?? "test:\(name)", locator: Locator(index: i),
                                                                   sha256: ContentHash.sha256Hex(bytes), charset: records.charset))
        }
        return ReplayInput.Source(rs)
    }
}

/// An output that keeps what it is given in memory.
struct CaptureOutput: Output {
    static let descriptor = ComponentDescriptor(kind: .output, name: "capture", summary: "Keeps records in memory (used by `sluice test`).", fields: [])
    final class Sink: OutputWriter, Sendable {
        private let kept = Locked<[Record]>([])
        var records: [Record] { kept.current }
        func write(_ records: [Record]) throws { kept.withLock { $0 += records } }
        func commit() throws -> Checkpoint? { nil }
        func finish() throws {}
        var destination: String { "memory" }
    }
    let sink: Sink

    init(sink: Sink) { self.sink = sink }

    init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("invalid_value", "the capture output is made by `sluice test`, not by pipelines", at: nil)
    }

    func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter { sink }
}
