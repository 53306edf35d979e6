public import SluiceCore
import Foundation
import GRDB
public import SluiceJSON

/// The `sqlite` output: one row per record, keyed by record id, upserted.
public struct SQLiteOutput: Output {
    public static let descriptor = ComponentDescriptor(
        kind: .output, name: "sqlite",
        summary: "Upserts records into a SQLite table keyed by record id.",
        description: """
            Columns: `id` (primary key), `parent`, `doc` (the record as JSON; query it with SQLite's \
            JSON functions), `input`, `uri`, `locator`, `sha256` (provenance: every row leads back to \
            its source), `run_id` and `updated_at`. Each batch is one transaction; a record that \
            arrives again (a re-run, a newer version with the same id) replaces its row. Rows are \
            never deleted by a run that has nothing new.

            **Superseded versions.** When a stage keeps the newest version of a document (`dedupe` \
            with `versions:`), the rows of the older version, and every row whose `parent` is it \
            (its chunks), are deleted in the same transaction that inserts the newer version, so the \
            table holds exactly the newest version of each document.
            """,
        fields: [
            FieldSpec("path", .path(mustExist: false), doc: "The database file, created if absent.", required: true, example: "out/articles.db"),
            FieldSpec("table", .string, doc: "The table name (letters, digits and `_`).", default: "records"),
        ],
        examples: ["""
            - type: sqlite
              path: out/articles.db
              table: articles
            """])

    let path: String
    let table: String

    public init(options: ComponentOptions, context: BuildContext) throws {
        path = try options.requiredString("path")
        table = try options.stringValue("table")
        guard let f = table.unicodeScalars.first, CharacterSet.letters.contains(f) || f == "_",
              table.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else {
            throw ConfigDiagnostic.error("invalid_value", "table name '\(table)' may hold only ASCII letters, digits and '_', starting with a letter",
                                         at: options.location("table"))
        }
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter {
        try SQLiteTableWriter(url: context.resolve(path), table: table, runID: context.runID)
    }
}

final class SQLiteTableWriter: OutputWriter {
    private let queue: DatabaseQueue
    private let table: String
    private let runID: String
    /// Writes and deletions of the current batch, in order.
    private var pending: [PendingOp] = []
    private enum PendingOp {
        case write(SluiceCore.Record)
        case supersede([String])
    }
    let destination: String

    init(url: URL, table: String, runID: String) throws {
        self.table = table
        self.runID = runID
        destination = "\(url.path) (table \(table))"
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            queue = try DatabaseQueue(path: url.path, configuration: config)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS "\(table)" (
                      id TEXT PRIMARY KEY NOT NULL,
                      parent TEXT,
                      doc TEXT NOT NULL CHECK (json_valid(doc)),
                      input TEXT NOT NULL,
                      uri TEXT NOT NULL,
                      locator TEXT,
                      sha256 TEXT,
                      run_id TEXT NOT NULL,
                      updated_at TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS "\(table)_parent" ON "\(table)"(parent);
                    """)
            }
        } catch {
            throw SluiceError(.cannotCreateOutput, "cannot open the SQLite output \(url.path)", cause: error)
        }
    }

    func write(_ records: [SluiceCore.Record]) throws { pending += records.map(PendingOp.write) }

    func supersede(ids: [String], by newID: String) throws { pending.append(.supersede(ids)) }

    func commit() throws -> Checkpoint? {
        guard !pending.isEmpty else { return nil }
        let now = Timestamp.string(Date())
        do {
            try queue.write { db in
                let st = try db.cachedStatement(sql: """
                    INSERT INTO "\(table)" (id, parent, doc, input, uri, locator, sha256, run_id, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, doc = excluded.doc, input = excluded.input,
                      uri = excluded.uri, locator = excluded.locator, sha256 = excluded.sha256,
                      run_id = excluded.run_id, updated_at = excluded.updated_at
                    """)
                let delete = try db.cachedStatement(sql: "DELETE FROM \"\(table)\" WHERE id = ? OR parent = ?")
                for op in pending {
                    switch op {
                    case .write(let r):
                        let p = r.provenance
                        try st.execute(arguments: [r.id, r.parent, JSONWriter.string(r.value), p.input, p.uri,
                                                   JSONWriter.string(RecordEncoding.locator(p.locator)), p.sha256, runID, now])
                    case .supersede(let ids):
                        for id in ids { try delete.execute(arguments: [id, id]) }
                    }
                }
            }
        } catch {
            throw SluiceError(.ioError, "cannot write to the SQLite output \(destination)", cause: error)
        }
        pending.removeAll(keepingCapacity: true)
        return nil
    }

    func finish() throws {}
}
