import Foundation
import Sluice
import SluiceConfig
import SluiceCore
import SluiceJSON
import SluiceMap
import SluiceTesting
import Testing

/// The `map` and `filter` stages driven through the YAML a user writes.
@Suite struct MapStageTests {
    static func load(_ stagesYAML: String) -> PipelineLoader.Result {
        let loader = PipelineLoader(registry: try! .withTestComponents(builtinComponents), environment: [:])
        return loader.load(text: "inputs: [{type: memory}]\noutputs: [{type: jsonl, path: x.jsonl}]\nstages:\n" + stagesYAML,
                           displayPath: "pipelines/x.yaml", file: URL(fileURLWithPath: "/tmp/pipelines/x.yaml"))
    }

    static func stages(_ yaml: String) throws -> [any Stage] {
        let r = load(yaml)
        let plan = try #require(r.plan, "\(r.diagnostics)")
        return plan.stages.map(\.component)
    }

    static func record(_ json: String, uri: String = "notes/art-x81k.txt") throws -> Record {
        Record(id: "r1", value: try JSONParser.parse(json),
               provenance: Provenance(input: "notes", uri: uri, locator: Locator(line: 4), sha256: ""))
    }

    @Test func mapReshapesAndNotesTheChangedPointers() throws {
        let stage = try Self.stages("""
              - type: map
                mapping: |
                  .id = %file_stem
                  .count = to_int!(.count)
                  .author = parse_name_email(.author) ?? null
                  del(.internal)

            """)[0]
        let outcome = try stage.process(try Self.record(#"{"count": "3", "author": "Ann Lee <ann@x.org>", "internal": 1}"#))
        guard case .pass(let r, let notes) = outcome else { Issue.record("pass expected: \(outcome)"); return }
        #expect(r.value == (try JSONParser.parse(#"{"count": 3, "author": {"name": "Ann Lee", "email": "ann@x.org"}, "id": "art-x81k"}"#)))
        #expect(notes == [StageNote(.transformed, details: ["set": ["/id", "/count", "/author"], "removed": ["/internal"]])])
        #expect(StageVerifier.verify(stage, records: [try Self.record(#"{"count": 1}"#), try Self.record(#"{"count": "2"}"#)]).isEmpty)
    }

    @Test func diagnosticsPointIntoTheBlockScalar() throws {
        let r = Self.load("""
              - type: map
                mapping: |
                  .a = 1
                  .x = to_integer(.y)
              - type: filter
                when: .a == uper(.b)

            """)
        #expect(r.plan == nil)
        let d = r.diagnostics.filter { $0.code == "map_unknown_function" }
        #expect(d.count == 2)
        // Line 1 holds the two top-level sections, "stages:" is line 3, the mapping starts on line 6.
        #expect(d.first?.location?.description == "pipelines/x.yaml:7:12")
        #expect(d.first?.message == "in 'mapping': unknown function 'to_integer'")
        #expect(d.first?.hint == "did you mean 'to_int'?")
        #expect(d.last?.location?.description == "pipelines/x.yaml:9:17")
        #expect(d.last?.hint == "did you mean 'upper'?")
    }

    @Test func aRuntimeFailureQuarantinesWithThePlaceInThePipelineFile() throws {
        let stage = try Self.stages("""
              - type: map
                mapping: |
                  .ok = true
                  .n = to_int!(.n)

            """)[0]
        let outcome = try stage.process(try Self.record(#"{"n": "many"}"#))
        guard case .quarantine(let f) = outcome else { Issue.record("quarantine expected: \(outcome)"); return }
        #expect(f.code == .mapError)
        #expect(f.message == "pipelines/x.yaml:7:12: to_int: the string is not an integer")
        #expect(f.pointer == "/n")
        #expect(f.details?["mapping_line"] == 2)
        #expect(!f.message.contains("many"), "record content never appears in errors")
    }

    @Test func filterDropsWithItsNameAndQuarantinesNonBooleans() throws {
        let stage = try Self.stages("  - type: filter\n    name: english\n    when: .lang == \"en\" && %kind == \"record\"\n")[0]
        guard case .pass = try stage.process(try Self.record(#"{"lang": "en"}"#)) else { Issue.record("pass expected"); return }
        guard case .drop(_, let reason) = try stage.process(try Self.record(#"{"lang": "de"}"#)) else { Issue.record("drop expected"); return }
        #expect(reason.code == "filtered")
        #expect(reason.details?["filter"] == "english")
        let loose = try Self.stages("  - type: filter\n    when: .flag\n")[0]
        guard case .quarantine(let f) = try loose.process(try Self.record(#"{"flag": "yes"}"#)) else { Issue.record("quarantine expected"); return }
        #expect(f.code == .mapError)
        #expect(Self.load("  - type: filter\n    when: length(.x)\n").diagnostics.contains { $0.code == "map_type_error" })
    }

    @Test func renameFieldsCreatesMissingParentsAndNotesTheMove() throws {
        let stage = try Self.stages("  - type: rename_fields\n    fields: {/name: /customer/name, /x: /title/deeper}\n")[0]
        let outcome = try stage.process(try Self.record(#"{"name": "Ann", "x": 1, "title": "text"}"#))
        guard case .pass(let r, let notes) = outcome else { Issue.record("pass expected"); return }
        #expect(r.value == (try JSONParser.parse(#"{"x": 1, "title": "text", "customer": {"name": "Ann"}}"#)))
        #expect(notes == [StageNote(.transformed, details: ["set": ["/customer/name"], "removed": ["/name"]])])
    }

    @Test func dropFieldsNotesWhatItRemoved() throws {
        let stage = try Self.stages("  - type: drop_fields\n    fields: [/email, /absent]\n")[0]
        guard case .pass(let r, let notes) = try stage.process(try Self.record(#"{"email": "a@b.c", "k": 1}"#)) else { Issue.record("pass expected"); return }
        #expect(r.value == ["k": 1])
        #expect(notes == [StageNote(.transformed, details: ["set": [], "removed": ["/email"]])])
        guard case .pass(_, let none) = try stage.process(try Self.record(#"{"k": 1}"#)) else { Issue.record("pass expected"); return }
        #expect(none.isEmpty)
    }

    @Test func nowComesFromTheRunClock() throws {
        struct Fixed: TimeSource {
            func now() -> Date { Date(timeIntervalSince1970: 0) }
            func uptime() -> Double { 0 }
            func sleep(seconds: Double) async throws {}
        }
        let stage = try Self.stages("  - type: map\n    mapping: .at = now()\n")[0]
        let dir = FileManager.default.temporaryDirectory
        try stage.begin(run: RunContext(runID: "r", pipeline: "p", startedAt: Date(), time: Fixed(), baseDirectory: dir, stateDirectory: dir),
                        state: EmptyStateReader())
        guard case .pass(let r, _) = try stage.process(try Self.record("{}")) else { Issue.record("pass expected"); return }
        #expect(r.value["at"] == "1970-01-01T00:00:00Z")
    }
}

final class EmptyStateReader: StageStateReader {
    func value(namespace: String, key: String) throws -> [UInt8]? { nil }
    func values(namespace: String, prefix: String) throws -> [(key: String, value: [UInt8])] { [] }
}
