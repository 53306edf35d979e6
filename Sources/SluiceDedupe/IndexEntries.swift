import SluiceJSON

/// The layout of the dedupe index in stage state (one namespace per stage, `dedupe:<name>`),
/// format 2: an append-only log of documents, read back into memory (`KeyTable`) when a run begins.
///
/// | key | value |
/// |---|---|
/// | `meta` | JSON: format, permutations, shingle words, bands, rows (a changed setting needs a new index) |
/// | `seq` | the next document ordinal (u64) |
/// | `n:<ordinal, 16 hex>` | `DocRecord`: record id, content key, version id and order, MinHash signature |
/// | `k:<ordinal, 16 hex>` | `KeyLog`: the lookup keys of the documents one batch added, from this ordinal on |
///
/// A document that leaves the index (an older version, or the same record id with new content)
/// loses its `n:` row; its lookup keys stay in the `k:` rows (and in memory) and are skipped when
/// a lookup finds no `n:` row behind them. Invariants (`sluice state check` verifies them): every
/// `n:` row's ordinal is below `seq` and its keys are in a `k:` row; no two `n:` rows hold the same
/// record id or the same version id. Format 1 (one row per content key, LSH bucket, document and
/// version) is converted when a run begins (`LegacyIndex`).
enum IndexKey {
    static func namespace(_ stage: String) -> String { "dedupe:\(stage)" }
    static let meta = "meta"
    static let sequence = "seq"
    static func doc(_ ordinal: UInt64) -> String { "n:" + hex16(ordinal) }
    static func keyLog(_ firstOrdinal: UInt64) -> String { "k:" + hex16(firstOrdinal) }
    /// The `k:` rows of ordinals `chunk << 16 ..< (chunk + 1) << 16`, as a key prefix: reading the
    /// log in chunks keeps the rows in memory at once bounded.
    static func keyLogChunk(_ chunk: UInt64) -> String { "k:" + String(hex16(chunk << 16).prefix(12)) }
    /// A bucket stops growing here: documents in one bucket are all pairwise below the
    /// threshold (or they would have been dropped), so a full bucket is a degenerate band.
    static let bucketLimit = 64

