import SluiceJSON
import Foundation

/// The quarantine: one JSON line per rejected record, appended across runs, crash-safe like the
/// `jsonl` output (committed offsets).
///
/// Each line: `run`, `time`, `code`, `message`, `stage`, `record_id`, `input`, `uri`, `locator`,
/// `pointer`, `details`, and the original bytes as `original` (text when valid UTF-8, else
/// base64, with `original_encoding`), `original_bytes` (full length) and `original_truncated`.
final class QuarantineFile {
    private let file: CommittedFile
    private let keepOriginal: Bool
    private var line: [UInt8] = []
    var path: String { file.url.path }

    init(url: URL, checkpoint: Checkpoint?, keepOriginal: Bool) throws {
        let committed = checkpoint?["file"]?.stringValue == url.path ? checkpoint?["length"]?.numberValue?.intValue : nil
        file = try CommittedFile(url: url, committedLength: committed)
        self.keepOriginal = keepOriginal
    }

    func append(_ f: RecordFailure, runID: String, time: Date) {
        line.removeAll(keepingCapacity: true)
        JSONWriter.write(QuarantineFile.entry(f, runID: runID, time: time, keepOriginal: keepOriginal), into: &line)
        line.append(UInt8(ascii: "\n"))
        file.append(line)
    }

    func commit() throws -> Checkpoint {
        let length = try file.commit()
        return ["file": .string(file.url.path), "length": .number(JSONNumber(length))]
    }

    static func entry(_ f: RecordFailure, runID: String, time: Date, keepOriginal: Bool) -> JSONValue {
        var o = JSONObject()
        o["run"] = .string(runID)
        o["time"] = .string(Timestamp.string(time))
        o["code"] = .string(f.code.rawValue)
        o["message"] = .string(f.message)
        if let s = f.stage { o["stage"] = .string(s) }
        if let id = f.recordID { o["record_id"] = .string(id) }
        if let p = f.provenance {
            o["input"] = .string(p.input)
            o["uri"] = .string(p.uri)
            o["locator"] = RecordEncoding.locator(p.locator)
            o["sha256"] = .string(p.sha256)
        }
        if let ptr = f.pointer { o["pointer"] = .string(ptr) }
        if let d = f.details { o["details"] = d }
        if keepOriginal, let raw = f.original {
            if let text = String(validating: raw.bytes, as: UTF8.self) {
                o["original"] = .string(text)
                o["original_encoding"] = "utf8"
            } else {
                o["original"] = .string(Data(raw.bytes).base64EncodedString())
                o["original_encoding"] = "base64"
            }
            o["original_bytes"] = .number(JSONNumber(raw.totalCount))
            o["original_truncated"] = .bool(raw.isTruncated)
        }
        return .object(o)
    }
}
