import Crypto
import Foundation
import SluiceCore

/// One audit row exactly as stored: every column that the hash covers, as text (or nil for NULL).
public struct AuditRow: Sendable, Hashable {
    public var seq: Int64
    public var runID: String
    public var time: String
    public var actor: String
    public var event: String
    public var recordID: String?
    public var parentID: String?
    public var input: String?
    public var uri: String?
    /// JSON text (`{"line":3,"byte":120}`).
    public var locator: String?
    public var stage: String?
    public var reason: String?
    /// JSON text.
    public var details: String?
    public var credentialFingerprint: String?
    /// Lowercase hex SHA-256 of the previous row (64 zeros for the first row).
    public var prevHash: String
    /// Lowercase hex `SHA-256(prev_hash bytes || canonical(row))`.
    public var hash: String

    public init(seq: Int64, runID: String, time: String, actor: String, event: String, recordID: String? = nil,
                parentID: String? = nil, input: String? = nil, uri: String? = nil, locator: String? = nil,
                stage: String? = nil, reason: String? = nil, details: String? = nil,
                credentialFingerprint: String? = nil, prevHash: String = AuditChain.genesis, hash: String = "") {
        self.seq = seq
        self.runID = runID
        self.time = time
        self.actor = actor
        self.event = event
        self.recordID = recordID
        self.parentID = parentID
        self.input = input
        self.uri = uri
        self.locator = locator
        self.stage = stage
        self.reason = reason
        self.details = details
        self.credentialFingerprint = credentialFingerprint
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The hash chain over the audit log (documented in docs/compliance.md, "How the chain is built").
///
/// `canonical(row)` is, for each of the 14 columns in this order — seq, run_id, time, actor,
/// event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp — either
/// the single byte 0x00 (NULL) or the byte 0x01, the value's UTF-8 length as 8 bytes big-endian,
/// and the UTF-8 bytes (seq as its decimal digits). The length prefix makes the encoding
/// injective: no two different rows encode to the same bytes. `hash = SHA-256(P || canonical)`
/// where P is the 32 raw bytes of the previous row's hash (32 zero bytes for seq 1).
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical bytes of `row` (its `prevHash` and `hash` are not part of them).
    public static func canonical(_ row: AuditRow) -> [UInt8] {
        var out: [UInt8] = []
        canonical(row, into: &out)
        return out
    }

    static func canonical(_ row: AuditRow, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(512)
        append(String(row.seq), to: &out)
        append(row.runID, to: &out)
        append(row.time, to: &out)
        append(row.actor, to: &out)
        append(row.event, to: &out)
        append(row.recordID, to: &out)
        append(row.parentID, to: &out)
        append(row.input, to: &out)
        append(row.uri, to: &out)
        append(row.locator, to: &out)
        append(row.stage, to: &out)
        append(row.reason, to: &out)
        append(row.details, to: &out)
        append(row.credentialFingerprint, to: &out)
    }

    /// Chains rows one after another without re-reading hex: what the writer uses.
    struct Sealer {
        private var prev: [UInt8]
        private(set) var prevHex: String
        private var buffer: [UInt8] = []

        init(prevHash: String) {
            prev = AuditChain.prevBytes(prevHash)
            prevHex = prevHash
        }

        mutating func seal(_ row: inout AuditRow) {
            let (hex, raw) = AuditChain.hash(row, prevRaw: prev, buffer: &buffer)
            row.prevHash = prevHex
            row.hash = hex
            prev = raw
            prevHex = hex
        }
    }

    /// `hash` for `row` given the previous row's hash (hex). A malformed `prevHash` hashes as
    /// its UTF-8 bytes, so it can never match a well-formed chain by accident.
    public static func hash(_ row: AuditRow, prevHash: String) -> String {
        var buffer: [UInt8] = []
        return hash(row, prevRaw: prevBytes(prevHash), buffer: &buffer).hex
    }

    /// The bytes a previous hash contributes: its 32 raw bytes, or the text of a malformed one.
    static func prevBytes(_ prevHash: String) -> [UInt8] {
        bytes(hex: prevHash).flatMap { $0.count == 32 ? $0 : nil } ?? Array(prevHash.utf8)
    }

    /// `hash` of `row` whose predecessor contributes `prevRaw` (`prevBytes`), reusing `buffer`.
    static func hash(_ row: AuditRow, prevRaw: [UInt8], buffer: inout [UInt8]) -> (hex: String, raw: [UInt8]) {
        canonical(row, into: &buffer)
        var hasher = SHA256()
        hasher.update(data: prevRaw)
        hasher.update(data: buffer)
        let digest = Array(hasher.finalize())
        return (ContentHash.hex(digest), digest)
    }

    /// Fills in `prevHash` and `hash` of `row`.
    public static func seal(_ row: inout AuditRow, after prevHash: String) {
        row.prevHash = prevHash
        row.hash = hash(row, prevHash: prevHash)
    }

    private static func append(_ value: String?, to out: inout [UInt8]) {
        guard var value else { out.append(0); return }
        out.append(1)
        value.withUTF8 { u in
            var n = UInt64(u.count).bigEndian
            withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
            out.append(contentsOf: u)
        }
    }

    /// Bytes of a lowercase or uppercase hex string, nil when it is not hex.
    static func bytes(hex: String) -> [UInt8]? {
        let u = Array(hex.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
