import Foundation
import SluiceTesting
import Testing

/// `sluice test PIPELINE` through the real binary.
@Suite struct PipelineTestCLITests {
    @Test(arguments: ["pipelines/quickstart.yaml", "pipelines/articles-schema.yaml", "pipelines/multiformat.yaml"])
    func samplePipelinesShipWithPassingTests(_ pipeline: String) throws {
        let r = try SluiceProcess.run(["test", pipeline], in: SharedFixtures.packageRoot)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" 0 failed"), "\(r.stdout)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
    }

    static let pipeline = TemporaryProject.pipeline(
        name: "t", stages: ["type: rename_fields\nfields:\n  /name: /title", "type: require_fields\nfields: [/title]"],
        outputs: ["type: jsonl\npath: out/docs.jsonl", "type: sqlite\npath: out/docs.db"], quarantine: "out/quarantine.jsonl")

    @Test func failuresAreReportedPerTestAndNothingIsWritten() throws {
        let dir = try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": "{\"id\": \"a1\", \"title\": \"x\"}\n"])
        defer { dir.remove() }
        try dir.write("pipeline.test.yaml", """
            tests:
              - name: renames and keeps numbers exactly
                inputs:
                  docs:
                    - {id: d1, name: "Kettle", n: 12345678901234567890}
                expect:
                  written:
                    - {/title: "Kettle", /n: 12345678901234567890}
                  quarantined: []
              - name: wrong expectations fail with the reasons
                inputs:
                  docs:
                    - {id: d2, title: "Kept"}
                    - {id: d3}
                expect:
                  written:
                    - {/title: "Other"}
                  quarantined: [schema_violation]
                  dropped: {duplicate: 1}
            """)
        let r = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("ok    renames and keeps numbers exactly"), "\(r.stdout)")
        #expect(r.stdout.contains("FAIL  wrong expectations fail with the reasons (pipeline.test.yaml:10)"), "\(r.stdout)")
        #expect(r.stdout.contains("/title: expected \"Other\", got \"Kept\""), "\(r.stdout)")
        #expect(r.stdout.contains("quarantined: expected schema_violation, not found"), "\(r.stdout)")
        #expect(r.stdout.contains("quarantined: unexpected missing_field (record d3)"), "\(r.stdout)")
        #expect(r.stdout.contains("dropped duplicate: expected 1, got 0"), "\(r.stdout)")
        #expect(r.stdout.contains("1 passed, 1 failed"), "\(r.stdout)")
        // No side effects: the pipeline's outputs, quarantine and state folder do not exist.
        #expect(!FileManager.default.fileExists(atPath: dir.path("out").path))
        #expect(!FileManager.default.fileExists(atPath: dir.path(".sluice").path))

        let only = try SluiceProcess.run(["test", "pipeline.yaml", "--filter", "renames"], in: dir.url)
        #expect(only.status == 0, "\(only.stdout)")
    }

    /// `sluice validate pipelines/*.yaml` checks test and credentials files as what they are.
    @Test func validateTakesAWholeFolder() throws {
        let files = ["pipelines/quickstart.yaml", "pipelines/quickstart.test.yaml", "pipelines/credentials.example.yaml"]
        let r = try SluiceProcess.run(["validate"] + files, in: SharedFixtures.packageRoot)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("pipelines/quickstart.test.yaml: ok (5 tests)"), "\(r.stdout)")
        #expect(r.stdout.contains("pipelines/credentials.example.yaml: ok (a credentials file)"), "\(r.stdout)")

        let dir = try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": ""])
        defer { dir.remove() }
        try dir.write("pipeline.test.yaml", "tests:\n  - name: x\n    inputs: {docs: []}\n    expect: {writen: []}\n")
        try dir.write("creds.yaml", "credentials:\n  api: {kind: bearer, secret: plain-text-secret, scopes: []}\n")
        let bad = try dir.sluice(["validate", "pipeline.test.yaml", "creds.yaml"])
        #expect(bad.status == 78, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stderr.contains("pipeline.test.yaml:4"), "\(bad.stderr)")
        #expect(bad.stderr.contains("creds.yaml:2"), "\(bad.stderr)")
    }

    @Test func badTestFilesAreRefusedWithTheirPlace() throws {
        let dir = try TemporaryProject(pipeline: Self.pipeline, files: ["data/a.jsonl": ""])
        defer { dir.remove() }
        let none = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(none.status == 66, "\(none.stderr)")
        try dir.write("pipeline.test.yaml", """
            tests:
              - name: typo
                inputs:
                  docs: [{id: 1}]
                expect:
                  writen: []
              - name: unknown input
                inputs:
                  nope: [{id: 1}]
                expect:
                  written_count: 0
            """)
        let bad = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(bad.status == 78, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stderr.contains("pipeline.test.yaml:6"), "\(bad.stderr)")
        #expect(bad.stderr.contains("unknown key 'writen'"), "\(bad.stderr)")
        try dir.write("pipeline.test.yaml", """
            tests:
              - name: unknown input
                inputs:
                  nope: [{id: 1}]
                expect:
                  written_count: 0
            """)
        let unknown = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("input 'nope' is not in the pipeline (it has docs)"), "\(unknown.stdout)")
    }

    @Test func testsInsideThePipelineRunWithTheSeparateFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("data/a.jsonl", "")
        try dir.write("pipeline.yaml", Self.pipeline + """

            tests:
              - name: inline renames
                inputs:
                  docs: [{id: d1, name: "Kettle"}]
                expect:
                  written: [{/title: "Kettle"}]
              - name: inline failure
                inputs:
                  docs: [{id: d2}]
                expect:
                  written_count: 1
            """)
        let inline = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(inline.status == 1, "\(inline.stdout)\(inline.stderr)")
        #expect(inline.stdout.contains("pipeline.yaml: 2 tests"), "\(inline.stdout)")
        #expect(inline.stdout.contains("ok    inline renames"), "\(inline.stdout)")
        #expect(inline.stdout.contains("FAIL  inline failure (pipeline.yaml:26)"), "\(inline.stdout)")

        try dir.write("pipeline.test.yaml", """
            tests:
              - name: from the file
                inputs:
                  docs: [{id: d3, title: "t"}]
                expect:
                  written_count: 1
            """)
        let both = try SluiceProcess.run(["test", "pipeline.yaml", "--filter", "e"], in: dir.url)
        #expect(both.stdout.contains("pipeline.test.yaml: 1 test"), "\(both.stdout)")
        #expect(both.stdout.contains("2 passed, 1 failed"), "\(both.stdout)")
        // `run` ignores the tests: section.
        let run = try SluiceProcess.run(["run", "pipeline.yaml"], in: dir.url)
        #expect(run.status == 0, "\(run.stderr)")

        // A malformed tests: section is refused with its place.
        try dir.write("pipeline.yaml", Self.pipeline + "\ntests:\n  - name: x\n    inputs: {docs: []}\n    expect: {writen: []}\n")
        let bad = try SluiceProcess.run(["test", "pipeline.yaml"], in: dir.url)
        #expect(bad.status == 78, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stderr.contains("unknown key 'writen'"), "\(bad.stderr)")
        // `sluice validate` checks the section too.
        let validate = try SluiceProcess.run(["validate", "pipeline.yaml"], in: dir.url)
        #expect(validate.status == 78, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stderr.contains("pipeline.yaml:"), "\(validate.stderr)")
        #expect(validate.stderr.contains("unknown key 'writen'"), "\(validate.stderr)")
    }
}
