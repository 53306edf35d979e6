/// WordPiece: greedy longest-match-first over a vocabulary, with a continuation prefix (`##`).
///
/// The vocabulary is a byte trie (one for word-initial pieces, one for continuations without
/// their prefix), so the longest match costs one integer-keyed lookup per byte.
struct WordPieceModel: Sendable {
    private var edges = IntegerHashMap()
    private var tokenID: [Int32] = [-1, -1]  // per node; -1: not the end of a piece
    private static let root: Int32 = 0
    private static let continuationRoot: Int32 = 1
    let unknownID: Int32
    let maxInputCharsPerWord: Int

    init(vocab: [(String, Int)], unknownToken: String, continuingPrefix: String, maxInputCharsPerWord: Int) throws(TokenizerLoadError) {
        self.maxInputCharsPerWord = maxInputCharsPerWord
        guard let unk = vocab.first(where: { $0.0 == unknownToken }) else {
            throw TokenizerLoadError("the WordPiece unknown token '\(unknownToken)' is not in the vocabulary")
        }
        unknownID = Int32(unk.1)
        for (piece, id) in vocab {
            insert(Array(piece.utf8), id: Int32(id), from: Self.root)
            if !continuingPrefix.isEmpty, piece.hasPrefix(continuingPrefix) {
                insert(Array(piece.utf8.dropFirst(continuingPrefix.utf8.count)), id: Int32(id), from: Self.continuationRoot)
            }
        }
    }

    private mutating func insert(_ bytes: [UInt8], id: Int32, from start: Int32) {
        var node = start
        for b in bytes {
            let key = UInt64(UInt32(bitPattern: node)) << 8 | UInt64(b)
            if let next = edges.get(key) { node = Int32(truncatingIfNeeded: next); continue }
            let next = Int32(tokenID.count)
            tokenID.append(-1)
            edges.set(key, UInt64(next))
            node = next
        }
        if tokenID[Int(node)] < 0 { tokenID[Int(node)] = id }
    }

    /// The number of tokens of one pre-tokenized word: `encode` without the ids.
    func count(_ bytes: UnsafeBufferPointer<UInt8>, chars: Int) -> Int {
        if chars > maxInputCharsPerWord { return 1 }
        var tokens = 0
        var pos = 0
        while pos < bytes.count {
            var node = pos == 0 ? Self.root : Self.continuationRoot
            var bestEnd = -1
            var k = pos
            while k < bytes.count, let next = edges.get(UInt64(UInt32(bitPattern: node)) << 8 | UInt64(bytes[k])) {
                node = Int32(truncatingIfNeeded: next)
                k += 1
                if tokenID[Int(node)] >= 0 { bestEnd = k }
            }
            if bestEnd < 0 { return 1 }
            tokens += 1
            pos = bestEnd
        }
        return tokens
    }

    /// Appends the ids of one pre-tokenized word (`bytes`, `chars` scalars long).
    func encode(_ bytes: UnsafeBufferPointer<UInt8>, chars: Int, into ids: inout [Int32]) {
        if chars > maxInputCharsPerWord { ids.append(unknownID); return }
        let mark = ids.count
        var pos = 0
        while pos < bytes.count {
            var node = pos == 0 ? Self.root : Self.continuationRoot
            var bestEnd = -1
            var bestID: Int32 = -1
            var k = pos
            while k < bytes.count, let next = edges.get(UInt64(UInt32(bitPattern: node)) << 8 | UInt64(bytes[k])) {
                node = Int32(truncatingIfNeeded: next)
                k += 1
                let id = tokenID[Int(node)]
                if id >= 0 { bestEnd = k; bestID = id }
            }
            if bestEnd < 0 {
                ids.removeSubrange(mark...)
                ids.append(unknownID)
                return
            }
            ids.append(bestID)
            pos = bestEnd
        }
    }
}

/// Why a `tokenizer.json` cannot be used.
public struct TokenizerLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
