public import Foundation
import GRDB
import SluiceCore
import SluiceJSON

/// A signed statement "the log reached seq `seq`, whose hash is `hash`, at `time`".
///
/// Every batch that appends audit rows also appends a seal over the new chain head, in the same
/// SQLite transaction (`audit_seals` table): a committed log therefore always ends with a seal,
/// and rows after the last seal can only be there by tampering. A crash rolls back rows and seal
/// together. The signature is Ed25519 over `message` (see docs/compliance.md).
///
/// A head (`sluice audit head`) is the same statement as a one-line JSON file kept elsewhere.
public struct AuditSeal: Sendable, Hashable {
    public static let headFormat = "sluice-audit-head/1"

    public var seq: Int64
    public var hash: String
    public var time: String
    public var keyID: String?
    /// Hex Ed25519 signature; nil only for the one unsigned marker the seals migration writes at
    /// the head of a log that existed before seals (its rows are covered by the HMAC digests).
    public var signature: String?

    public init(seq: Int64, hash: String, time: String, keyID: String?, signature: String?) {
        self.seq = seq
        self.hash = hash
        self.time = time
        self.keyID = keyID
        self.signature = signature
    }

    /// The signed bytes: `sluice-audit-seal/1`, seq, hash, time and key id, one per line.
    public var message: [UInt8] {
        Array("sluice-audit-seal/1\n\(seq)\n\(hash)\n\(time)\n\(keyID ?? "")".utf8)
    }

    /// A seal over (`seq`, `hash`, `time`) signed with `key`.
    public static func signed(seq: Int64, hash: String, time: String, key: AuditKey) throws -> AuditSeal {
        var s = AuditSeal(seq: seq, hash: hash, time: time, keyID: key.publicKey.keyID, signature: nil)
        s.signature = try key.signEd25519(s.message)
        return s
    }

    public func isValid(under key: AuditPublicKey) -> Bool {
        guard let signature, keyID == key.keyID else { return false }
        return key.isValid(signature: signature, for: message)
    }

    // MARK: head files

    /// The head file's one line of JSON.
    public var headJSON: String {
        var o = JSONObject()
        o["format"] = .string(Self.headFormat)
        o["seq"] = .number(JSONNumber(Int(seq)))
        o["hash"] = .string(hash)
        o["time"] = .string(time)
        o["key_id"] = keyID.map { .string($0) } ?? .null
        o["signature"] = signature.map { .string($0) } ?? .null
        return JSONWriter.string(.object(o)) + "\n"
    }

    /// Parses a head file; nil when it is not one.
    public static func parseHead(_ text: String) -> AuditSeal? {
        guard let v = try? JSONParser.parse(Array(text.utf8)), case .object(let o) = v,
              o["format"] == .string(headFormat), case .number(let n)? = o["seq"], let seq = Int64(n.text),
              case .string(let hash)? = o["hash"], case .string(let time)? = o["time"] else { return nil }
        return AuditSeal(seq: seq, hash: hash, time: time, keyID: o["key_id"]?.stringValue, signature: o["signature"]?.stringValue)
    }

    public static func loadHead(_ url: URL) throws -> AuditSeal {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SluiceError(.inputMissing, "the head file \(url.path) does not exist or cannot be read")
        }
        guard let head = parseHead(String(decoding: data, as: UTF8.self)) else {
            throw SluiceError(.dataError, "\(url.path) is not an audit head (expected one line of \(headFormat) JSON)")
        }
        return head
    }
}

/// The `audit_seals` table.
enum AuditSeals {
    static let migrationName = "v4: audit seals"

    /// Creates the table and its append-only triggers; a log that already has rows gets one
    /// unsigned marker seal at its head (those rows predate signing; the HMAC digests cover them).
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_seals (
              seq INTEGER PRIMARY KEY,
              hash TEXT NOT NULL,
              time TEXT NOT NULL,
              key_id TEXT,
              signature TEXT
            );
            CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
              BEGIN SELECT RAISE(ABORT, 'the audit seals are append-only'); END;
            CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
              BEGIN SELECT RAISE(ABORT, 'the audit seals are append-only'); END;
            """)
        try AuditArchives.create(db)
        if let (seq, hash) = try AuditLog.head(db) {
            try db.execute(sql: "INSERT INTO audit_seals (seq, hash, time, key_id, signature) VALUES (?, ?, ?, NULL, NULL)",
                           arguments: [seq, hash, AuditTime.string(Date())])
        }
    }

    static func append(_ seal: AuditSeal, in db: Database) throws {
        try db.execute(sql: "INSERT INTO audit_seals (seq, hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?)",
                       arguments: [seal.seq, seal.hash, seal.time, seal.keyID, seal.signature])
    }

    /// Whether the table exists (a log opened read-only may predate it).
    static func exists(_ db: Database) throws -> Bool {
        try db.tableExists("audit_seals")
    }

    /// Whether the seals migration ran (then a missing table is damage, not age).
    static func migrated(_ db: Database) throws -> Bool {
        guard try db.tableExists("grdb_migrations") else { return false }
        return try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM grdb_migrations WHERE identifier = ?", arguments: [migrationName]) ?? false
    }

    static func all(_ db: Database) throws -> [AuditSeal] {
        guard try exists(db) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT seq, hash, time, key_id, signature FROM audit_seals ORDER BY seq").map {
            AuditSeal(seq: $0["seq"], hash: $0["hash"] ?? "", time: $0["time"] ?? "", keyID: $0["key_id"], signature: $0["signature"])
        }
    }

    static func last(_ db: Database) throws -> AuditSeal? {
        guard try exists(db) else { return nil }
        return try Row.fetchOne(db, sql: "SELECT seq, hash, time, key_id, signature FROM audit_seals ORDER BY seq DESC LIMIT 1").map {
            AuditSeal(seq: $0["seq"], hash: $0["hash"] ?? "", time: $0["time"] ?? "", keyID: $0["key_id"], signature: $0["signature"])
        }
    }
}
