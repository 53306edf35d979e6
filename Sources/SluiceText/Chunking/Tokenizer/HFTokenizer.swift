public import Foundation
import SluiceJSON

/// A tokenizer loaded from a Hugging Face `tokenizer.json`, for counting tokens.
///
/// Supported: models WordPiece, WordLevel and BPE (byte-level or not, with `byte_fallback`,
/// `fuse_unk`, `ignore_merges`); normalizers BertNormalizer, Lowercase, StripAccents, NFC, NFD, NFKC, NFKD,
/// Replace (literal patterns), Prepend and Sequence; pre-tokenizers BertPreTokenizer,
/// ByteLevel, Metaspace, Whitespace, WhitespaceSplit and Sequence. Added tokens are matched in the raw
/// text. Anything else is refused at load time rather than counted differently. Counts exclude
/// special tokens added by post-processing (`[CLS]`, `[SEP]`), as
/// `encode(text, add_special_tokens=False)` does in the reference library; truncation and
/// padding settings in the file are ignored.
public final class HFTokenizer: Sendable {
    enum Model: Sendable {
        case wordPiece(WordPieceModel)
        case bpe(BPEModel)
        /// One token per pre-token: its id, or the unknown token's.
        case wordLevel(vocab: [String: Int32], unknownID: Int32)
    }

    let normalizer: TokenizerNormalizer?
    let preTokenizer: TokenizerPreTokenizer?
    let model: Model
    /// Added tokens, longest first, matched in the raw text.
    let addedTokens: [(bytes: [UInt8], id: Int32)]
    /// Which bytes start an added token (most texts never need a closer look).
    let addedFirstBytes: [Bool]

    /// `WordPiece` or `BPE`.
    public let modelType: String

    /// Whether the count of a span that starts and ends between pre-tokens equals the sum of
    /// the counts of the whole text's pre-tokens inside it (so spans can be counted from one
    /// pass over the whole text).
    public var countsAreLocal: Bool {
        (normalizer?.isPerScalar ?? true) && (preTokenizer?.isLocal ?? false)
    }

