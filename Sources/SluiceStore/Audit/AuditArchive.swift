import Crypto
public import Foundation
import GRDB
import SluiceCore
import SluiceJSON

/// How archive files are compressed: given by a target that links zlib (SluiceStore does not),
/// so the store stays free of C libraries. `Sluice.AuditGzip.codec` is the gzip one.
public struct AuditArchiveCodec: Sendable {
    /// Opens a compressed file for writing: `write` then `finish` (which makes it durable).
    public var makeWriter: @Sendable (URL) throws -> (write: ([UInt8]) throws -> Void, finish: () throws -> Void)
    /// Streams the decompressed lines of a file (without their line feeds).
    public var readLines: @Sendable (URL, ([UInt8]) throws -> Void) throws -> Void

    public init(makeWriter: @escaping @Sendable (URL) throws -> (write: ([UInt8]) throws -> Void, finish: () throws -> Void),
                readLines: @escaping @Sendable (URL, ([UInt8]) throws -> Void) throws -> Void) {
        self.makeWriter = makeWriter
        self.readLines = readLines
    }
}

/// The signed description of one archive: which rows it holds and how they chain.
///
/// Archive file: the rows as JSONL (the same objects as `sluice audit export`), then one line
/// `{"archive":BODY,"signature":"HEX"}`; the whole compressed. BODY: format, first and last seq,
/// the hash the first row follows, the last row's hash, the row count, the SHA-256 of the row
/// lines, the cut-off date, the time and the key id. The same BODY and signature are kept in the
/// log's `audit_archives` table, so the log names every archive it continues from.
public struct AuditArchiveRecord: Sendable, Hashable {
    public static let format = "sluice-audit-archive/1"
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var prevHash: String
    public var lastHash: String
    public var rows: Int64
    public var rowsSHA256: String
    public var bodyBytes: [UInt8]
    public var signature: String
    public var keyID: String

    static func body(first: Int64, last: Int64, prev: String, lastHash: String, rows: Int64, sha: String,
                     before: String, createdAt: String, keyID: String) -> [UInt8] {
        var o = JSONObject()
        o["format"] = .string(format)
        o["first_seq"] = .number(JSONNumber(Int(first)))
        o["last_seq"] = .number(JSONNumber(Int(last)))
        o["prev_hash"] = .string(prev)
        o["last_hash"] = .string(lastHash)
        o["rows"] = .number(JSONNumber(Int(rows)))
        o["rows_sha256"] = .string(sha)
        o["before"] = .string(before)
        o["created_at"] = .string(createdAt)
        o["key_id"] = .string(keyID)
        return JSONWriter.bytes(.object(o))
    }

    /// Parses a body and its signature; nil when the body is not an archive's.
    public static func parse(body: [UInt8], signature: String) -> AuditArchiveRecord? {
        guard let v = try? JSONParser.parse(body), case .object(let o) = v, o["format"] == .string(format),
              let f = o["first_seq"]?.numberValue.flatMap({ Int64($0.text) }), let l = o["last_seq"]?.numberValue.flatMap({ Int64($0.text) }),
              let n = o["rows"]?.numberValue.flatMap({ Int64($0.text) }),
              case .string(let prev)? = o["prev_hash"], case .string(let last)? = o["last_hash"],
              case .string(let sha)? = o["rows_sha256"] else { return nil }
        return AuditArchiveRecord(firstSeq: f, lastSeq: l, prevHash: prev, lastHash: last, rows: n, rowsSHA256: sha,
                                  bodyBytes: body, signature: signature, keyID: o["key_id"]?.stringValue ?? "")
    }

    /// The trailer line of an archive file, parsed.
    static func parseTrailer(_ line: [UInt8]) -> AuditArchiveRecord? {
        let prefix = Array("{\"archive\":".utf8)
        let suffixLength = ",\"signature\":\"".utf8.count + 128 + 2
        guard line.count > prefix.count + suffixLength, Array(line.prefix(prefix.count)) == prefix else { return nil }
        let tail = String(decoding: line[(line.count - suffixLength)...], as: UTF8.self)
        guard tail.hasPrefix(",\"signature\":\""), tail.hasSuffix("\"}") else { return nil }
        return parse(body: Array(line[prefix.count..<(line.count - suffixLength)]),
                     signature: String(tail.dropFirst(",\"signature\":\"".count).dropLast(2)))
    }

    public func isValid(under key: AuditPublicKey) -> Bool {
        keyID == key.keyID && key.isValid(signature: signature, for: bodyBytes)
    }
}

