/// Byte-pair encoding: merges ranked pairs of symbols until none applies.
struct BPEModel: Sendable {
    private var vocab: [String: Int32] = [:]
    /// (left id << 32 | right id) → (rank << 32 | merged id).
    private var merges = IntegerHashMap()
    let byteLevel: Bool
    private var byteSymbol: [Int32] = []
    let unknownID: Int32?
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    let continuingPrefix: String
    let endOfWordSuffix: String

    struct Config {
        var vocab: [(String, Int)]
        var merges: [(String, String)]
        var unknownToken: String?
        var fuseUnknown = false
        var byteFallback = false
        var ignoreMerges = false
        var continuingPrefix = ""
        var endOfWordSuffix = ""
        var byteLevel = false
    }

    init(_ c: Config) throws(TokenizerLoadError) {
        for (piece, id) in c.vocab { vocab[piece] = Int32(id) }
        byteLevel = c.byteLevel
        fuseUnknown = c.fuseUnknown
        byteFallback = c.byteFallback
        ignoreMerges = c.ignoreMerges
        continuingPrefix = c.continuingPrefix
        endOfWordSuffix = c.endOfWordSuffix
        if let u = c.unknownToken {
            guard let id = vocab[u] else { throw TokenizerLoadError("the BPE unknown token '\(u)' is not in the vocabulary") }
            unknownID = id
        } else {
            unknownID = nil
        }
        for (rank, (a, b)) in c.merges.enumerated() {
            guard let ia = vocab[a], let ib = vocab[b] else {
                throw TokenizerLoadError("BPE merge \(rank) ('\(a)' '\(b)') uses a token missing from the vocabulary")
            }
            let merged = a + (b.hasPrefix(c.continuingPrefix) ? String(b.dropFirst(c.continuingPrefix.count)) : b)
            guard let im = vocab[merged] else {
                throw TokenizerLoadError("BPE merge \(rank) gives '\(merged)', which is not in the vocabulary")
            }
            let key = UInt64(UInt32(bitPattern: ia)) << 32 | UInt64(UInt32(bitPattern: ib))
            if merges.get(key) == nil { merges.set(key, UInt64(UInt32(rank)) << 32 | UInt64(UInt32(bitPattern: im))) }
        }
        if byteLevel {
            byteSymbol = (0..<256).map { b in vocab[String(Character(ByteLevelAlphabet.scalar(UInt8(b))))] ?? -1 }
        }
    }

    /// Appends the ids of one pre-tokenized piece.
    func encode(_ scalars: ArraySlice<UInt32>, into ids: inout [Int32]) {
        var symbols: [Int32] = []
        symbols.reserveCapacity(scalars.count)
        if byteLevel {
            var utf8: [UInt8] = []
            for v in scalars { if let s = Unicode.Scalar(v) { utf8.append(contentsOf: String(Character(s)).utf8) } }
            if ignoreMerges, let id = vocab[String(utf8.map { Character(ByteLevelAlphabet.scalar($0)) })] { ids.append(id); return }
            for b in utf8 {
                let id = byteSymbol[Int(b)]
                if id >= 0 { symbols.append(id) } else if let u = unknownID { symbols.append(u) }
            }
        } else {
            let chars = scalars.compactMap(Unicode.Scalar.init)
            if ignoreMerges, let id = vocab[String(String.UnicodeScalarView(chars))] { ids.append(id); return }
            var lastWasUnknown = false
            for (k, ch) in chars.enumerated() {
                var piece = String(Character(ch))
                if k > 0 { piece = continuingPrefix + piece }
                if k == chars.count - 1 { piece += endOfWordSuffix }
                if let id = vocab[piece] { symbols.append(id); lastWasUnknown = false; continue }
                if byteFallback {
                    let bytes = String(Character(ch)).utf8.map { vocab[Self.byteToken($0)] }
                    if bytes.allSatisfy({ $0 != nil }) { symbols.append(contentsOf: bytes.compactMap { $0 }); lastWasUnknown = false; continue }
                }
                if let u = unknownID, !(fuseUnknown && lastWasUnknown) { symbols.append(u) }
                lastWasUnknown = unknownID != nil
            }
        }
        mergeAll(&symbols)
        ids.append(contentsOf: symbols)
    }

    private static func byteToken(_ b: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xF)]) + ">"
    }

    @inline(__always) private func merge(_ left: Int32, _ right: Int32) -> (rank: Int32, id: Int32)? {
        guard let v = merges.get(UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))) else { return nil }
        return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v & 0xFFFF_FFFF))
    }

    /// Repeatedly merges the pair of lowest rank, leftmost first, as the reference does: a
    /// min-heap of candidate pairs over a linked list of symbols, O(k log k) for k symbols.
    private func mergeAll(_ symbols: inout [Int32]) {
        let k = symbols.count
        guard k > 1 else { return }
        var next = Array(1...k)  // k: none
        var prev = Array(-1..<(k - 1))
        var alive = [Bool](repeating: true, count: k)
        var heap = PairHeap()
        func push(_ i: Int) {
            let j = next[i]
            guard j < k else { return }
            if let m = merge(symbols[i], symbols[j]) {
                heap.push(PairHeap.Entry(rank: m.rank, position: Int32(i), left: symbols[i], right: symbols[j]))
            }
        }
        for i in 0..<(k - 1) { push(i) }
        while let top = heap.pop() {
            let i = Int(top.position)
            guard alive[i], symbols[i] == top.left else { continue }
            let j = next[i]
            guard j < k, symbols[j] == top.right,
                  let m = merge(top.left, top.right) else { continue }
            symbols[i] = m.id
            alive[j] = false
            next[i] = next[j]
            if next[j] < k { prev[next[j]] = i }
            if prev[i] >= 0 { push(prev[i]) }
            push(i)
        }
        var out: [Int32] = []
        out.reserveCapacity(k)
        for i in 0..<k where alive[i] { out.append(symbols[i]) }
        symbols = out
    }
}

/// A binary min-heap of merge candidates ordered by (rank, position).
struct PairHeap {
    struct Entry {
        var rank: Int32
        var position: Int32
        var left: Int32
        var right: Int32

        @inline(__always) func precedes(_ o: Entry) -> Bool { rank != o.rank ? rank < o.rank : position < o.position }
    }

    private var items: [Entry] = []

    mutating func push(_ e: Entry) {
        items.append(e)
        var c = items.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard items[c].precedes(items[p]) else { break }
            items.swapAt(c, p)
            c = p
        }
    }

    mutating func pop() -> Entry? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var p = 0
            while true {
                let l = 2 * p + 1, r = l + 1
                var m = p
                if l < items.count && items[l].precedes(items[m]) { m = l }
                if r < items.count && items[r].precedes(items[m]) { m = r }
                if m == p { break }
                items.swapAt(p, m)
                p = m
            }
        }
        return first
    }
}

/// GPT-2's reversible map from bytes to printable characters.
enum ByteLevelAlphabet {
    static let table: [Unicode.Scalar] = {
        var printable = Set<Int>()
        for r in [0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] { for b in r { printable.insert(b) } }
        var out = [Unicode.Scalar](repeating: " ", count: 256)
        var n = 0
        for b in 0..<256 {
            if printable.contains(b) {
                out[b] = Unicode.Scalar(UInt32(b)) ?? " "
            } else {
                out[b] = Unicode.Scalar(UInt32(256 + n)) ?? " "
                n += 1
            }
        }
        return out
    }()

    static func scalar(_ b: UInt8) -> Unicode.Scalar { table[Int(b)] }
}