    init(normalizer: TokenizerNormalizer?, preTokenizer: TokenizerPreTokenizer?, model: Model,
         addedTokens: [(bytes: [UInt8], id: Int32)], modelType: String) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.addedTokens = addedTokens.sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for t in addedTokens { first[Int(t.bytes[0])] = true }
        addedFirstBytes = first
        self.modelType = modelType
    }

    /// Loads `tokenizer.json` from a file.
    public convenience init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let json: JSONValue
        do { json = try JSONParser.parse([UInt8](data)) } catch {
            throw TokenizerLoadError("\(url.path) is not valid JSON: \(error)")
        }
        try self.init(json: json)
    }

    /// The token ids of `text`, without special tokens.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int32] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { run(UnsafeBufferPointer($0), idsNeeded: true) { _, _, _, piece in ids.append(contentsOf: piece) } }
        return ids.map(Int.init)
    }

    /// The number of tokens in `text`, without special tokens.
    public func count(_ text: String) -> Int {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { count(UnsafeBufferPointer($0)) }
    }

    func count(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var total = 0
        run(p, idsNeeded: false) { _, _, count, _ in total += count }
        return total
    }

    /// Each pre-token's source span (UTF-8 offsets into `p`) and token count, in order.
    func pieces(_ p: UnsafeBufferPointer<UInt8>) -> [TokenPiece] {
        var out: [TokenPiece] = []
        run(p, idsNeeded: false) { s, e, count, _ in if count > 0 { out.append(TokenPiece(start: s, end: e, count: count)) } }
        return out
    }

    /// The pipeline: added tokens, then per segment normalizer, pre-tokenizer and model. `emit`
    /// gets each pre-token's source span, token count and (when `idsNeeded`) ids.
    private func run(_ p: UnsafeBufferPointer<UInt8>, idsNeeded: Bool, _ emit: (Int, Int, Int, [Int32]) -> Void) {
        var cache = ScalarCache()
        var scratch: [Int32] = []
        var segmentStart = 0
        var i = 0
        while i < p.count {
            if addedFirstBytes[Int(p[i])], let t = addedToken(at: i, p) {
                if i > segmentStart { segment(p, segmentStart..<i, idsNeeded, &cache, &scratch, emit) }
                emit(i, i + t.bytes.count, 1, [t.id])
                i += t.bytes.count
                segmentStart = i
            } else {
                i += 1
            }
        }
        if p.count > segmentStart { segment(p, segmentStart..<p.count, idsNeeded, &cache, &scratch, emit) }
    }

    private func addedToken(at i: Int, _ p: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], id: Int32)? {
        let b = p[i]
        for t in addedTokens where t.bytes[0] == b && i + t.bytes.count <= p.count {
            var k = 1
            while k < t.bytes.count && p[i + k] == t.bytes[k] { k += 1 }
            if k == t.bytes.count { return t }
        }
        return nil
    }

    private func segment(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ idsNeeded: Bool, _ cache: inout ScalarCache,
                         _ scratch: inout [Int32], _ emit: (Int, Int, Int, [Int32]) -> Void) {
        if let fast = bertFastPath {
            var inner: [Int32] = []
            bertSegment(p, range, model: fast.model, lowercase: fast.lowercase, idsNeeded: idsNeeded, &scratch,
                        general: { generalSegment(p, $0, idsNeeded, &cache, &inner, emit) }, emit)
            return
        }
        generalSegment(p, range, idsNeeded, &cache, &scratch, emit)
    }

    private func generalSegment(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ idsNeeded: Bool, _ cache: inout ScalarCache,
                                _ scratch: inout [Int32], _ emit: (Int, Int, Int, [Int32]) -> Void) {
        var text = NormalizedText()
        text.scalars.reserveCapacity(range.count)
        text.sourceStart.reserveCapacity(range.count)
        text.sourceEnd.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let (v, len) = UTF8Facts.decode(p, i)
            text.append(v, i, i + len)
            i += len
        }
        if let normalizer { text = normalizer.apply(text, cache: &cache) }
        guard text.count > 0 else { return }
        let ranges = preTokenizer.map { $0.split(&text, [0..<text.count], atTextStart: range.lowerBound == 0) } ?? [0..<text.count]
        switch model {
        case .wordPiece(let wp):
            // The whole normalized text in UTF-8 once; each word is a slice of it.
            var utf8: [UInt8] = []
            utf8.reserveCapacity(text.count + text.count / 4)
            var offsets = [Int](repeating: 0, count: text.count + 1)
            for k in 0..<text.count {
                offsets[k] = utf8.count
                Self.appendUTF8(text.scalars[k], to: &utf8)
            }
            offsets[text.count] = utf8.count
            utf8.withUnsafeBufferPointer { all in
                for r in ranges where !r.isEmpty {
                    let word = UnsafeBufferPointer(rebasing: all[offsets[r.lowerBound]..<offsets[r.upperBound]])
                    if idsNeeded {
                        scratch.removeAll(keepingCapacity: true)
                        wp.encode(word, chars: r.count, into: &scratch)
                        emit(text.sourceStart[r.lowerBound], text.sourceEnd[r.upperBound - 1], scratch.count, scratch)
                    } else {
                        emit(text.sourceStart[r.lowerBound], text.sourceEnd[r.upperBound - 1], wp.count(word, chars: r.count), [])
                    }
                }
            }
        case .wordLevel(let vocab, let unknownID):
            for r in ranges where !r.isEmpty {
                let word = String(String.UnicodeScalarView(text.scalars[r].compactMap(Unicode.Scalar.init)))
                emit(text.sourceStart[r.lowerBound], text.sourceEnd[r.upperBound - 1], 1, idsNeeded ? [vocab[word] ?? unknownID] : [])
            }
        case .bpe(let bpe):
            for r in ranges where !r.isEmpty {
                scratch.removeAll(keepingCapacity: true)
                bpe.encode(text.scalars[r], into: &scratch)
                emit(text.sourceStart[r.lowerBound], text.sourceEnd[r.upperBound - 1], scratch.count, scratch)
            }
        }
    }

    @inline(__always) static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

/// One pre-token of a text: its source span in UTF-8 offsets and its number of tokens.
struct TokenPiece: Sendable, Hashable {
    var start: Int
    var end: Int
    var count: Int
}
