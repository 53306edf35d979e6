public import Foundation
public import SluiceCore
public import SluiceJSON

/// One line of a pipeline's quarantine file, as `sluice quarantine` lists, shows and replays it.
public struct QuarantineEntry: Sendable {
    /// Stable id: the first 12 hex digits of the line's SHA-256 (lines are never rewritten, so
    /// the id survives later runs appending to the file).
    public var id: String
    /// 1-based line in the quarantine file.
    public var line: Int
    public var run: String
    public var time: String
    public var code: String
    public var message: String
    public var stage: String?
    public var recordID: String?
    public var input: String?
    public var uri: String?
    public var locator: Locator
    /// The whole entry as written.
    public var json: JSONValue

    /// Why this entry cannot be replayed, or nil when it can.
    public var unreplayableReason: String? {
        guard let original = json["original"]?.stringValue else {
            return "no original kept (quarantine.keep_original was false, or a derived record)"
        }
        if json["original_truncated"]?.boolValue == true { return "the original was truncated to 64 KiB" }
        guard case .object = (try? originalValue(original)) ?? .null else {
            return stage == nil ? "the original is not a JSON object (fix the source file instead: a changed file is read again)"
                                : "the original is not a JSON object"
        }
        return nil
    }

    /// The record the entry stands for, rebuilt from its original with its id and provenance.
    public func record() throws -> Record {
        guard unreplayableReason == nil, let original = json["original"]?.stringValue else {
            throw SluiceError(.dataError, "quarantine entry \(id) cannot be replayed: \(unreplayableReason ?? "no original")")
        }
        let value = try originalValue(original)
        let provenance = Provenance(input: input ?? "replay", uri: uri ?? "", locator: locator,
                                    sha256: json["sha256"]?.stringValue ?? "")
        return Record(id: recordID ?? "quarantine:\(id)", value: value, provenance: provenance)
    }

    private func originalValue(_ text: String) throws -> JSONValue {
        if json["original_encoding"]?.stringValue == "base64" {
            guard let data = Data(base64Encoded: text) else { throw SluiceError(.dataError, "bad base64 in entry \(id)") }
            return try JSONParser.parse([UInt8](data))
        }
        return try JSONParser.parse(text)
    }
}

/// Reads a quarantine file. Lines are parsed one at a time from a memory-mapped file, so a large
/// quarantine costs address space, not memory; an unparsable line (impossible unless the file
/// was edited by hand) is counted, not fatal.
public enum QuarantineLog {
    public struct Contents: Sendable {
        public var entries: [QuarantineEntry] = []
        /// Lines that were not JSON objects.
        public var unreadableLines: [Int] = []
    }

    /// The file's entries, filtered; a missing file has none.
    public static func read(_ url: URL, where keep: (QuarantineEntry) -> Bool = { _ in true }) throws -> Contents {
        var out = Contents()
        guard FileManager.default.fileExists(atPath: url.path) else { return out }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw SluiceError(.inputMissing, "cannot read the quarantine file \(url.path)", cause: error)
        }
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var start = 0
            var lineNo = 0
            while start < buf.count {
                var end = start
                while end < buf.count && buf[end] != UInt8(ascii: "\n") { end += 1 }
                lineNo += 1
                let line = UnsafeRawBufferPointer(rebasing: buf[start..<end])
                start = end + 1
                if line.isEmpty { continue }
                guard let v = try? JSONParser.parse(line), case .object = v else {
                    out.unreadableLines.append(lineNo)
                    continue
                }
                let e = entry(v, line: lineNo, id: String(ContentHash.sha256Hex(line).prefix(12)))
                if keep(e) { out.entries.append(e) }
            }
        }
        return out
    }

    static func entry(_ v: JSONValue, line: Int, id: String) -> QuarantineEntry {
        let l = v["locator"]
        let locator = Locator(line: l?["line"]?.numberValue?.intValue, byteOffset: l?["byte"]?.numberValue?.intValue,
                              index: l?["index"]?.numberValue?.intValue, page: l?["page"]?.numberValue?.intValue)
        return QuarantineEntry(id: id, line: line, run: v["run"]?.stringValue ?? "", time: v["time"]?.stringValue ?? "",
                               code: v["code"]?.stringValue ?? "", message: v["message"]?.stringValue ?? "",
                               stage: v["stage"]?.stringValue, recordID: v["record_id"]?.stringValue,
                               input: v["input"]?.stringValue, uri: v["uri"]?.stringValue, locator: locator, json: v)
    }
}
