import Foundation
import SluiceConfig
import SluiceCore
import SluiceStore
import Testing

extension PipelineHarness {
    /// The state folder the pipeline's runs use on disk (`runOnDisk`).
    var stateFolder: URL { dir.url.appendingPathComponent(".sluice/http-test") }
    var auditKeyFile: URL { dir.url.appendingPathComponent("audit.key") }

    /// Runs the pipeline with the real SQLite state DB and audit log (key in `audit.key`), as `sluice run` does.
    func runOnDisk() async throws -> Outcome {
        let result = try load()
        guard let plan = result.plan, !result.hasErrors else {
            Issue.record("pipeline does not load: \(result.diagnostics.map(\.message))")
            return Outcome(exitStatus: ExitStatus.configInvalid.rawValue)
        }
        var options = PipelineRunner.Options()
        options.time = clock
        options.logger = logs.logger
        let key = auditKeyFile
        let runner = PipelineRunner(plan: plan, options: options) { folder in
            try StateDatabase(path: folder.appendingPathComponent("state.db").path, audit: AuditSettings(keyFile: key))
        }
        do {
            let s = try await runner.run()
            return Outcome(exitStatus: s.exitStatus, summary: s)
        } catch let e as SluiceError {
            return Outcome(exitStatus: e.status.rawValue, error: e)
        }
    }

    /// Every audit row on disk, in order.
    func auditRows() throws -> [AuditRow] {
        var rows: [AuditRow] = []
        try AuditReader(stateDirectory: stateFolder).rows(AuditFilter()) { rows.append($0) }
        return rows
    }
}
