public import Foundation
import GRDB
import SluiceCore
public import SluiceJSON

/// The signed summary of one run's stretch of the audit log, kept outside the database.
///
/// File `<state dir>/digests/<first seq, 12 digits>-<run id>.json`, one line:
/// `{"digest":BODY,"signature":"HEX"}` where HEX is, for format 2 (`sluice-audit-digest/2`), the
/// Ed25519 signature of BODY's exact bytes under the key BODY's `key_id` names (checkable with the
/// public key alone); for format 1 (written before signatures, still read) the HMAC-SHA256 under
/// the secret audit key. BODY holds the run id, the seq range it covers (from the previous digest's `last_seq`+1
/// to the run's last row, so rows of an interrupted run are covered by the next digest), the hash
/// of its last row, its ledger and the SHA-256 of the previous digest file. A log truncated or
/// rewritten after a digest was written no longer matches it.
public struct AuditDigest: Sendable, Hashable {
    public static let format = "sluice-audit-digest/2"
    /// The HMAC format written before Ed25519 signatures.
    public static let hmacFormat = "sluice-audit-digest/1"

    public var runID: String
    public var pipeline: String
    public var status: String
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var headHash: String
    public var prevDigest: String?
    public var createdAt: String
    public var ledger: JSONValue
    /// The signing key's id (format 2); nil for format 1.
    public var keyID: String?
    public var isHMAC: Bool { keyID == nil }
    /// The exact file bytes (for the next digest's link) and the body bytes that were signed.
    public var fileBytes: [UInt8] = []
    public var bodyBytes: [UInt8] = []
    public var signature: String = ""
    public var fileName: String = ""

    public var body: JSONValue {
        [
            "format": .string(Self.format), "run_id": .string(runID), "pipeline": .string(pipeline),
            "status": .string(status), "first_seq": .number(JSONNumber(Int(firstSeq))),
            "last_seq": .number(JSONNumber(Int(lastSeq))), "head_hash": .string(headHash),
            "prev_digest": prevDigest.map { .string($0) } ?? .null, "created_at": .string(createdAt), "ledger": ledger,
            "key_id": keyID.map { .string($0) } ?? .null,
        ]
    }

    /// The file name for a digest starting at `firstSeq`: names sort in seq order.
    static func fileName(firstSeq: Int64, runID: String) -> String {
        let n = String(firstSeq)
        let safeRun = String(runID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return String(repeating: "0", count: max(0, 12 - n.count)) + n + "-" + safeRun + ".json"
    }

    /// Splits a digest file into its signed body and signature; nil when it is not one.
    public static func parse(fileBytes: [UInt8], fileName: String) -> AuditDigest? {
        let prefix = Array("{\"digest\":".utf8)
        var bytes = fileBytes
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        var parsed: (body: [UInt8], signature: String, object: JSONObject)?
        // HMAC-SHA256 (format 1) or Ed25519 (format 2) signature, in hex.
        for sigLength in [64, 128] {
            let suffixLength = ",\"signature\":\"".utf8.count + sigLength + "\"}".utf8.count
            guard bytes.count > prefix.count + suffixLength, Array(bytes.prefix(prefix.count)) == prefix else { continue }
            let body = Array(bytes[prefix.count..<(bytes.count - suffixLength)])
            let tail = String(decoding: bytes[(bytes.count - suffixLength)...], as: UTF8.self)
            guard tail.hasPrefix(",\"signature\":\""), tail.hasSuffix("\"}") else { continue }
            let signature = String(tail.dropFirst(",\"signature\":\"".count).dropLast(2))
            guard let value = try? JSONParser.parse(body), case .object(let o) = value else { continue }
            let expected = sigLength == 64 ? hmacFormat : format
            guard o["format"] == .string(expected) else { continue }
            parsed = (body, signature, o)
            break
        }
        guard let (body, signature, o) = parsed,
              case .string(let run)? = o["run_id"], case .number(let first)? = o["first_seq"],
              case .number(let last)? = o["last_seq"], case .string(let head)? = o["head_hash"],
              let f = Int64(first.text), let l = Int64(last.text) else { return nil }
        var d = AuditDigest(runID: run, pipeline: o["pipeline"]?.stringValue ?? "", status: o["status"]?.stringValue ?? "",
                            firstSeq: f, lastSeq: l, headHash: head, prevDigest: o["prev_digest"]?.stringValue,
                            createdAt: o["created_at"]?.stringValue ?? "", ledger: o["ledger"] ?? .null)
        d.keyID = o["format"] == .string(format) ? (o["key_id"]?.stringValue ?? "") : nil
        d.fileBytes = fileBytes
        d.bodyBytes = body
        d.signature = signature
        d.fileName = fileName
        return d
    }

    /// Every digest file in `directory`, in file-name (= seq) order; files that are not digests
    /// are returned in `unreadable`.
    public static func readAll(in directory: URL) -> (digests: [AuditDigest], unreadable: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        var out: [AuditDigest] = [], bad: [String] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                  let d = parse(fileBytes: [UInt8](data), fileName: name) else { bad.append(name); continue }
            out.append(d)
        }
        return (out, bad)
    }
}

/// Writing run digests at the end of runs.
enum AuditDigestWriter {
    /// The digest for `runID`, covering every row after the last digest's, computed inside the
    /// run's finishing transaction; nil when there is nothing new to cover.
    static func make(db: Database, runID: String, directory: URL, key: AuditKey, now: Date) throws -> AuditDigest? {
        guard let (lastSeq, headHash) = try AuditLog.head(db) else { return nil }
        let previous = AuditDigest.readAll(in: directory).digests.last
        let firstSeq = (previous?.lastSeq ?? 0) + 1
        guard lastSeq >= firstSeq else { return nil }
        let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID])
        var ledger = JSONObject()
        for term in RunLedger.Term.allCases {
            ledger[term.rawValue] = .number(JSONNumber((run?[term.rawValue] as Int?) ?? 0))
        }
        var d = AuditDigest(runID: runID, pipeline: run?["pipeline"] ?? "", status: run?["status"] ?? "",
                            firstSeq: firstSeq, lastSeq: lastSeq, headHash: headHash,
                            prevDigest: previous.map { ContentHash.sha256Hex($0.fileBytes) },
                            createdAt: Timestamp.string(now), ledger: .object(ledger))
        d.keyID = key.publicKey.keyID
        d.bodyBytes = JSONWriter.bytes(d.body)
        d.signature = try key.signEd25519(d.bodyBytes)
        d.fileBytes = Array("{\"digest\":".utf8) + d.bodyBytes + Array(",\"signature\":\"\(d.signature)\"}\n".utf8)
        d.fileName = AuditDigest.fileName(firstSeq: firstSeq, runID: runID)
        return d
    }

    /// Writes the digest durably: a temporary file, fsync, rename, fsync of the folder.
    static func write(_ d: AuditDigest, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent(d.fileName)
        let temp = directory.appendingPathComponent("." + d.fileName + ".tmp")
        try Data(d.fileBytes).write(to: temp)
        let fd = open(temp.path, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
        if rename(temp.path, target.path) != 0 {
            throw SluiceError(.cannotCreateOutput, "cannot write the run digest \(target.path)")
        }
        let dfd = open(directory.path, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
