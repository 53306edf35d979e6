import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceJSON

/// `sluice quarantine list|show|replay`.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List, show and replay a pipeline's quarantined records.",
        discussion: """
            Entries are named by a 12-digit id that stays the same while later runs append to the file.

            Examples:
              sluice quarantine list pipelines/quickstart.yaml --reason missing_field
              sluice quarantine show pipelines/quickstart.yaml 1a2b3c4d5e6f
              sluice quarantine replay pipelines/quickstart.yaml --reason schema_violation   # after fixing the schema
            """,
        subcommands: [List.self, Show.self, Replay.self])

    /// Which entries a command is about.
    struct Selection: ParsableArguments {
        @Option(name: .long, help: "Only entries quarantined by this run.")
        var run: String?
        @Option(name: .long, help: "Only entries with this reason code.")
        var reason: String?
        @Option(name: .long, parsing: .upToNextOption, help: "Only these entry ids (or record ids).")
        var id: [String] = []

        var isEmpty: Bool { run == nil && reason == nil && id.isEmpty }

        func matches(_ e: QuarantineEntry) -> Bool {
            (run == nil || e.run == run) && (reason == nil || e.code == reason)
                && (id.isEmpty || id.contains(e.id) || e.recordID.map(id.contains) == true)
        }
    }

    static func load(_ pipeline: String, credentials: CredentialStore? = nil) throws -> PipelinePlan {
        try PipelineFile.load(pipeline, showWarnings: false, credentials: credentials)
    }

    static func read(_ plan: PipelinePlan, where keep: (QuarantineEntry) -> Bool) throws -> QuarantineLog.Contents {
        do { return try QuarantineLog.read(plan.quarantinePath, where: keep) } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Entries by reason and run, then one line per entry (newest last).")

        @Argument(help: "The pipeline file.") var pipeline: String
        @OptionGroup var selection: Selection
        @Flag(name: .long, help: "Only entries not yet replayed.") var pending = false
        @Option(name: .long, help: "Show at most this many entry lines (the newest).") var limit = 50

        func run() async throws {
            let plan = try QuarantineCommand.load(pipeline)
            let marks = QuarantineReplay.marks(stateDirectory: plan.stateDirectory)
            var contents = try QuarantineCommand.read(plan, where: selection.matches)
            if pending { contents.entries.removeAll { marks[$0.id] != nil } }
            let es = contents.entries
            let replayed = es.filter { marks[$0.id] != nil }.count
            print("\(plan.quarantinePath.path): \(es.count) entr\(es.count == 1 ? "y" : "ies")\(replayed > 0 ? " (\(replayed) replayed)" : "")")
            if !contents.unreadableLines.isEmpty {
                print("  unreadable lines: " + contents.unreadableLines.prefix(20).map(String.init).joined(separator: ", "))
            }
            guard !es.isEmpty else { return }
            print("by reason:")
            for (k, n) in Dictionary(grouping: es, by: \.code).mapValues(\.count).sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                print("  \(k.padding(toLength: max(24, k.count), withPad: " ", startingAt: 0)) \(n)")
            }
            print("by run:")
            var runOrder: [String] = []
            var perRun: [String: Int] = [:]
            for e in es { if perRun[e.run] == nil { runOrder.append(e.run) }; perRun[e.run, default: 0] += 1 }
            for r in runOrder { print("  \(r.padding(toLength: max(24, r.count), withPad: " ", startingAt: 0)) \(perRun[r] ?? 0)") }
            print("entries:")
            for e in es.suffix(max(0, limit)) {
                var where_ = e.input ?? "?"
                if let u = e.uri, !u.isEmpty { where_ += " \(u)" }
                where_ += " \(e.locator)"
                let state = marks[e.id].map { "replayed in \($0)" } ?? (e.unreplayableReason == nil ? "replayable" : "not replayable")
                print("  \(e.id)  \(e.run)  \(e.code)  \(e.recordID ?? "-")  \(where_)  [\(state)]")
            }
            if es.count > limit { print("  (\(es.count - limit) older entries not shown; use --limit)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One entry in full, with its original record (this prints record content).")

        @Argument(help: "The pipeline file.") var pipeline: String
        @Argument(help: "The entry id (or a record id).") var id: String

        func run() async throws {
            let plan = try QuarantineCommand.load(pipeline)
            let es = try QuarantineCommand.read(plan) { $0.id == id || $0.recordID == id }.entries
            guard !es.isEmpty else {
                ErrorReport.failure("no quarantine entry \(id) in \(plan.quarantinePath.path)")
                throw ExitCode(ExitStatus.inputMissing.rawValue)
            }
            let marks = QuarantineReplay.marks(stateDirectory: plan.stateDirectory)
            for e in es {
                print("entry \(e.id) (line \(e.line) of \(plan.quarantinePath.path))")
                if let r = marks[e.id] { print("replayed in run \(r)") } else if let why = e.unreplayableReason { print("not replayable: \(why)") }
                print(JSONWriter.string(e.json, options: .init(prettyPrinted: true)))
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Run chosen entries through the pipeline as it is now; each entry is replayed once.",
            discussion: """
                A replay is a run of the pipeline (it takes the lock, writes the outputs, ledger and \
                audit trail) whose input is the chosen entries' original records. Records that fail \
                again are quarantined again as new entries. Entries already replayed are skipped.
                """)

        @Argument(help: "The pipeline file.") var pipeline: String
        @OptionGroup var selection: Selection
        @Flag(name: .long, help: "Replay every pending entry.") var all = false
        @Flag(name: .long, help: "Run the entries through the stages but write nothing and mark nothing.") var dryRun = false
        @OptionGroup var logging: LoggingOptions
        @OptionGroup var credentialsOption: CredentialsOption

        func validate() throws {
            if selection.isEmpty && !all { throw ValidationError("choose entries with --run, --reason or --id, or replay them all with --all") }
        }

        func run() async throws {
            let logger = try logging.bootstrap()
            let plan = try QuarantineCommand.load(pipeline, credentials: try credentialsOption.load())
            let marks = QuarantineReplay.marks(stateDirectory: plan.stateDirectory)
            let chosen = try QuarantineCommand.read(plan, where: selection.matches).entries
            let done = chosen.filter { marks[$0.id] != nil }
            let unusable = chosen.filter { marks[$0.id] == nil && $0.unreplayableReason != nil }
            let todo = chosen.filter { marks[$0.id] == nil && $0.unreplayableReason == nil }
            if !done.isEmpty { print("\(done.count) entr\(done.count == 1 ? "y was" : "ies were") replayed before; skipped") }
            for (why, es) in Dictionary(grouping: unusable, by: { $0.unreplayableReason ?? "" }).sorted(by: { $0.key < $1.key }) {
                print("\(es.count) not replayable: \(why)")
            }
            guard !todo.isEmpty else {
                print("nothing to replay")
                return
            }
            print("replaying \(todo.count) entr\(todo.count == 1 ? "y" : "ies")")
            var options = PipelineRunner.Options()
            options.logger = logger
            options.dryRun = dryRun
            let result: RunSummary
            do {
                result = try await SluiceEngine.runner(plan: try QuarantineReplay.plan(plan, entries: todo), options: options).run()
            } catch {
                throw ExitCode(ErrorReport.failure(error).rawValue)
            }
            print(SummaryRenderer.render(result), terminator: "")
            if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
        }
    }
}
