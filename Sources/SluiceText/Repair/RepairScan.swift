/// One pass over a string's UTF-8 that tells whether any repair step could change it: the union
/// of the separate gates the steps apply (`MojibakeHeuristic.mightBeBad`, the `&` test for
/// entities, `TextNormalizer.mayNeedScalarPass`, the NFC/NFKC quick check). When it says no,
/// the repair returns the text untouched without running the steps, each of which would have
/// scanned the text again to find nothing.
///
/// Guarantee: `needsWork == false` only when every gate above is false, so skipping the steps
/// never changes a result (tests compare both paths).
enum RepairScan {
    static func needsWork(_ text: String, _ options: EncodingRepairOptions) -> Bool {
        let n = options.normalization
        let checkAmp = n.decodeHTMLEntities
        let mojibake = options.fixMojibake
        let quotes = n.straightenQuotes
        let form = n.unicodeForm
        return withUTF8Buffer(text) { buf in
            let count = buf.count
            guard let base = buf.baseAddress else { return false }
            var i = 0
            var prevNonASCII = false
            while i < count {
                // Eight plain ASCII bytes at a time (no high bit, control, DEL or `&`).
                if i + 8 <= count {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let high = w & 0x8080_8080_8080_8080
                    let low = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
                    let amp = w ^ 0x2626_2626_2626_2626
                    let hasAmp = (amp &- 0x0101_0101_0101_0101) & ~amp & 0x8080_8080_8080_8080
                    let del = w ^ 0x7F7F_7F7F_7F7F_7F7F
                    let hasDel = (del &- 0x0101_0101_0101_0101) & ~del & 0x8080_8080_8080_8080
                    if high == 0 && low == 0 && hasDel == 0 && (!checkAmp || hasAmp == 0) {
                        prevNonASCII = false
                        i += 8
                        continue
                    }
                }
                let b = buf[i]
                if b < 0x80 {
                    if b < 0x20 && b != 0x09 && b != 0x0A { return true }
                    if b == 0x7F || (checkAmp && b == 0x26) { return true }
                    prevNonASCII = false
                    i += 1
                    continue
                }
                let c1: UInt8 = i + 1 < count ? buf[i + 1] : 0
                let c2: UInt8 = i + 2 < count ? buf[i + 2] : 0
                // Mojibake: two non-ASCII characters in a row, or the lone patterns.
                if mojibake {
                    if prevNonASCII { return true }
                    if b == 0xC2 && c1 < 0xA0 { return true }
                    if b == 0xC3 && (c1 == 0x82 || c1 == 0x83) { return true }
                    if b == 0xC5 && (c1 == 0x92 || c1 == 0x93) { return true }
                }
                prevNonASCII = true
                // The scalar pass: C1 controls, line and paragraph separators, zero-width and
                // format characters, quotes when straightened.
                switch b {
                case 0xC2:
                    if c1 < 0xA0 { return true }
                case 0xE2:
                    if i + 2 >= count { return true }
                    if c1 == 0x80 && (c2 == 0x8B || c2 == 0xA8 || c2 == 0xA9) { return true }
                    if c1 == 0x81 && (c2 == 0xA0 || (c2 >= 0xAA && c2 <= 0xAF)) { return true }
                    if quotes && c1 == 0x80 && c2 >= 0x98 && c2 <= 0x9F { return true }
                case 0xE1, 0xEF:
                    return true
                default:
                    break
                }
                // The normal form.
                let len: Int
                var v: UInt32
                if b < 0xE0 { v = UInt32(b & 0x1F); len = 2 } else if b < 0xF0 { v = UInt32(b & 0x0F); len = 3 } else { v = UInt32(b & 0x07); len = 4 }
                var k = 1
                while k < len && i + k < count { v = v << 6 | UInt32(buf[i + k] & 0x3F); k += 1 }
                switch form {
                case .none: break
                case .nfc: if !TextNormalizer.nfcStable(v) { return true }
                case .nfkc: if b >= 0xC2 { return true }
                }
                i += len
            }
            return false
        }
    }
}
