/// An open-addressing hash map from 64-bit keys to 64-bit values, for the tokenizers' inner
/// loops (one lookup per byte), where the standard library's seeded hashing costs more than
/// the work around it. Keys come from the tokenizer file, not from the text being counted.
struct IntegerHashMap: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt64](repeating: Self.empty, count: size)
        mask = size - 1
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    @inline(__always) func get(_ key: UInt64) -> UInt64? {
        var i = Self.slot(key, mask)
        while true {
            let v = values[i]
            if v == Self.empty { return nil }
            if keys[i] == key { return v }
            i = (i + 1) & mask
        }
    }

    /// Sets `key` to `value` (which must not be `UInt64.max`).
    mutating func set(_ key: UInt64, _ value: UInt64) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = Self.slot(key, mask)
        while values[i] != Self.empty {
            if keys[i] == key { values[i] = value; return }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        var bigger = IntegerHashMap(capacity: keys.count)
        for i in 0..<keys.count where values[i] != Self.empty { bigger.set(keys[i], values[i]) }
        self = bigger
    }
}
