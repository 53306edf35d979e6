import SluiceCharset
/// Re-encodes text into the mojibake charsets quickly: one flat table gives, for each scalar
/// below U+2600, the set of charsets that can encode it (a bit per charset in
/// `SingleByteCodecs.mojibakeOrder`) and the byte in each. One pass over the text finds every
/// charset that can encode all of it.
struct MojibakeEncoder: Sendable {
    static let bound: UInt32 = 0x2600
    static let shared = MojibakeEncoder(SingleByteCodecs.mojibakeOrder)

    let codecs: [SingleByteCodec]
    /// Bit k set: codec k encodes the scalar.
    private let masks: [UInt16]
    /// `bytes[k * bound + v]`: the byte of scalar v in codec k.
    private let bytes: [UInt8]

    init(_ codecs: [SingleByteCodec]) {
        self.codecs = codecs
        var masks = [UInt16](repeating: 0, count: Int(Self.bound))
        var bytes = [UInt8](repeating: 0, count: Int(Self.bound) * codecs.count)
        for (k, codec) in codecs.enumerated() {
            for v in 0..<Self.bound {
                if let b = codec.encode(v) {
                    masks[Int(v)] |= 1 << UInt16(k)
                    bytes[k * Int(Self.bound) + Int(v)] = b
                }
            }
        }
        self.masks = masks
        self.bytes = bytes
    }

    /// Bit k set when codec k can encode every scalar.
    func encodableMask(_ s: [UInt32]) -> UInt16 {
        var m: UInt16 = (1 << UInt16(codecs.count)) - 1
        for v in s {
            if v < Self.bound {
                m &= masks[Int(v)]
            } else {
                var mv: UInt16 = 0
                for (k, c) in codecs.enumerated() where c.canEncode(v) { mv |= 1 << UInt16(k) }
                m &= mv
            }
            if m == 0 { return 0 }
        }
        return m
    }

    /// The bytes of `s` in codec `k`, which must be able to encode all of it.
    func encode(_ s: [UInt32], codec k: Int) -> [UInt8] {
        let base = k * Int(Self.bound)
        return [UInt8](unsafeUninitializedCapacity: s.count) { out, count in
            for i in s.indices {
                let v = s[i]
                out[i] = v < Self.bound ? bytes[base + Int(v)] : (codecs[k].encode(v) ?? 0x3F)
            }
            count = s.count
        }
    }
}
