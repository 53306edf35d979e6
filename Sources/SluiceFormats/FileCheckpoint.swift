import SluiceCore
import SluiceJSON

/// The file input's checkpoint: what each file looked like when it was read, and how far.
///
/// As JSON (keys sorted by path, so equal states give equal bytes):
/// ```json
/// {"version": 1, "options": "3f9a0c1d2e4b5a69", "files": {
///   "samples/a.jsonl": {"size": 5120, "mtime": 1764505200.123456789, "sha256": "9f2c…", "done": true},
///   "samples/b.jsonl": {"size": 9000, "mtime": 1764505300.000000000, "done": false,
///                       "records": 17, "offset": 4096, "line": 20}}}
/// ```
/// `mtime` is seconds since 1970 with nanoseconds, exact. A `done` file carries the SHA-256 of all
/// its bytes. The file being read carries `records` (items yielded from it) and, when the format
/// can jump ahead (JSON Lines, CSV), the byte offset in the decompressed stream after the last
/// of them and the line number that follows. `options` fingerprints the settings that decide how
/// bytes become records (format, id, csv/text/html/xml options, limits): a checkpoint written
/// under other settings is ignored, so every file is read again.
struct FileCheckpoint: Equatable {
    struct Entry: Equatable {
        var size: Int
        var mtime: String
        var sha256: String?
        var done: Bool
        var records: Int = 0
        var offset: Int?
        var line: Int?

        func matches(_ status: FileStatus) -> Bool { size == status.size && mtime == status.mtime }
    }

    static let version = 1
    var fingerprint: String
    var files: [String: Entry] = [:]

    init(fingerprint: String) { self.fingerprint = fingerprint }

    /// Reads a stored checkpoint; anything unrecognised, or written under other settings, is
    /// ignored (the files are read afresh).
    init(_ value: JSONValue?, fingerprint: String) {
        self.fingerprint = fingerprint
        guard let root = value?.objectValue, root["version"]?.numberValue?.intValue == Self.version,
              root["options"]?.stringValue == fingerprint, let files = root["files"]?.objectValue else { return }
        for (path, v) in files {
            guard let o = v.objectValue, let size = o["size"]?.numberValue?.intValue, let mtime = o["mtime"]?.numberValue?.text,
                  let done = o["done"]?.boolValue else { continue }
            self.files[path] = Entry(size: size, mtime: mtime, sha256: o["sha256"]?.stringValue, done: done,
                                     records: o["records"]?.numberValue?.intValue ?? 0,
                                     offset: o["offset"]?.numberValue?.intValue, line: o["line"]?.numberValue?.intValue)
        }
    }

    var json: JSONValue {
        var files = JSONObject()
        for path in self.files.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let e = self.files[path] else { continue }
            var o = JSONObject()
            o["size"] = .number(JSONNumber(e.size))
            o["mtime"] = .number(JSONNumber(uncheckedText: e.mtime))
            if let sha = e.sha256 { o["sha256"] = .string(sha) }
            o["done"] = .bool(e.done)
            if !e.done {
                o["records"] = .number(JSONNumber(e.records))
                if let offset = e.offset { o["offset"] = .number(JSONNumber(offset)) }
                if let line = e.line { o["line"] = .number(JSONNumber(line)) }
            }
            files[path] = .object(o)
        }
        var root = JSONObject()
        root["version"] = .number(JSONNumber(Self.version))
        root["options"] = .string(fingerprint)
        root["files"] = .object(files)
        return .object(root)
    }
}