    static func hex16(_ x: UInt64) -> String {
        let hex = String(x, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func ordinal(ofDocKey key: String) -> UInt64? { UInt64(key.dropFirst(2), radix: 16) }
}

/// The 64-bit keys a document is found by in memory: its content key, record id, version id and
/// LSH bands, each hashed with its kind so that they never meet.
enum LookupKey {
    static func exact(_ contentKey: String) -> UInt64 { hash(contentKey, kind: 1) }
    static func doc(_ id: String) -> UInt64 { hash(id, kind: 2) }
    static func version(_ id: String) -> UInt64 { hash(id, kind: 3) }
    static func band(_ band: Int, _ hash: UInt64) -> UInt64 { Shingler.mix(hash ^ (0x5851_F42D_4C95_7F2D &* UInt64(band + 1))) }

    static func hash(_ s: String, kind: UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ kind
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Shingler.mix(h)
    }

    /// Every key of a document, in the order `KeyLog` stores them: content key, record id,
    /// version id (when versioned), then the bands.
    static func all(_ d: DocRecord, bands: LSHBands?) -> (keys: [UInt64], bandCount: Int) {
        var keys = [exact(d.contentKey), doc(d.id)]
        if let v = d.versionID { keys.append(version(v)) }
        guard let bands, let sig = d.signature else { return (keys, 0) }
        for b in 0..<bands.bands { keys.append(band(b, bands.bandHash(sig, band: b))) }
        return (keys, bands.bands)
    }
}

/// `n:` values: everything the index holds about one document.
struct DocRecord: Hashable {
    var id: String
    var contentKey: String
    var versionID: String?
    /// The version's `order_by` value (versioned documents only).
    var order: JSONValue?
    var signature: [UInt32]?

    /// `2`, id, content key (64 ASCII), version id, order (JSON), signature count and signature
    /// (little-endian u32s); strings are u32-length-prefixed, 0xFFFFFFFF meaning absent.
    var bytes: [UInt8] {
        var out: [UInt8] = [2]
        Bytes.putString(id, &out)
        out.append(contentsOf: contentKey.utf8.prefix(64))
        while out.count < 65 + 4 + id.utf8.count { out.append(0x20) }
        Bytes.putOptional(versionID.map { Array($0.utf8) }, &out)
        Bytes.putOptional(order.map { JSONWriter.bytes($0) }, &out)
        let sig = signature ?? []
        Bytes.put32(UInt32(sig.count), &out)
        for x in sig { Bytes.put32(x, &out) }
        return out
    }

    init(id: String, contentKey: String, versionID: String?, order: JSONValue?, signature: [UInt32]?) {
        self.id = id
        self.contentKey = contentKey
        self.versionID = versionID
        self.order = order
        self.signature = signature
    }

    /// Nil when the bytes are not a `DocRecord` (a corrupt or foreign value).
    init?(bytes: [UInt8]) {
        guard bytes.first == 2 else { return nil }
        var i = 1
        guard let id = Bytes.getString(bytes, &i), i + 64 <= bytes.count else { return nil }
        self.id = id
        contentKey = String(decoding: bytes[i..<(i + 64)], as: UTF8.self)
        i += 64
        guard let v = Bytes.getOptional(bytes, &i), let o = Bytes.getOptional(bytes, &i) else { return nil }
        versionID = v.map { String(decoding: $0, as: UTF8.self) }
        if let o {
            guard let parsed = try? JSONParser.parse(o) else { return nil }
            order = parsed
        } else {
            order = nil
        }
        guard let n = Bytes.get32(bytes, &i), i + Int(n) * 4 == bytes.count else { return nil }
        var sig: [UInt32] = []
        sig.reserveCapacity(Int(n))
        for _ in 0..<n { if let x = Bytes.get32(bytes, &i) { sig.append(x) } }
        signature = sig.isEmpty ? nil : sig
    }
}

/// `k:` values: for each document a batch added, its ordinal (u64), whether it has a version key
/// (u8), its band count (u8) and its lookup keys (u64s, in `LookupKey.all` order).
struct KeyLog {
    struct Entry: Hashable {
        var ordinal: UInt64
        var keys: [UInt64]
        var bandCount: Int
    }

    var bytes: [UInt8] = []

    mutating func append(ordinal: UInt64, keys: [UInt64], bandCount: Int) {
        Bytes.put64(ordinal, &bytes)
        bytes.append(UInt8(keys.count - bandCount))
        bytes.append(UInt8(bandCount))
        for k in keys { Bytes.put64(k, &bytes) }
    }

    /// The entries, or nil when the bytes are not a key log.
    static func entries(_ bytes: [UInt8]) -> [Entry]? {
        var out: [Entry] = []
        var i = 0
        while i < bytes.count {
            guard let ord = Bytes.get64(bytes, &i), i + 2 <= bytes.count else { return nil }
            let plain = Int(bytes[i]), bands = Int(bytes[i + 1])
            i += 2
            var keys: [UInt64] = []
            keys.reserveCapacity(plain + bands)
            for _ in 0..<(plain + bands) {
                guard let k = Bytes.get64(bytes, &i) else { return nil }
                keys.append(k)
            }
            out.append(Entry(ordinal: ord, keys: keys, bandCount: bands))
        }
        return out
    }
}

/// Which document holds a content key, and its version id (in memory, while a batch runs).
struct DocRef: Hashable {
    var id: String
    var versionID: String?
}

/// The newest accepted version of a version id (in memory, while a batch runs).
struct VersionEntry: Hashable {
    var docID: String
    var order: JSONValue
    var contentKey: String
}

/// Little-endian integers and length-prefixed strings.
enum Bytes {
    static func putString(_ s: String, _ out: inout [UInt8]) {
        let b = Array(s.utf8)
        put32(UInt32(truncatingIfNeeded: b.count), &out)
        out.append(contentsOf: b)
    }

    static func getString(_ b: [UInt8], _ i: inout Int) -> String? {
        guard let n = get32(b, &i), i + Int(n) <= b.count else { return nil }
        defer { i += Int(n) }
        return String(decoding: b[i..<(i + Int(n))], as: UTF8.self)
    }

    static func putOptional(_ bytes: [UInt8]?, _ out: inout [UInt8]) {
        guard let bytes else { return put32(UInt32.max, &out) }
        put32(UInt32(truncatingIfNeeded: bytes.count), &out)
        out.append(contentsOf: bytes)
    }

    /// `.some(nil)` for an absent value, nil for unreadable bytes.
    static func getOptional(_ b: [UInt8], _ i: inout Int) -> [UInt8]?? {
        guard let n = get32(b, &i) else { return nil }
        if n == UInt32.max { return .some(nil) }
        guard i + Int(n) <= b.count else { return nil }
        defer { i += Int(n) }
        return .some(Array(b[i..<(i + Int(n))]))
    }

    static func put32(_ x: UInt32, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: x >> UInt32(s))) }
    }

    static func put64(_ x: UInt64, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: x >> UInt64(s))) }
    }

    static func get32(_ b: [UInt8], _ i: inout Int) -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        let x = UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        i += 4
        return x
    }

    static func get64(_ b: [UInt8], _ i: inout Int) -> UInt64? {
        guard let lo = get32(b, &i), let hi = get32(b, &i) else { return nil }
        return UInt64(lo) | UInt64(hi) << 32
    }
}
