import Foundation
import SluiceTesting
import Testing

/// `sluice credentials check`, `validate --credentials` and `run --credentials` on the real binary.
/// Nothing here reaches a network: every request is denied before it is sent.
@Suite struct CredentialsCLITests {
    func project(scope: String) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("pipeline.yaml", """
            name: api
            inputs:
              - name: items
                type: http
                url: http://127.0.0.1:9/v1/items
                records: /data
                credential: api
            outputs:
              - type: jsonl
                path: out/items.jsonl
            """)
        try dir.write("credentials.yaml", """
            credentials:
              api:
                kind: bearer
                secret: env:SLUICE_CLI_TEST_TOKEN
                scopes: ["\(scope)"]
            """)
        // A credentials file readable by group or others is refused with 77 (see the test below).
        chmod(dir.path("credentials.yaml").path, 0o600)
        return dir
    }

    static let env = ["SLUICE_CLI_TEST_TOKEN": "CANARY-cli-0b7c"]

    @Test func checkListsNeededAndGrantedScopes() throws {
        let ok = try project(scope: "http:GET:http://127.0.0.1:9/v1/*")
        defer { ok.remove() }
        let r = try SluiceProcess.run(["credentials", "check", "pipeline.yaml", "--credentials", "credentials.yaml"], in: ok.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("needs http:GET:http://127.0.0.1:9/v1/items"), "\(r.stdout)")
        #expect(r.stdout.contains("granted by http:GET:http://127.0.0.1:9/v1/*"), "\(r.stdout)")

        let narrow = try project(scope: "http:GET:http://127.0.0.1:9/v2/*")
        defer { narrow.remove() }
        let d = try SluiceProcess.run(["credentials", "check", "pipeline.yaml"], in: narrow.url,
                                      environment: ["SLUICE_CREDENTIALS": narrow.path("credentials.yaml").path])
        #expect(d.status == 77, "\(d.stdout)\(d.stderr)")
        #expect(d.stdout.contains("NOT GRANTED"))
    }

    @Test func validateReportsUncoveredInputs() throws {
        let narrow = try project(scope: "http:GET:http://127.0.0.1:9/v2/*")
        defer { narrow.remove() }
        let r = try SluiceProcess.run(["validate", "pipeline.yaml", "--credentials", "credentials.yaml"], in: narrow.url)
        #expect(r.status == 77)
        #expect(r.stderr.contains("does not allow GET http://127.0.0.1:9/v1/items"), "\(r.stderr)")
    }

    @Test func runWithoutTheScopeExits77AndLeaksNothing() throws {
        let narrow = try project(scope: "http:GET:http://127.0.0.1:9/v2/*")
        defer { narrow.remove() }
        let r = try SluiceProcess.run(["run", "pipeline.yaml", "--credentials", "credentials.yaml", "--log-level", "trace"], in: narrow.url,
                                      environment: Self.env)
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("does not allow GET"))
        #expect(!(r.stdout + r.stderr).contains("CANARY"))
    }

    @Test func credentialsFileReadableByOthersExits77() throws {
        let ok = try project(scope: "http:GET:http://127.0.0.1:9/v1/*")
        defer { ok.remove() }
        chmod(ok.path("credentials.yaml").path, 0o644)
        let r = try SluiceProcess.run(["run", "pipeline.yaml", "--credentials", "credentials.yaml"], in: ok.url, environment: Self.env)
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("chmod 600"), "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("CANARY"))
    }

    /// A secret written into a pipeline is refused (78) without the CLI printing it: the
    /// diagnostic names the parameter and where it is, but carries no source line to echo.
    @Test func secretInPipelineIsRefusedWithoutPrintingIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("pipeline.yaml", """
            name: api
            inputs:
              - name: items
                type: http
                url: http://127.0.0.1:9/v1/items?access_token=CANARY-url-61f2
                query: {api_key: CANARY-query-61f2}
                headers: {X-Api-Key: CANARY-header-61f2}
                records: /data
            outputs:
              - type: jsonl
                path: out/items.jsonl
            """)
        for command in [["validate", "pipeline.yaml"], ["run", "pipeline.yaml"]] {
            let r = try SluiceProcess.run(command, in: dir.url)
            #expect(r.status == 78, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("kind: query") && r.stderr.contains("kind: header"), "\(r.stderr)")
            #expect(!(r.stdout + r.stderr).contains("CANARY"), "\(command) printed a secret: \(r.stderr)")
        }
    }
}
