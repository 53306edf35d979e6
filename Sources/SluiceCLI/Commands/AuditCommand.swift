import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceJSON
import SluiceStore

/// `sluice audit`: ask the audit trail questions and check that nobody altered it.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Query, trace, verify and export the tamper-evident audit trail.",
        discussion: """
            Every command except archive opens the state DB read-only. Name the pipeline file (its state folder is \
            .sluice/<name> next to it unless the pipeline says otherwise) or the state folder with --state.

            Examples:
              sluice audit verify pipelines/quickstart.yaml
              sluice audit trace pipelines/quickstart.yaml 'a1#3'
              sluice audit query pipelines/quickstart.yaml --event quarantined --since 2026-11-01
              sluice audit export --state .sluice/quickstart --run 20261130T130501Z-4f2a9c --format csv
              sluice audit stats pipelines/quickstart.yaml
              sluice audit public-key pipelines/quickstart.yaml > audit.pub
              sluice audit head pipelines/quickstart.yaml > head-2026-12-07.json
              sluice audit verify pipelines/quickstart.yaml --public-key audit.pub --expect-head head-2026-12-07.json

            See docs/compliance.md for what is recorded and how integrity is checked.
            """,
        subcommands: [AuditQueryCommand.self, AuditTraceCommand.self, AuditVerifyCommand.self,
                      AuditExportCommand.self, AuditStatsCommand.self, AuditHeadCommand.self, AuditPublicKeyCommand.self,
                      AuditVerifyExportCommand.self, AuditArchiveCommand.self])
}

/// Which state folder to read: a pipeline file or `--state DIR`.
struct AuditLocation: ParsableArguments {
    @Option(name: .long, help: "The state folder (holding state.db and digests/).", completion: .directory)
    var state: String?

    /// The state folder and the pipeline's `audit:` settings (the defaults with `--state`); the
    /// pipeline file is read once.
    func resolve(pipeline: String?) throws -> AuditPlace {
        if let state { return AuditPlace(stateDirectory: URL(fileURLWithPath: state), audit: AuditPlan()) }
        guard let pipeline else { throw ValidationError("name a pipeline file or give --state DIR") }
        let plan = try PipelineFile.load(pipeline, showWarnings: false)
        return AuditPlace(stateDirectory: plan.stateDirectory, audit: plan.audit)
    }
}

/// A resolved audit location: opens the log read-only and finds the key.
struct AuditPlace {
    let stateDirectory: URL
    let audit: AuditPlan

    func open() throws -> AuditReader {
        do { return try AuditReader(stateDirectory: stateDirectory) } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
    }

    /// The audit key: `--key`, `SLUICE_AUDIT_KEY`, the pipeline's `audit.key_file`, else
    /// `<state>/audit.key`; nil when absent.
    func key(_ explicit: String?) throws -> AuditKey? {
        let settings = AuditSettings.fromEnvironment(stateDirectory: stateDirectory, plan: audit)
        let url = explicit.map { URL(fileURLWithPath: $0) } ?? settings.keyFile
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try AuditKey.load(url, create: false) } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
    }
}

/// The filters shared by `query` and `export`.
struct AuditFilterOptions: ParsableArguments {
    @Option(help: "Only this record id.") var record: String?
    @Option(help: "Only this run id.") var run: String?
    @Option(help: "Only this input.") var input: String?
    @Option(help: "Only URIs matching this glob (* ? [...]).") var uri: String?
    @Option(help: "Only this event (received, quarantined, dropped, chunked, written, credential_used, ...).") var event: String?
    @Option(help: "Only this stage.") var stage: String?
    @Option(help: "Only this reason or outcome (missing_field, duplicate_of, ...).") var reason: String?
    @Option(help: "Only events of this credential (its name; needs the audit key), or its 32-hex fingerprint.") var credential: String?
    @Option(help: "From this time on (RFC 3339, or a date YYYY-MM-DD, UTC).") var since: String?
    @Option(help: "Before this time (RFC 3339, or a date YYYY-MM-DD, UTC).") var until: String?
    @Option(help: "At most this many rows.") var limit: Int?
    @Option(help: "Output: table, jsonl or csv (default: table on a terminal, jsonl otherwise).") var format: String?

    /// The filter, with the audit key read only when `--credential` names a credential.
    func filter(in place: AuditPlace, keyFile: String?) throws -> AuditFilter {
        try filter(key: credential == nil ? nil : place.key(keyFile))
    }