/// The `audit_archives` table and moving rows into archive files.
enum AuditArchives {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS audit_archives (
              last_seq INTEGER PRIMARY KEY,
              first_seq INTEGER NOT NULL,
              body TEXT NOT NULL,
              signature TEXT NOT NULL
            );
            CREATE TRIGGER IF NOT EXISTS audit_archives_no_update BEFORE UPDATE ON audit_archives
              BEGIN SELECT RAISE(ABORT, 'the audit archives list is append-only'); END;
            CREATE TRIGGER IF NOT EXISTS audit_archives_no_delete BEFORE DELETE ON audit_archives
              BEGIN SELECT RAISE(ABORT, 'the audit archives list is append-only'); END;
            """)
    }

    /// A row as an archive line: every column as stored (text, or null), seq as a number.
    static func line(_ row: AuditRow) -> [UInt8] {
        var o = JSONObject()
        for (name, value) in zip(AuditRow.columnNames, row.texts) {
            o[name] = name == "seq" ? .number(JSONNumber(Int(row.seq))) : value.map { .string($0) } ?? .null
        }
        return JSONWriter.bytes(.object(o)) + [0x0A]
    }

    /// The archives the log continues from, in seq order (nil entries: unreadable bodies).
    static func all(_ db: Database) throws -> [AuditArchiveRecord?] {
        guard try db.tableExists("audit_archives") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT body, signature FROM audit_archives ORDER BY last_seq").map {
            AuditArchiveRecord.parse(body: Array(($0["body"] as String? ?? "").utf8), signature: $0["signature"] ?? "")
        }
    }

    /// Moves the rows written before `before` (up to the last seal before it, and never the
    /// newest batch) into `url`, signed with `key`, in one transaction: the file is written and
    /// synced first, then the rows are deleted and the archive recorded. A crash leaves either
    /// the rows in the log (and perhaps a stray file) or the archive recorded.
    static func archive(_ queue: DatabaseQueue, before: Date, to url: URL, key: AuditKey, codec: AuditArchiveCodec, now: Date) throws -> AuditArchiveRecord {
        try queue.write { db in
            guard let first = try Row.fetchOne(db, sql: "SELECT seq, prev_hash FROM audit_events ORDER BY seq LIMIT 1"),
                  let (lastSeq, _) = try AuditLog.head(db) else {
                throw SluiceError(.inputMissing, "the audit log is empty: nothing to archive")
            }
            let firstSeq: Int64 = first["seq"]
            let cutoff = AuditTime.string(before)
            let beforeSeq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_events WHERE time < ?", arguments: [cutoff]) ?? 0
            let boundary = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_seals WHERE seq <= ? AND seq >= ? AND seq < ? AND signature IS NOT NULL",
                                              arguments: [beforeSeq, firstSeq, lastSeq])
            guard let boundary else {
                throw SluiceError(.inputMissing, "no sealed rows before \(cutoff) to archive (the newest batch always stays in the log)")
            }
            let temp = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
            let writer = try codec.makeWriter(temp)
            var sha = SHA256()
            var count: Int64 = 0
            var lastHash = ""
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(AuditStoredRow.columns) FROM audit_events WHERE seq <= ? ORDER BY seq", arguments: [boundary])
            var pending: [UInt8] = []
            while let r = try cursor.next() {
                let row = AuditStoredRow.decode(r)
                let line = AuditArchives.line(row)
                sha.update(data: line)
                pending += line
                if pending.count >= 1 << 16 { try writer.write(pending); pending.removeAll(keepingCapacity: true) }
                count += 1
                lastHash = row.hash
            }
            let body = AuditArchiveRecord.body(first: firstSeq, last: boundary, prev: first["prev_hash"] ?? "", lastHash: lastHash, rows: count,
                                               sha: ContentHash.hex(Array(sha.finalize())), before: cutoff,
                                               createdAt: Timestamp.string(now), keyID: key.publicKey.keyID)
            let signature = try key.signEd25519(body)
            pending += Array("{\"archive\":".utf8) + body + Array(",\"signature\":\"\(signature)\"}\n".utf8)
            try writer.write(pending)
            try writer.finish()
            guard rename(temp.path, url.path) == 0 else {
                throw SluiceError(.cannotCreateOutput, "cannot move the archive into place at \(url.path)")
            }
            try db.execute(sql: "INSERT INTO audit_archives (last_seq, first_seq, body, signature) VALUES (?, ?, ?, ?)",
                           arguments: [boundary, firstSeq, String(decoding: body, as: UTF8.self), signature])
            // The append-only trigger is lifted for this one deletion and restored in the same transaction.
            try db.execute(sql: "DROP TRIGGER audit_events_no_delete")
            try db.execute(sql: "DELETE FROM audit_events WHERE seq <= ?", arguments: [boundary])
            try db.execute(sql: """
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
            guard let record = AuditArchiveRecord.parse(body: body, signature: signature) else {
                throw SluiceError(.internalError, "the archive record does not read back")
            }
            return record
        }
    }
}

extension StateDatabase {
    /// `sluice audit archive`: see `AuditArchives.archive`. Needs the secret key (it signs).
    public func archiveAudit(before: Date, to url: URL, codec: AuditArchiveCodec, now: Date = Date()) throws -> AuditArchiveRecord {
        let key = try AuditKey.load(audit.keyFile, create: false)
        return try AuditArchives.archive(queue, before: before, to: url, key: key, codec: codec, now: now)
    }
}
