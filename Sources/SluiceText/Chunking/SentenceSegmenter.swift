/// Unicode sentence boundaries (UAX #29, rules SB1-SB11).
///
/// The rules alone, as the standard states them: no abbreviation list, so "Mr. Smith" is two
/// sentences (SB7 and SB8 keep "U.S. economy" and "etc. and" together).
enum SentenceSegmenter {
    /// Calls `mark` with the UTF-8 offset of every sentence start after the first.
    static func boundaries(_ p: UnsafeBufferPointer<UInt8>, mark: (Int) -> Void) {
        boundaries(p, from: 0, to: p.count, mark: mark)
    }

    /// The same for the characters starting in `from..<to`, as if the text began at `from`
    /// (the SB8 look-ahead may read past `to`).
    static func boundaries(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, mark: (Int) -> Void) {
        let n = p.count
        var cache: [UInt32: SentenceBreakClass] = [:]
        @inline(__always) func cls(_ v: UInt32) -> SentenceBreakClass {
            if v < 0x80 { return SentenceBreakClass.ascii[Int(v)] }
            if let c = cache[v] { return c }
            let c = SentenceBreakClass.nonASCII(v)
            cache[v] = c
            return c
        }

        enum Phase { case none, close, space }
        var phase = Phase.none
        var termIsATerm = false
        var termAfterLetter = false  // SB7: (Upper | Lower) ATerm × Upper
        var justAfterTerm = false  // nothing but Extend/Format since the terminator (SB6, SB7)
        var prev = SentenceBreakClass.other
        var i = from
        var first = true

        // SB8: after ATerm Close* Sp*, skip everything but OLetter, Upper, Lower, ParaSep and
        // SATerm; no break if the first such character is Lower.
        func lowerFollows(from start: Int) -> Bool {
            var j = start
            while j < n {
                let (v, len) = UTF8Facts.decode(p, j)
                switch cls(v) {
                case .lower: return true
                case .oLetter, .upper, .cr, .lf, .sep, .aTerm, .sTerm: return false
                default: j += len
                }
            }
            return false
        }

        while i < to {
            let (v, len) = UTF8Facts.decode(p, i)
            let c = cls(v)
            defer { i += len }
            if first {
                first = false
                prev = c
                if c.isSATerm { phase = .close; termIsATerm = c == .aTerm; termAfterLetter = false; justAfterTerm = true }
                continue
            }
            if prev == .cr && c == .lf { prev = c; continue }  // SB3
            if prev.isParaSep {  // SB4
                mark(i)
                phase = .none
                prev = c
                if c.isSATerm { phase = .close; termIsATerm = c == .aTerm; termAfterLetter = false; justAfterTerm = true }
                continue
            }
            if c == .extend || c == .format { continue }  // SB5

            var breakHere = false
            var staysInTerm = false
            switch phase {
            case .none:
                break
            case .close, .space:
                if phase == .close && justAfterTerm && termIsATerm && c == .numeric {  // SB6
                } else if phase == .close && justAfterTerm && termIsATerm && termAfterLetter && c == .upper {  // SB7
                } else if phase == .close && c == .close {  // SB9
                    staysInTerm = true
                } else if c == .sp {  // SB9, SB10
                    staysInTerm = true
                    phase = .space
                } else if c.isParaSep {  // SB9, SB10 (SB4 breaks after it)
                    staysInTerm = true
                } else if c == .sContinue || c.isSATerm {  // SB8a
                } else if termIsATerm && (c == .lower || (c != .oLetter && c != .upper && lowerFollows(from: i))) {  // SB8
                } else {
                    breakHere = true  // SB11
                }
            }
            if breakHere { mark(i) }
            if !staysInTerm { phase = .none }
            justAfterTerm = false
            if c.isSATerm {
                phase = .close
                termIsATerm = c == .aTerm
                termAfterLetter = prev == .upper || prev == .lower
                justAfterTerm = true
            }
            prev = c
        }
    }
}
