import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceStore

/// `sluice audit archive`: old rows out of the log into a signed, compressed file; the chain continues.
struct AuditArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Move audit rows older than a date into a compressed, signed archive file.",
        discussion: """
            Moves every row written before --before, up to the last seal before it (the newest \
            batch always stays), into FILE: gzip-compressed JSONL ending with a record signed with \
            the audit key (seq range, the hash the rows continue from, the last row's hash, count, \
            SHA-256). The log keeps the signed record, so its chain continues from the archive and \
            `sluice audit verify --archive FILE...` checks archives and log end to end. Archived rows \
            no longer appear in query, trace or export (read them with zcat). Takes the pipeline's \
            run lock: it does not run while a run does. See docs/compliance.md, "Retention".
            Example:
              sluice audit archive pipelines/nightly.yaml --before 2026-01-01 --to /archive/nightly-2025.jsonl.gz
            Exit status: 0, 66 nothing to archive or no key, 73 the file cannot be written, 75 a run holds the lock.
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "Archive rows written before this time (RFC 3339, or a date YYYY-MM-DD, UTC).") var before: String
    @Option(help: "The archive file to create (it must not exist).") var to: String
    @Option(help: "The secret audit key file (default: SLUICE_AUDIT_KEY, the pipeline's audit.key_file, else <state>/audit.key).") var key: String?

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        let date = try AuditFilterOptions.date(before, "--before")
        let target = URL(fileURLWithPath: to)
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw ValidationError("\(to) exists: an archive is never overwritten")
        }
        var settings = AuditSettings.fromEnvironment(stateDirectory: place.stateDirectory, plan: place.audit)
        if let key { settings.keyFile = URL(fileURLWithPath: key) }
        let dbPath = place.stateDirectory.appendingPathComponent("state.db").path
        guard FileManager.default.fileExists(atPath: dbPath) else {
            ErrorReport.failure("no state DB at \(dbPath)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        do {
            let lock = try RunLock(directory: place.stateDirectory)
            defer { withExtendedLifetime(lock) {} }
            let db = try StateDatabase(path: dbPath, audit: settings)
            let r = try db.archiveAudit(before: date, to: target, codec: AuditGzip.codec)
            print("archived seqs \(r.firstSeq)…\(r.lastSeq) (\(r.rows) rows) to \(to); the log now starts at seq \(r.lastSeq + 1)")
        } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
    }
}
