extension HFTokenizer {
    /// Whether the BERT pipeline (cleaning BertNormalizer, BertPreTokenizer, WordPiece) can take
    /// the ASCII fast path: every step of it is per character and splits at whitespace, so each
    /// run between ASCII whitespace can be tokenized on its own, and ASCII runs need no Unicode.
    var bertFastPath: (model: WordPieceModel, lowercase: Bool)? {
        guard case .wordPiece(let wp) = model, case .bert? = preTokenizer,
              case .bert(let clean, _, _, let lower)? = normalizer, clean,
              wp.maxInputCharsPerWord <= 4096 else { return nil }  // the word buffer holds a whole word
        return (wp, lower)
    }

    /// ASCII classes for BERT: 0 word character, 1 punctuation, 2 control (removed), 3 space.
    private static let bertASCIIClass: [UInt8] = (0..<128).map { b -> UInt8 in
        if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { return 3 }
        if b < 0x20 || b == 0x7F { return 2 }
        return UnicodeFacts.isBertPunctuation(UInt32(b)) ? 1 : 0
    }

    /// Tokenizes `range` run by run: runs of ASCII and general punctuation directly, others
    /// through `general`.
    func bertSegment(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, model wp: WordPieceModel, lowercase: Bool,
                     idsNeeded: Bool, _ scratch: inout [Int32], general: (Range<Int>) -> Void,
                     _ emit: (Int, Int, Int, [Int32]) -> Void) {
        let capacity = max(wp.maxInputCharsPerWord + 1, 8)
        var buffer = [UInt8](repeating: 0, count: capacity)
        Self.bertASCIIClass.withUnsafeBufferPointer { cls in
            buffer.withUnsafeMutableBufferPointer { word in
                var length = 0  // characters of the current word (may exceed the buffer: then [UNK])
                var wordStart = -1, wordEnd = -1
                func flush() {
                    guard wordStart >= 0 else { return }
                    let w = UnsafeBufferPointer(rebasing: word[0..<min(length, capacity)])
                    if idsNeeded {
                        scratch.removeAll(keepingCapacity: true)
                        wp.encode(w, chars: length, into: &scratch)
                        emit(wordStart, wordEnd, scratch.count, scratch)
                    } else {
                        emit(wordStart, wordEnd, wp.count(w, chars: length), [])
                    }
                    length = 0
                    wordStart = -1
                }
                func single(_ start: Int, _ count: Int) {
                    for k in 0..<count { word[k] = p[start + k] }
                    length = count
                    wordStart = start
                    wordEnd = start + count
                    flush()
                }
                var i = range.lowerBound
                let end = range.upperBound
                while i < end {
                    while i < end && p[i] < 0x80 && cls[Int(p[i])] == 3 { i += 1 }
                    guard i < end else { break }
                    var j = i
                    var simple = true
                    while j < end {
                        let b = p[j]
                        if b < 0x80 {
                            if cls[Int(b)] == 3 { break }
                            j += 1
                        } else if Self.generalPunctuation(p, j, end) {
                            j += 3
                        } else {
                            simple = false
                            j += 1
                        }
                    }
                    guard simple else { general(i..<j); i = j; continue }
                    var k = i
                    while k < j {
                        let b = p[k]
                        if b >= 0x80 {  // U+2010-U+2027: punctuation, three bytes
                            flush()
                            single(k, 3)
                            k += 3
                            continue
                        }
                        switch cls[Int(b)] {
                        case 0:
                            if wordStart < 0 { wordStart = k }
                            wordEnd = k + 1
                            if length < capacity { word[length] = lowercase && b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
                            length += 1
                        case 1:
                            flush()
                            single(k, 1)
                        default:
                            break  // controls vanish (a word goes on across them)
                        }
                        k += 1
                    }
                    flush()
                    i = j
                }
            }
        }
    }

    /// U+2010-U+2027 (dashes, quotes, bullets, ellipsis): punctuation that no BERT
    /// normalization step changes.
    @inline(__always) static func generalPunctuation(_ p: UnsafeBufferPointer<UInt8>, _ j: Int, _ end: Int) -> Bool {
        j + 2 < end && p[j] == 0xE2 && p[j + 1] == 0x80 && p[j + 2] >= 0x90 && p[j + 2] <= 0xA7
    }
}
