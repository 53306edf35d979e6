import SluiceCore
import SluiceJSON

/// The `dedupe` stage's options, read and checked once.
struct DedupeConfig: Sendable {
    struct Near: Sendable {
        var threshold: Double
        var confirmAt: Double
        var shingler: Shingler
        var hasher: MinHasher
        var bands: LSHBands
    }
    struct Versions: Sendable {
        var id: JSONPointer
        var orderBy: JSONPointer
    }

    var keyer: ContentKeyer
    var exact: Bool
    var near: Near?
    var versions: Versions?

    init(options: ComponentOptions) throws {
        let fields = try options.pointers("key") ?? []
        keyer = ContentKeyer(fields: fields, normalizer: TextNormalizer(caseFold: try options.bool("case_fold") ?? false))
        exact = try options.bool("exact") ?? true
        if options.isSet("near_duplicates"), let n = options.object("near_duplicates") {
            let threshold = try n.double("threshold") ?? 0.8
            let perms = try n.int("permutations") ?? 128
            let fnw = try n.double("false_negative_weight") ?? 0.9
            let margin = try n.double("margin") ?? 0.05
            guard threshold > 0, threshold <= 1 else {
                throw ConfigDiagnostic.error("invalid_value", "near_duplicates.threshold must be in (0, 1]", at: n.location("threshold"))
            }
            near = Near(threshold: threshold, confirmAt: threshold - margin,
                        shingler: Shingler(size: try n.int("shingle_words") ?? 5),
                        hasher: MinHasher(permutations: perms),
                        bands: LSHBands.optimal(threshold: threshold, permutations: perms,
                                                falsePositiveWeight: 1 - fnw, falseNegativeWeight: fnw))
        }
        if options.isSet("versions"), let v = options.object("versions") {
            guard let id = try v.pointer("id"), let order = try v.pointer("order_by") else {
                throw ConfigDiagnostic.error("missing_option", "versions needs both 'id' and 'order_by'", at: options.location("versions"))
            }
            versions = Versions(id: id, orderBy: order)
        }
    }

    /// What the stored index depends on; a stored index with other settings cannot be reused.
    var meta: [UInt8] { meta(format: 2) }

    /// The lookup keys of a document with every option on: content key, record id, version id, bands.
    var keysPerDocument: Int { 2 + (versions == nil ? 0 : 1) + (near?.bands.bands ?? 0) }

    /// `meta` as format `format` of the index layout wrote it (`IndexKey`; format 1: `LegacyIndex`).
    func meta(format: Int) -> [UInt8] {
        var o = JSONObject()
        o["format"] = .number(JSONNumber(format))
        if let near {
            o["permutations"] = .number(JSONNumber(near.hasher.permutations))
            o["shingle_words"] = .number(JSONNumber(near.shingler.size))
            o["bands"] = .number(JSONNumber(near.bands.bands))
            o["rows"] = .number(JSONNumber(near.bands.rows))
        }
        return JSONWriter.bytes(.object(o))
    }
}
