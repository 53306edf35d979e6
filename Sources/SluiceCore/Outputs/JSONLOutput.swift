public import SluiceJSON
import Foundation

/// The `jsonl` output: one JSON object per line.
public struct JSONLOutput: Output {
    public static let descriptor = ComponentDescriptor(
        kind: .output, name: "jsonl",
        summary: "Writes records as JSON Lines, crash-safe, accumulating across runs.",
        description: """
            Each record is written as one line: its fields in their order, plus a `_sluice` object \
            (id, parent, input, uri, locator, sha256) unless `metadata: false`.

            **Two modes, chosen by the path.** A plain path (`out/records.jsonl`) is appended to by \
            every run: each batch is fsynced and its end offset committed with the batch, and a run \
            that starts after a crash first truncates the file to the last committed offset, so the \
            file never holds a torn line or a record twice. A path with `{run}` \
            (`out/records-{run}.jsonl`) gives each run its own file, written under a hidden \
            `.partial` name and renamed into place (after fsync) when the run finishes; a run that \
            wrote nothing leaves no file. An interrupted run's partial file is resumed by the next run.

            Nothing is ever overwritten: an incremental run with nothing new leaves earlier output as it was.

            **Superseded versions.** When a stage keeps the newest version of a document (`dedupe` \
            with `versions:`) and an older version was written before (in this file, or by an earlier \
            run), a tombstone line comes right before the newer version: \
            `{"_sluice":{"superseded":"<old id>","by":"<new id>"}}`. It means: the record with id \
            `<old id>`, and every record whose parent is `<old id>` (its chunks), written on earlier \
            lines, is replaced. A reader that applies tombstones in file order (drop the named records, \
            keep reading) ends with exactly the newest version of each document. Tombstones are \
            written with `metadata: false` too, since they carry no document fields.
            """,
        fields: [
            FieldSpec("path", .path(mustExist: false), doc: "The file to write, relative to the pipeline's base folder. `{run}` in it makes one file per run.", required: true, example: "out/records.jsonl"),
            FieldSpec("metadata", .boolean, doc: "Add the `_sluice` object (id, parent, provenance) to each line. Turn off to write the bare documents.", default: "true"),
        ],
        examples: ["""
            - type: jsonl
              path: out/articles.jsonl
            """])

    let path: String
    let metadata: Bool
    let base: URL

    public init(options: ComponentOptions, context: BuildContext) throws {
        path = try options.requiredString("path")
        metadata = try options.boolValue("metadata")
        base = context.baseDirectory
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter {
        try JSONLFileWriter(template: context.resolve(path).path, runID: context.runID, metadata: metadata,
                            checkpoint: checkpoint, base: base)
    }
}

/// Appends encoded records to a `CommittedFile`; publishes per-run files at the end.
final class JSONLFileWriter: OutputWriter {
    private let file: CommittedFile
    private let publishAs: URL?
    private let metadata: Bool
    private var line: [UInt8] = []
    let destination: String

    init(template: String, runID: String, metadata: Bool, checkpoint: Checkpoint?, base: URL) throws {
        self.metadata = metadata
        let perRun = template.contains("{run}")
        if perRun, let ck = checkpoint, let staged = ck["file"]?.stringValue, let final = ck["publish_as"]?.stringValue,
           FileManager.default.fileExists(atPath: staged) {
            // An interrupted run's file: continue it, and publish it under its original name.
            file = try CommittedFile(url: URL(fileURLWithPath: staged), committedLength: ck["length"]?.numberValue?.intValue)
            publishAs = URL(fileURLWithPath: final)
        } else if perRun {
            let final = URL(fileURLWithPath: template.replacingOccurrences(of: "{run}", with: runID))
            let staged = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).partial")
            try? FileManager.default.removeItem(at: staged)
            file = try CommittedFile(url: staged, committedLength: 0)
            publishAs = final
        } else {
            let url = URL(fileURLWithPath: template)
            let committed = ck(checkpoint, for: url)
            file = try CommittedFile(url: url, committedLength: committed)
            publishAs = nil
        }
        destination = (publishAs ?? file.url).path
    }

    func write(_ records: [Record]) throws {
        for r in records {
            line.removeAll(keepingCapacity: true)
            JSONWriter.write(RecordEncoding.object(r, metadata: metadata), into: &line)
            line.append(UInt8(ascii: "\n"))
            file.append(line)
        }
    }

    func supersede(ids: [String], by newID: String) throws {
        for id in ids {
            line.removeAll(keepingCapacity: true)
            let mark = JSONObject([("superseded", .string(id)), ("by", .string(newID))])
            JSONWriter.write(.object(JSONObject([("_sluice", .object(mark))])), into: &line)
            line.append(UInt8(ascii: "\n"))
            file.append(line)
        }
    }

    func commit() throws -> Checkpoint? {
        let length = try file.commit()
        var o = JSONObject()
        o["file"] = .string(file.url.path)
        o["length"] = .number(JSONNumber(length))
        if let publishAs { o["publish_as"] = .string(publishAs.path) }
        return .object(o)
    }

    func finish() throws {
        guard let publishAs else { return }
        if file.length == 0 {
            try? FileManager.default.removeItem(at: file.url)
        } else {
            _ = try file.commit()
            try CommittedFile.publish(file.url, as: publishAs)
        }
    }
}

/// The committed length in a checkpoint, when it is about this very file.
private func ck(_ checkpoint: Checkpoint?, for url: URL) -> Int? {
    guard let c = checkpoint, c["file"]?.stringValue == url.path else { return nil }
    return c["length"]?.numberValue?.intValue
}
