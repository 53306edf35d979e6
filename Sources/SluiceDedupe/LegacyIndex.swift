import SluiceCore
import SluiceJSON

/// Format 1 of the dedupe index (Sluice before the append-only log), read once to convert it:
/// one row per document (`d:<id>`: content key, version id, signature), per content key
/// (`x:<sha256 hex>`), per LSH bucket (`b:<band>:<hash hex>`: the ids in it) and per version id
/// (`v:<id>`: JSON with the newest version's id, order and content key).
///
/// `convert` gives every document an ordinal (in id order) and returns the format-2 rows and the
/// deletion of every format-1 row; `DedupeStage` commits them with the next batch's state
/// transaction, so an interrupted conversion is done again by the next run. It reads the whole
/// index into memory once (about 1 KB per document).
enum LegacyIndex {
    static let format = 1

    static func convert(namespace: String, reader: any StageStateReader, config: DedupeConfig)
        throws -> (writes: [String: [UInt8]?], docs: [(ordinal: UInt64, record: DocRecord)]) {
        var orders: [String: (doc: String, order: JSONValue)] = [:]
        var writes: [String: [UInt8]?] = [:]
        for (k, v) in try reader.values(namespace: namespace, prefix: "v:") {
            writes[k] = .some(nil)
            if let o = try? JSONParser.parse(v), let doc = o["doc"]?.stringValue, let order = o["order"] {
                orders[String(k.dropFirst(2))] = (doc, order)
            }
        }
        for (k, _) in try reader.values(namespace: namespace, prefix: "x:") { writes[k] = .some(nil) }
        var docs: [(ordinal: UInt64, record: DocRecord)] = []
        var log = KeyLog()
        var logStart: UInt64 = 0
        for (k, v) in try reader.values(namespace: namespace, prefix: "d:") {
            writes[k] = .some(nil)
            guard let e = entry(v) else {
                throw SluiceError(.ioError, "the dedupe index '\(namespace)' (format 1) has an unreadable document entry \(k); run `sluice state check`")
            }
            let id = String(k.dropFirst(2))
            var order: JSONValue?
            if let vid = e.versionID, let o = orders[vid], o.doc == id { order = o.order }
            let record = DocRecord(id: id, contentKey: e.contentKey, versionID: e.versionID, order: order, signature: e.signature)
            let ordinal = UInt64(docs.count)
            if let sig = e.signature, let bands = config.near?.bands {
                for b in 0..<bands.bands { writes[bucketKey(band: b, hash: bands.bandHash(sig, band: b))] = .some(nil) }
            }
            writes[IndexKey.doc(ordinal)] = record.bytes
            let (keys, bandCount) = LookupKey.all(record, bands: config.near?.bands)
            log.append(ordinal: ordinal, keys: keys, bandCount: bandCount)
            docs.append((ordinal, record))
            if docs.count % 1024 == 0 {
                writes[IndexKey.keyLog(logStart)] = log.bytes
                log = KeyLog()
                logStart = UInt64(docs.count)
            }
        }
        if !log.bytes.isEmpty { writes[IndexKey.keyLog(logStart)] = log.bytes }
        return (writes, docs)
    }

    /// A format-1 `d:` value: `1`, content key (64 ASCII), u32 version-id length (0xFFFFFFFF:
    /// none), version id, u32 signature count, signature (little-endian u32s).
    static func entry(_ bytes: [UInt8]) -> (contentKey: String, versionID: String?, signature: [UInt32]?)? {
        guard bytes.count >= 73, bytes[0] == 1 else { return nil }
        let contentKey = String(decoding: bytes[1..<65], as: UTF8.self)
        var i = 65
        guard let vlen = Bytes.get32(bytes, &i) else { return nil }
        var versionID: String?
        if vlen != UInt32.max {
            guard i + Int(vlen) <= bytes.count else { return nil }
            versionID = String(decoding: bytes[i..<(i + Int(vlen))], as: UTF8.self)
            i += Int(vlen)
        }
        guard let n = Bytes.get32(bytes, &i), i + Int(n) * 4 == bytes.count else { return nil }
        var sig: [UInt32] = []
        for _ in 0..<n { if let x = Bytes.get32(bytes, &i) { sig.append(x) } }
        return (contentKey, versionID, sig.isEmpty ? nil : sig)
    }

    /// A format-1 bucket key.
    static func bucketKey(band: Int, hash: UInt64) -> String { "b:\(band):" + IndexKey.hex16(hash) }
}
