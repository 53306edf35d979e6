/// A single-byte charset as two tables: byte → scalar and scalar → byte.
///
/// Tables come from glibc's iconv at first use (no tables are copied into the source). A *sloppy*
/// codec (the Windows code pages) maps the bytes the code page leaves undefined to the Latin-1
/// control with the same number, as browsers do, so that every byte round-trips; it also maps
/// byte 0x1A to U+FFFD and back, which lets mojibake repair see through text whose undefined
/// bytes were already replaced by U+FFFD.
package struct SingleByteCodec: Sendable {
    /// Our name for it, as it appears in fix explanations: `windows-1252`.
    package let name: String
    package let sloppy: Bool
    /// Scalar value for each byte; 0xFFFF_FFFF where the byte is undefined.
    package let decodeTable: [UInt32]
    private let encodeHigh: [UInt32: UInt8]
    /// For each byte: its character's UTF-8 (up to 3 bytes, low byte first) and, in the top
    /// byte, the length; 0 where the byte is undefined.
    private let utf8Table: [UInt32]

    package init?(name: String, iconvName: String, sloppy: Bool, patches: [UInt8: UInt32] = [:]) {
        var table = [UInt32](repeating: 0xFFFF_FFFF, count: 256)
        for b in 0..<128 { table[b] = UInt32(b) }
        var knownAny = false
        for b in 128..<256 {
            if let s = IconvDecoder.decode([UInt8(b)], charset: iconvName), s.unicodeScalars.count == 1,
               let v = s.unicodeScalars.first?.value {
                table[b] = v
                knownAny = true
            } else if sloppy {
                table[b] = UInt32(b)
            }
        }
        guard knownAny else { return nil }
        for (b, v) in patches { table[Int(b)] = v }
        if sloppy { table[0x1A] = 0xFFFD }
        var enc: [UInt32: UInt8] = [:]
        for b in 0..<256 where table[b] != 0xFFFF_FFFF && (table[b] >= 0x80 || table[b] == 0xFFFD) {
            enc[table[b]] = UInt8(b)
        }
        var u8 = [UInt32](repeating: 0, count: 256)
        for b in 0..<256 where table[b] != 0xFFFF_FFFF {
            guard let sc = Unicode.Scalar(table[b]) else { continue }
            let units = Array(String(sc).utf8)
            guard units.count <= 3 else { continue }
            var e = UInt32(units.count) << 24
            for (k, u) in units.enumerated() { e |= UInt32(u) << (8 * UInt32(k)) }
            u8[b] = e
        }
        self.utf8Table = u8
        self.name = name
        self.sloppy = sloppy
        self.decodeTable = table
        self.encodeHigh = enc
    }

    /// The byte for a scalar, or nil when the charset cannot represent it.
    @inline(__always)
    package func encode(_ v: UInt32) -> UInt8? {
        if v < 0x80 {
            if sloppy && v == 0x1A { return nil }
            return UInt8(v)
        }
        return encodeHigh[v]
    }

    package func canEncode(_ v: UInt32) -> Bool { encode(v) != nil }

    /// Encodes the whole string, or nil when some scalar has no byte.
    package func encode(_ text: Substring.UnicodeScalarView) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for s in text {
            guard let b = encode(s.value) else { return nil }
            out.append(b)
        }
        return out
    }

    /// Decodes bytes; nil when one of them is undefined in this charset. Writes UTF-8 straight
    /// from a per-byte table (much faster than appending scalars one by one).
    package func decode(_ bytes: some Sequence<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            if b < 0x80 { out.append(b); continue }
            let e = utf8Table[Int(b)]
            let n = Int(e >> 24)
            if n == 0 { return nil }
            out.append(UInt8(truncatingIfNeeded: e))
            if n > 1 { out.append(UInt8(truncatingIfNeeded: e >> 8)) }
            if n > 2 { out.append(UInt8(truncatingIfNeeded: e >> 16)) }
        }
        return String(decoding: out, as: UTF8.self)
    }


    /// The scalar for one byte, or nil when undefined.
    @inline(__always)
    package func scalar(_ b: UInt8) -> UInt32? {
        let v = decodeTable[Int(b)]
        return v == 0xFFFF_FFFF ? nil : v
    }
}

/// The single-byte charsets, built once.
package enum SingleByteCodecs {
    /// The charsets mojibake repair tries, in the order it tries them: the order matters, since
    /// the first charset that explains the text wins (Latin-1 and windows-1252 are the commonest).
    package static let mojibakeOrder: [SingleByteCodec] = {
        let specs: [(String, String, Bool, [UInt8: UInt32])] = [
            ("latin-1", "ISO-8859-1", false, [:]),
            ("windows-1252", "CP1252", true, [:]),
            ("windows-1251", "CP1251", true, [:]),
            ("windows-1250", "CP1250", true, [:]),
            ("windows-1253", "CP1253", true, [:]),
            ("windows-1254", "CP1254", true, [:]),
            ("windows-1257", "CP1257", true, [:]),
            ("iso-8859-2", "ISO-8859-2", false, [:]),
            // glibc's MACINTOSH differs from Apple's published table in two places.
            ("macroman", "MACINTOSH", false, [0xC6: 0x2206, 0xF0: 0xF8FF]),
            ("cp437", "CP437", false, [:]),
        ]
        return specs.compactMap { SingleByteCodec(name: $0.0, iconvName: $0.1, sloppy: $0.2, patches: $0.3) }
    }()

    package static func named(_ name: String) -> SingleByteCodec? {
        mojibakeOrder.first { $0.name == name }
    }

    /// Strict (not sloppy) windows-1252, for turning stray C1 controls into what they meant.
    package static let strictWindows1252: SingleByteCodec? = SingleByteCodec(name: "windows-1252", iconvName: "CP1252", sloppy: false)

    /// The single-byte charsets detection decodes, strict (undefined bytes are invalid).
    static let detection: [TextCharset: SingleByteCodec] = {
        var d: [TextCharset: SingleByteCodec] = [:]
        for c in TextCharset.allCases where c.isSingleByte {
            if let codec = SingleByteCodec(name: c.name, iconvName: c.iconvName, sloppy: false, patches: c.tablePatches) { d[c] = codec }
        }
        return d
    }()
}

/// Reads UTF-8 text's bytes as a single-byte charset: makes mojibake on purpose, for tests and
/// benchmarks (`SingleByteText.windows1252("Café")` is `CafÃ©`).
public enum SingleByteText {
    public static func windows1252(_ text: String) -> String { read(text, as: "windows-1252") }
    public static func latin1(_ text: String) -> String { read(text, as: "latin-1") }
    public static func windows1251(_ text: String) -> String { read(text, as: "windows-1251") }
    public static func macRoman(_ text: String) -> String { read(text, as: "macroman") }

    /// Byte 0x1A reads as U+001A here, as in the real code pages (the sloppy codecs' U+FFFD
    /// for it is a repair-internal convention, not what a misreading program produced).
    package static func read(_ text: String, as name: String) -> String {
        guard let codec = SingleByteCodecs.named(name) else { return text }
        var view = String.UnicodeScalarView()
        for b in text.utf8 {
            let v = b == 0x1A ? 0x1A : (codec.scalar(b) ?? UInt32(b))
            if let s = Unicode.Scalar(v) { view.append(s) }
        }
        return String(view)
    }
}
