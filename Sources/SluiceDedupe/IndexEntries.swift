import SluiceJSON

/// The layout of the dedupe index in stage state (one namespace per stage, `dedupe:<name>`).
///
/// | key | value |
/// |---|---|
/// | `meta` | JSON: permutations, shingle words, bands, rows, seed (a changed setting needs a new index) |
/// | `x:<sha256 hex>` | `DocRef`: the document holding this content key |
/// | `b:<band>:<hash hex>` | ids of documents in this LSH bucket (at most `bucketLimit`) |
/// | `d:<record id>` | `DocEntry`: content key, version id, MinHash signature |
/// | `v:<version id>` | `VersionEntry` (JSON): the newest version's record id, order value, content key |
///
/// Invariants (`sluice state check` verifies them): every `x:` and every bucket member names a
/// `d:` entry; every `d:` entry's content key maps back to it through `x:`; every `v:` entry
/// names a `d:` entry with that version id.
enum IndexKey {
    static func namespace(_ stage: String) -> String { "dedupe:\(stage)" }
    static let meta = "meta"
    static func exact(_ contentKey: String) -> String { "x:" + contentKey }
    static func doc(_ id: String) -> String { "d:" + id }
    static func version(_ id: String) -> String { "v:" + id }
    static func bucket(band: Int, hash: UInt64) -> String {
        let hex = String(hash, radix: 16)
        return "b:\(band):" + String(repeating: "0", count: 16 - hex.count) + hex
    }
    /// A bucket stops growing here: documents in one bucket are all pairwise below the
    /// threshold (or they would have been dropped), so a full bucket is a degenerate band.
    static let bucketLimit = 64
}

/// `x:` values: which document holds a content key, and its version id (length-prefixed, so ids
/// may hold any bytes).
struct DocRef: Hashable {
    var id: String
    var versionID: String?

    var bytes: [UInt8] {
        var out: [UInt8] = []
        putString(id, &out)
        if let versionID { putString(versionID, &out) }
        return out
    }

    init(id: String, versionID: String?) {
        self.id = id
        self.versionID = versionID
    }

    init?(bytes: [UInt8]) {
        var i = 0
        guard let id = getString(bytes, &i) else { return nil }
        self.id = id
        versionID = i < bytes.count ? getString(bytes, &i) : nil
    }
}

/// `d:` values: what is needed to remove a document from the index again, and to compare it.
struct DocEntry: Hashable {
    var contentKey: String
    var versionID: String?
    var signature: [UInt32]?

    /// `1`, content key (64 ASCII), u32 version-id length (0xFFFFFFFF: none), version id, u32
    /// signature count, signature (little-endian u32s).
    var bytes: [UInt8] {
        var out: [UInt8] = [1]
        out.append(contentsOf: contentKey.utf8.prefix(64))
        while out.count < 65 { out.append(0x20) }
        if let v = versionID {
            let b = Array(v.utf8)
            put32(UInt32(b.count), &out)
            out.append(contentsOf: b)
        } else {
            put32(UInt32.max, &out)
        }
        let sig = signature ?? []
        put32(UInt32(sig.count), &out)
        for x in sig { put32(x, &out) }
        return out
    }

    init(contentKey: String, versionID: String?, signature: [UInt32]?) {
        self.contentKey = contentKey
        self.versionID = versionID
        self.signature = signature
    }

    /// Nil when the bytes are not a `DocEntry` (a corrupt or foreign value).
    init?(bytes: [UInt8]) {
        guard bytes.count >= 73, bytes[0] == 1 else { return nil }
        contentKey = String(decoding: bytes[1..<65], as: UTF8.self)
        var i = 65
        guard let vlen = get32(bytes, &i) else { return nil }
        if vlen == UInt32.max {
            versionID = nil
        } else {
            guard i + Int(vlen) <= bytes.count else { return nil }
            versionID = String(decoding: bytes[i..<(i + Int(vlen))], as: UTF8.self)
            i += Int(vlen)
        }
        guard let n = get32(bytes, &i), i + Int(n) * 4 == bytes.count else { return nil }
        var sig: [UInt32] = []
        sig.reserveCapacity(Int(n))
        for _ in 0..<n { if let x = get32(bytes, &i) { sig.append(x) } }
        signature = sig.isEmpty ? nil : sig
    }
}

/// `v:` values: the newest accepted version of a version id.
struct VersionEntry: Hashable {
    var docID: String
    var order: JSONValue
    var contentKey: String

    var bytes: [UInt8] {
        JSONWriter.bytes(.object(JSONObject([("doc", .string(docID)), ("order", order), ("key", .string(contentKey))])))
    }

    init(docID: String, order: JSONValue, contentKey: String) {
        self.docID = docID
        self.order = order
        self.contentKey = contentKey
    }

    init?(bytes: [UInt8]) {
        guard let v = try? JSONParser.parse(bytes), let doc = v["doc"]?.stringValue, let order = v["order"],
              let key = v["key"]?.stringValue else { return nil }
        docID = doc
        self.order = order
        contentKey = key
    }
}

/// Bucket values: record ids, each length-prefixed.
enum Bucket {
    static func decode(_ bytes: [UInt8]?) -> [String] {
        guard let bytes else { return [] }
        var out: [String] = []
        var i = 0
        while i < bytes.count, let s = getString(bytes, &i) { out.append(s) }
        return out
    }
    static func encode(_ ids: [String]) -> [UInt8]? {
        guard !ids.isEmpty else { return nil }
        var out: [UInt8] = []
        for id in ids { putString(id, &out) }
        return out
    }
}

private func putString(_ s: String, _ out: inout [UInt8]) {
    let b = Array(s.utf8)
    put32(UInt32(truncatingIfNeeded: b.count), &out)
    out.append(contentsOf: b)
}

private func getString(_ b: [UInt8], _ i: inout Int) -> String? {
    guard let n = get32(b, &i), i + Int(n) <= b.count else { return nil }
    defer { i += Int(n) }
    return String(decoding: b[i..<(i + Int(n))], as: UTF8.self)
}

private func put32(_ x: UInt32, _ out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: x))
    out.append(UInt8(truncatingIfNeeded: x >> 8))
    out.append(UInt8(truncatingIfNeeded: x >> 16))
    out.append(UInt8(truncatingIfNeeded: x >> 24))
}

private func get32(_ b: [UInt8], _ i: inout Int) -> UInt32? {
    guard i + 4 <= b.count else { return nil }
    let x = UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    i += 4
    return x
}
