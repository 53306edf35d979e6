import Crypto
public import Foundation
import SluiceCore
public import SluiceJSON

/// The signed manifest of an audit export (`sluice audit export --manifest FILE`), checked
/// offline by `sluice audit verify-export` with the public key alone.
///
/// File: one line `{"manifest":BODY,"signature":"HEX"}`, HEX the Ed25519 signature of BODY's exact
/// bytes. BODY: format, the export's format (jsonl or csv), the rows' count and seq range, the
/// SHA-256 of the whole file, the SHA-256 of every block of `blockSize` row lines (so an edit is
/// located), the filter used, the time and the key id.
public struct AuditExportManifest: Sendable {
    public static let format = "sluice-audit-export/1"
    public static let blockSize = 1024

    public var rowFormat: String
    public var rows: Int
    public var firstSeq: Int64?
    public var lastSeq: Int64?
    public var sha256: String
    /// The last row's chain hash.
    public var lastHash: String?
    public var blocks: [String]
    public var filter: JSONValue
    public var createdAt: String
    public var keyID: String
    public var signature: String = ""
    public var bodyBytes: [UInt8] = []

    var body: JSONValue {
        var o = JSONObject()
        o["format"] = .string(Self.format)
        o["row_format"] = .string(rowFormat)
        o["rows"] = .number(JSONNumber(rows))
        o["first_seq"] = firstSeq.map { .number(JSONNumber(Int($0))) } ?? .null
        o["last_seq"] = lastSeq.map { .number(JSONNumber(Int($0))) } ?? .null
        o["sha256"] = .string(sha256)
        o["last_hash"] = lastHash.map { .string($0) } ?? .null
        o["block_size"] = .number(JSONNumber(Self.blockSize))
        o["blocks"] = .array(blocks.map { .string($0) })
        o["filter"] = filter
        o["created_at"] = .string(createdAt)
        o["key_id"] = .string(keyID)
        return .object(o)
    }

    /// The manifest of what `hasher` saw, signed with `key`.
    public static func signed(_ hasher: AuditExportHasher, rowFormat: String, filter: JSONValue, at time: Date, key: AuditKey) throws -> AuditExportManifest {
        let h = hasher.finish()
        var m = AuditExportManifest(rowFormat: rowFormat, rows: h.rows, firstSeq: h.firstSeq, lastSeq: h.lastSeq, sha256: h.sha256,
                                    lastHash: hasher.lastHash, blocks: h.blocks, filter: filter, createdAt: Timestamp.string(time), keyID: key.publicKey.keyID)
        m.bodyBytes = JSONWriter.bytes(m.body)
        m.signature = try key.signEd25519(m.bodyBytes)
        return m
    }

    /// The file text.
    public var fileText: String {
        "{\"manifest\":" + String(decoding: bodyBytes, as: UTF8.self) + ",\"signature\":\"" + signature + "\"}\n"
    }

    /// Parses a manifest file; nil when it is not one.
    public static func parse(_ bytes: [UInt8]) -> AuditExportManifest? {
        var b = bytes
        while b.last == 0x0A || b.last == 0x0D { b.removeLast() }
        let prefix = Array("{\"manifest\":".utf8)
        let suffixLength = ",\"signature\":\"".utf8.count + 128 + 2
        guard b.count > prefix.count + suffixLength, Array(b.prefix(prefix.count)) == prefix else { return nil }
        let body = Array(b[prefix.count..<(b.count - suffixLength)])
        let tail = String(decoding: b[(b.count - suffixLength)...], as: UTF8.self)
        guard tail.hasPrefix(",\"signature\":\""), tail.hasSuffix("\"}"),
              let v = try? JSONParser.parse(body), case .object(let o) = v, o["format"] == .string(format),
              case .number(let rows)? = o["rows"], let n = Int(rows.text), case .string(let sha)? = o["sha256"],
              case .array(let blocks)? = o["blocks"], o["block_size"]?.numberValue?.intValue == blockSize else { return nil }
        var m = AuditExportManifest(rowFormat: o["row_format"]?.stringValue ?? "", rows: n,
                                    firstSeq: o["first_seq"]?.numberValue.flatMap { Int64($0.text) },
                                    lastSeq: o["last_seq"]?.numberValue.flatMap { Int64($0.text) }, sha256: sha,
                                    lastHash: o["last_hash"]?.stringValue,
                                    blocks: blocks.compactMap(\.stringValue), filter: o["filter"] ?? .null,
                                    createdAt: o["created_at"]?.stringValue ?? "", keyID: o["key_id"]?.stringValue ?? "")
        m.signature = String(tail.dropFirst(",\"signature\":\"".count).dropLast(2))
        m.bodyBytes = body
        return m
    }
}

/// SHA-256 of an export as it is written: the whole file, and each block of row lines.
public struct AuditExportHasher {
    private var whole = SHA256()
    private var block = SHA256()
    private var inBlock = 0
    private var blocks: [String] = []
    private var rows = 0
    private var firstSeq: Int64?
    private var lastSeq: Int64?

    public init() {}

    /// A line that is not a row (a CSV header).
    public mutating func header(_ bytes: [UInt8]) { whole.update(data: bytes) }

    /// The last row's chain hash.
    public private(set) var lastHash: String?

    /// A row line, with its line terminator, and the row's chain hash.
    public mutating func row(seq: Int64, hash: String? = nil, _ bytes: [UInt8]) {
        lastHash = hash
        whole.update(data: bytes)
        block.update(data: bytes)
        rows += 1
        if firstSeq == nil { firstSeq = seq }
        lastSeq = seq
        inBlock += 1
        if inBlock == AuditExportManifest.blockSize { closeBlock() }
    }

    private mutating func closeBlock() {
        blocks.append(ContentHash.hex(Array(block.finalize())))
        block = SHA256()
        inBlock = 0
    }

    public func finish() -> (rows: Int, firstSeq: Int64?, lastSeq: Int64?, sha256: String, blocks: [String]) {
        var copy = self
        if copy.inBlock > 0 { copy.closeBlock() }
        return (rows, firstSeq, lastSeq, ContentHash.hex(Array(copy.whole.finalize())), copy.blocks)
    }
}
