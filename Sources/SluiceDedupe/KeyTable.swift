/// The committed index's lookup keys in memory: 64-bit key → document ordinals (a multimap).
///
/// Open addressing with linear probing; a slot holds a 16-bit tag of the key and a 32-bit
/// ordinal (6 bytes), not the key itself, so a lookup returns every ordinal whose tag matches
/// along the probe run: the caller reads those documents (`n:` rows) and keeps the real
/// matches (a wrong tag is about 1 in 65,536 slots inspected). Tables are never rehashed
/// (the keys are not kept): when the newest one is 85% full one twice the size of all keys held
/// is added, and a lookup probes each. `DedupeStage.begin` sizes the first one for the whole
/// committed index and about 6% more.
struct KeyTable {
    struct Tier {
        var tags: [UInt16]
        var ords: [UInt32]
        var count = 0

        init(capacity: Int) {
            tags = Array(repeating: 0, count: capacity)
            ords = Array(repeating: 0, count: capacity)
        }

        var isFull: Bool { count * 20 >= tags.count * 17 }

        func home(_ key: UInt64) -> Int { Int((UInt64(UInt32(truncatingIfNeeded: key)) &* UInt64(tags.count)) >> 32) }

        func find(_ key: UInt64, _ tag: UInt16, into out: inout [UInt64]) {
            var i = home(key)
            let n = tags.count
            tags.withUnsafeBufferPointer { t in
                while t[i] != 0 {
                    if t[i] == tag { out.append(UInt64(ords[i])) }
                    i += 1
                    if i == n { i = 0 }
                }
            }
        }

        /// How many slots along `key`'s probe run hold `tag`.
        func matches(_ key: UInt64, _ tag: UInt16) -> Int {
            var i = home(key), found = 0
            while tags[i] != 0 {
                if tags[i] == tag { found += 1 }
                i += 1
                if i == tags.count { i = 0 }
            }
            return found
        }

        /// Puts `ordinal` in the first free slot of `key`'s probe run, unless `limit` slots along
        /// it (less those counted elsewhere) already hold `tag`.
        mutating func insert(_ key: UInt64, _ tag: UInt16, _ ordinal: UInt32, limit: Int) -> Bool {
            var i = home(key), found = 0
            while tags[i] != 0 {
                if tags[i] == tag {
                    found += 1
                    if found >= limit { return false }
                }
                i += 1
                if i == tags.count { i = 0 }
            }
            tags[i] = tag
            ords[i] = ordinal
            count += 1
            return true
        }
    }

    private(set) var tiers: [Tier]

    /// Room for `expectedKeys` keys (those of the committed index) and about 6% more.
    init(expectedKeys: Int) {
        tiers = [Tier(capacity: max(1 << 16, expectedKeys * 5 / 4 + (1 << 16)))]
    }

    /// Keys held (stale ones included), and the bytes the tables take.
    var count: Int { tiers.reduce(0) { $0 + $1.count } }
    var bytes: Int { tiers.reduce(0) { $0 + $1.tags.count * 6 } }

    static func tag(_ key: UInt64) -> UInt16 { max(1, UInt16(truncatingIfNeeded: key >> 48)) }

    /// The ordinals that may hold `key`, oldest tier first.
    func candidates(_ key: UInt64, into out: inout [UInt64]) {
        let tag = KeyTable.tag(key)
        for t in tiers { t.find(key, tag, into: &out) }
    }

    /// Adds `key → ordinal`, unless `limit` ordinals already share its tag along its probe runs
    /// (a full LSH bucket, `IndexKey.bucketLimit`).
    mutating func insert(_ key: UInt64, ordinal: UInt64, limit: Int = Int.max) {
        let tag = KeyTable.tag(key)
        var found = 0
        if tiers.count > 1, limit < Int.max {
            for t in tiers.dropLast() { found += t.matches(key, tag) }
            if found >= limit { return }
        }
        if tiers[tiers.count - 1].isFull {
            tiers.append(Tier(capacity: max(1 << 16, count * 2)))
            found = 0
            if limit < Int.max { for t in tiers.dropLast() { found += t.matches(key, tag) } }
            if found >= limit { return }
        }
        _ = tiers[tiers.count - 1].insert(key, tag, UInt32(truncatingIfNeeded: ordinal), limit: limit - found)
    }
}
