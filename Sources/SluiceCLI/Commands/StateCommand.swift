import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceDedupe
import SluiceJSON
import SluiceStore

/// `sluice state check|stats`: the state DB of a pipeline, inspected without running it.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Check or describe a pipeline's state DB (checkpoints, run ledger, dedupe index).",
        subcommands: [Check.self, Stats.self])

    struct Location: ParsableArguments {
        @Argument(help: "The pipeline file whose state to read.", completion: .file(extensions: ["yaml", "yml"]))
        var pipeline: String

        @Option(name: .long, help: "The state DB file, instead of the pipeline's (.sluice/<pipeline>/state.db).")
        var stateDB: String?

        /// Opens the state DB read-only; exit 66 when there is none.
        func open() throws -> StateDatabase {
            let path: String
            if let stateDB {
                path = stateDB
            } else {
                let plan = try PipelineFile.load(pipeline, showWarnings: false)
                path = plan.stateDirectory.appendingPathComponent("state.db").path
            }
            guard FileManager.default.fileExists(atPath: path) else {
                ErrorReport.failure("no state DB at \(path): the pipeline has not run yet")
                throw ExitCode(ExitStatus.inputMissing.rawValue)
            }
            do { return try StateDatabase(path: path, readOnly: true) } catch {
                ErrorReport.failure("cannot open the state DB \(path): \(SystemError.text(error))")
                throw ExitCode(ExitStatus.ioError.rawValue)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Verify the state DB: SQLite integrity, balanced run ledgers, consistent dedupe indexes.",
            discussion: """
                Runs SQLite's integrity check, then checks what Sluice maintains: every run's ledger \
                balances (each batch commits its counts atomically, so even an interrupted run's do), \
                checkpoints are valid JSON, and every dedupe index is consistent (content keys, LSH \
                buckets and versions all name indexed documents, and each document is found by its \
                content key and in its buckets). Nothing is written.

                Exit status: 0 when everything holds, 1 when a check fails, 66 when there is no state DB.
                """)

        @OptionGroup var location: Location

        func run() throws {
            let items = try StateCheck.run(try location.open())
            for item in items {
                print((item.ok ? "ok    " : "FAIL  ") + item.summary)
                for p in item.problems { print("      \(p)") }
            }
            let failures = items.filter { !$0.ok }.count
            if failures > 0 { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Documents indexed per dedupe stage, and duplicates caught per run.",
            discussion: """
                Examples:
                  sluice state stats pipelines/articles.yaml
                  sluice state stats pipelines/articles.yaml --runs 50 --format json
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @OptionGroup var location: Location
        @Option(name: .long, help: "How many recent runs to show.") var runs = 20
        @Option(name: .long, help: "text or json.") var format: Format = .text

        func run() throws {
            let db = try location.open()
            var indexes: [JSONValue] = []
            for (ns, _) in try db.stageNamespaces() where DedupeIndexCheck.isDedupeNamespace(ns) {
                let c = try db.stageKeyCounts(namespace: ns)
                indexes.append(.object(JSONObject([
                    ("namespace", .string(ns)), ("documents", .number(JSONNumber(c["n"] ?? 0))),
                    ("content_keys", .number(JSONNumber(c["x"] ?? 0))), ("lsh_buckets", .number(JSONNumber(c["b"] ?? 0))),
                    ("versions", .number(JSONNumber(c["v"] ?? 0))),
                ])))
            }
            var runList: [JSONValue] = []
            for r in try db.runStats(limit: max(1, runs)) {
                let reasons = JSONObject(r.dropReasons.sorted { $0.key < $1.key }.map { ($0.key, .number(JSONNumber($0.value))) })
                runList.append(.object(JSONObject([
                    ("run", .string(r.id)), ("status", .string(r.status)), ("received", .number(JSONNumber(r.ledger.received))),
                    ("written", .number(JSONNumber(r.ledger.written))), ("dropped", .number(JSONNumber(r.ledger.dropped))),
                    ("drop_reasons", .object(reasons)),
                ])))
            }
            if format == .json {
                var o = JSONWriter.Options()
                o.prettyPrinted = true
                print(JSONWriter.string(.object(JSONObject([("dedupe_indexes", .array(indexes)), ("runs", .array(runList))])), options: o))
                return
            }
            if indexes.isEmpty { print("no dedupe index") }
            for i in indexes {
                print("\(i["namespace"]?.stringValue ?? ""): \(i["documents"]?.numberValue?.description ?? "0") documents indexed, \(i["versions"]?.numberValue?.description ?? "0") versioned ids, \(i["lsh_buckets"]?.numberValue?.description ?? "0") LSH buckets")
            }
            print("")
            print("run                        status        received   written   dropped  reasons")
            for r in runList {
                let reasons = (r["drop_reasons"]?.objectValue.map { o in o.map { "\($0.key) \($0.value.numberValue?.description ?? "")" } } ?? []).joined(separator: ", ")
                func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
                    s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
                }
                print(pad(r["run"]?.stringValue ?? "", 27) + pad(r["status"]?.stringValue ?? "", 12)
                      + pad(r["received"]?.numberValue?.description ?? "", 10, right: true)
                      + pad(r["written"]?.numberValue?.description ?? "", 10, right: true)
                      + pad(r["dropped"]?.numberValue?.description ?? "", 10, right: true) + "  " + reasons)
            }
        }
    }
}