    func filter(key: AuditKey?) throws -> AuditFilter {
        var f = AuditFilter()
        f.recordID = record; f.runID = run; f.input = input; f.uriGlob = uri
        f.event = event; f.stage = stage; f.reason = reason; f.limit = limit
        f.since = try since.map { try AuditFilterOptions.date($0, "--since") }
        f.until = try until.map { try AuditFilterOptions.date($0, "--until") }
        if let credential {
            var fps: [String] = []
            if credential.count == 32, credential.allSatisfy(\.isHexDigit) { fps.append(credential.lowercased()) }
            if let key { fps.append(key.fingerprint(credential: credential)) }
            guard !fps.isEmpty else { throw ValidationError("--credential NAME needs the audit key (--key or SLUICE_AUDIT_KEY); or give the 32-hex fingerprint") }
            f.credentialFingerprints = fps
        }
        return f
    }

    func outputFormat() throws -> AuditOutput.Format {
        guard let format else { return Terminal.stdoutIsTTY ? .table : .jsonl }
        guard let f = AuditOutput.Format(rawValue: format) else { throw ValidationError("--format must be table, jsonl or csv") }
        return f
    }

    static func date(_ text: String, _ option: String) throws -> Date {
        if let d = Timestamp.date(text) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            f.dateFormat = pattern
            if let d = f.date(from: text) { return d }
        }
        throw ValidationError("\(option) must be an RFC 3339 time or a date YYYY-MM-DD")
    }
}

struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "List audit events matching filters (read-only).",
        discussion: """
            Examples:
              sluice audit query pipelines/quickstart.yaml --record a2
              sluice audit query pipelines/quickstart.yaml --event quarantined --reason missing_field --format csv
              sluice audit query pipelines/quickstart.yaml --uri 'samples/pages/*' --since 2026-11-30T00:00:00Z
            Exit status: 0 (also when nothing matches), 66 no state DB, 64 bad option.
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @OptionGroup var filters: AuditFilterOptions
    @Option(help: "The audit key file (for --credential NAME).") var key: String?

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        try AuditOutput.rows(try place.open(), filter: try filters.filter(in: place, keyFile: key), format: try filters.outputFormat())
    }
}

struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a run or a time range of the audit log as JSONL or CSV, with hashes.",
        discussion: """
            Every column is exported, including prev_hash and hash, so the export can be checked \
            against the chain later. Give --run, or --since/--until, or nothing for the whole log. \
            With --manifest FILE, also writes a manifest signed with the audit key (rows' count and \
            seq range, SHA-256 of the file and of each block of 1024 rows): hand both to an auditor, \
            who checks them offline with `sluice audit verify-export` and the public key.
            Examples:
              sluice audit export pipelines/quickstart.yaml --run 20261130T130501Z-4f2a9c > run.jsonl
              sluice audit export --state .sluice/quickstart --since 2026-11-01 --until 2026-12-01 --format csv > november.csv
              sluice audit export pipelines/quickstart.yaml --since 2026-11-01 --until 2026-12-01 --manifest november.manifest.json > november.jsonl
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @OptionGroup var filters: AuditFilterOptions
    @Option(help: "The audit key file (for --credential NAME and --manifest).") var key: String?
    @Option(help: "Also write a signed manifest of the export to this file (needs the secret audit key).") var manifest: String?

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        var format = try filters.outputFormat()
        if format == .table { format = filters.format == nil ? .jsonl : .table }
        guard let manifest else {
            try AuditOutput.rows(try place.open(), filter: try filters.filter(in: place, keyFile: key), format: format)
            return
        }
        guard format != .table else { throw ValidationError("--manifest needs --format jsonl or csv") }
        guard let k = try place.key(key) else {
            ErrorReport.failure("--manifest needs the secret audit key (give --key or SLUICE_AUDIT_KEY)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        var hasher = AuditExportHasher()
        try AuditOutput.exportRows(try place.open(), filter: try filters.filter(key: k), format: format, hasher: &hasher)
        let m = try AuditExportManifest.signed(hasher, rowFormat: format.rawValue, filter: AuditOutput.filterJSON(filters), at: Date(), key: k)
        do { try m.fileText.write(toFile: manifest, atomically: true, encoding: .utf8) } catch {
            ErrorReport.failure("cannot write the manifest \(manifest): \(SystemError.text(error))")
            throw ExitCode(ExitStatus.cannotCreateOutput.rawValue)
        }
    }
}

struct AuditTraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "The lineage of a record or chunk: source file and bytes, every stage, credentials, outputs.",
        discussion: """
            Examples:
              sluice audit trace pipelines/quickstart.yaml 'a1#3'
              sluice audit trace --state .sluice/quickstart a1 --format jsonl
            Exit status: 0 found, 66 no such record in the log.
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @Argument(help: "The record or chunk id.") var id: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "Output: text or jsonl (default text).") var format: String = "text"

    func run() async throws {
        // With --state the single argument is the id.
        let (pipelineArg, recordID): (String?, String?) = location.state != nil && id == nil ? (nil, pipeline) : (pipeline, id)
        guard let recordID else { throw ValidationError("name the record id to trace") }
        let reader = try location.resolve(pipeline: pipelineArg).open()
        let trace = try reader.trace(recordID)
        guard !trace.isEmpty else {
            ErrorReport.failure("no audit events for record '\(recordID)'")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        print(format == "jsonl" ? AuditOutput.traceJSON(trace) : AuditOutput.traceText(trace), terminator: "")
    }
}

struct AuditStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Event counts per run and per reason.",
        discussion: "Example:\n  sluice audit stats pipelines/quickstart.yaml --run 20261130T130501Z-4f2a9c")
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "Only this run.") var run: String?

    func run() async throws {
        let reader = try location.resolve(pipeline: pipeline).open()
        print(AuditOutput.statsText(try reader.stats(runID: run)), terminator: "")
    }
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the hash chain, the seals, every signed run digest and their links.",
        discussion: """
            Recomputes every row's hash; checks that the log ends with a seal and every seal's \
            Ed25519 signature; each run digest's signature (Ed25519; HMAC-SHA256 under the secret \
            key for digests written before signatures), that digests follow each other without gaps, \
            and that the rows they cover are all there and unchanged; and, with --expect-head, that \
            the log still holds every head kept elsewhere. With --public-key nothing secret is needed. \
            Reports the first bad seq and the kind of damage: altered_row, edited_hash, deleted_rows, \
            reordered_rows, inserted_row, unsealed_rows, truncated_tail, rewritten_log, forged_seal, \
            forged_digest, forged_head, broken_digest_chain, triggers_removed, malformed_row.

            Exit status: 0 intact, 65 tampered, 66 no state DB, or seals/digests exist but no key \
            (--public-key or the secret key) to check their signatures.
            Examples:
              sluice audit verify pipelines/quickstart.yaml --public-key audit.pub
              sluice audit verify --state /var/lib/sluice/.sluice/nightly --public-key audit.pub --expect-head heads/*.json
              SLUICE_AUDIT_KEY=/secure/sluice.key sluice audit verify --state /var/lib/sluice/.sluice/nightly
              sluice audit verify pipelines/nightly.yaml --public-key audit.pub --archive /archive/nightly-*.jsonl.gz
            With --archive, give every archive the log continues from (in any order).
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "The secret audit key file (default: SLUICE_AUDIT_KEY, else <state>/audit.key; not needed with --public-key).") var key: String?
    @Option(name: .customLong("public-key"), help: "The audit public key to trust (from `sluice audit public-key`).") var publicKey: String?
    @Option(name: .customLong("expect-head"), parsing: .upToNextOption,
            help: "Head files kept elsewhere (from `sluice audit head`): the log must still reach each, unchanged.") var expectHead: [String] = []
    @Option(name: .customLong("archive"), parsing: .upToNextOption,
            help: "Every archive file of the log (from `sluice audit archive`), to check with it end to end.") var archives: [String] = []

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        let reader = try place.open()
        var options = AuditVerifyOptions()
        do {
            options.publicKey = try publicKey.map { try AuditPublicKey.load(URL(fileURLWithPath: $0)) }
            options.expectedHeads = try expectHead.map { ($0, try AuditSeal.loadHead(URL(fileURLWithPath: $0))) }
            options.archiveFiles = archives.map { URL(fileURLWithPath: $0) }
            options.archiveCodec = AuditGzip.codec
        } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
        // With a public key, the secret key is needed only for format-1 (HMAC) digests: read it if
        // given explicitly or present, never required.
        options.secretKey = try place.key(key)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let report: AuditVerifyReport
        do { report = try reader.verify(options) } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(AuditOutput.verifyText(report, seconds: seconds), terminator: "")
        if !report.isClean { throw ExitCode(ExitStatus.dataError.rawValue) }
        if options.verifyingKey == nil && (report.digests > 0 || report.seals > 0 || !options.expectedHeads.isEmpty) {
            ErrorReport.failure("the signatures were not checked: no key (give --public-key, or --key / SLUICE_AUDIT_KEY)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
    }
}
