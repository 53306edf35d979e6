import Testing
@testable import SluiceText

@Suite struct SentenceSegmenterTests {
    static func sentences(_ text: String) -> [String] {
        var bytes = Array(text.utf8)
        var cuts: [Int] = [0]
        bytes.withUnsafeMutableBufferPointer { mp in SentenceSegmenter.boundaries(UnsafeBufferPointer(mp)) { cuts.append($0) } }
        cuts.append(bytes.count)
        return zip(cuts, cuts.dropFirst()).map { String(decoding: bytes[$0..<$1], as: UTF8.self) }
    }

    @Test(arguments: [
        ("Hello world. This is a test.", ["Hello world. ", "This is a test."]),
        ("What? No! Yes.", ["What? ", "No! ", "Yes."]),
        // UAX #29 has no abbreviation list: an upper-case word after "Mr. " starts a sentence.
        ("Mr. Smith went.", ["Mr. ", "Smith went."]),
        // SB8: a lower-case letter after ATerm and spaces continues the sentence.
        ("The U.S. economy grew. etc. and more.", ["The U.S. economy grew. etc. and more."]),
        // SB6, SB7: digits and capitals right after a full stop.
        ("Pi is 3.14 today. A.B.C. went.", ["Pi is 3.14 today. ", "A.B.C. went."]),
        // SB9-SB11: closing punctuation and spaces stay with the sentence they end.
        ("He said “Stop.” Then left.", ["He said “Stop.” ", "Then left."]),
        ("(Hello.) World", ["(Hello.) ", "World"]),
        ("Is it? yes", ["Is it? ", "yes"]),
        ("Hi... what now", ["Hi... what now"]),
        // SB8a: a comma after the terminator continues the sentence.
        ("“Yes.”, he said.", ["“Yes.”, he said."]),
        // SB4: paragraph separators end sentences; CR LF is one separator.
        ("Line one\nLine two", ["Line one\n", "Line two"]),
        ("Wait.\r\nNext\u{2029}Para", ["Wait.\r\n", "Next\u{2029}", "Para"]),
        // SB5: combining marks and format characters attach to what precedes.
        ("Done.\u{301} Next.", ["Done.\u{301} ", "Next."]),
        ("日本語です。次の文。", ["日本語です。", "次の文。"]),
        ("", [String]()),
    ])
    func uax29(_ text: String, _ expected: [String]) {
        #expect(Self.sentences(text).filter { !$0.isEmpty } == expected)
    }
}
