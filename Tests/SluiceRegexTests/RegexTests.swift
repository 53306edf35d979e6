import Testing

@testable import SluiceRegex

@Suite struct RegexTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool {
        try ECMARegex(pattern).isMatch(in: text)
    }

    @Test func ecmaSemantics() throws {
        #expect(try matches("^\\d+$", "123"))
        #expect(try !matches("^\\d+$", "١٢٣"), "\\d is ASCII-only")
        #expect(try !matches("^\\w+$", "é"), "\\w is ASCII-only")
        #expect(try matches("^\\s$", "\u{FEFF}"), "\\s includes BOM and NBSP")
        #expect(try !matches("^abc$", "abc\n"), "$ does not match before a final newline")
        #expect(try !matches("^.$", "\n"))
        #expect(try matches("^.$", "🐲"), "code points, not UTF-16 units")
        #expect(try matches("^\\p{Letter}+$", "Ελληνικά"))
        #expect(try !matches("^\\p{L}+$", "abc1"))
        #expect(try matches("^\\P{L}+$", "123"))
        #expect(try matches("^[\\p{Lu}\\d]+$", "AB12"))
        #expect(try matches("^\\cC$", "\u{03}"))
        #expect(try matches("(a)\\1", "aa"))
        #expect(try matches("(?<x>b)\\k<x>", "abb"))
        #expect(try matches("(?<=a)b", "ab"))
        #expect(try !matches("(?<!a)b", "ab"))
        #expect(try matches("a(?=b)", "ab"))
        #expect(try matches("^a{2,3}$", "aaa"))
        #expect(try !matches("^a{2,3}$", "aaaa"))
        #expect(try matches("^(?:a|b)*?c$", "ababc"))
        #expect(try matches("\\bfoo\\b", "a foo b"))
        #expect(try matches("^[^a-z]$", "A"))
        #expect(try matches("^(a*)*$", "aaa"), "nested nullable loops terminate")
        #expect(try matches("^\\u{1F432}$", "🐲"))
    }

    @Test func singleCharacterLoopsBacktrack() throws {
        #expect(try matches("^a*a$", "aaa"), "greedy loop gives back")
        #expect(try matches("^[0-9]{2,3}[0-9]$", "123"))
        #expect(try !matches("^[0-9]{2,3}[0-9]$", "12"))
        #expect(try matches("^a*?b", "aab"), "lazy loop takes more")
        #expect(try matches("^.*?x$", "abcx"))
        #expect(try !matches("^.{2}$", "a\n"))
        #expect(try matches("^[a-f0-9]{4}$", "beef"))
        #expect(try !matches("^[a-f0-9]{4}$", "beefy"))
        #expect(try matches("x{0}y", "y"))
        #expect(try matches("^(?:ab)*c", "ababc"))
        #expect(try matches("(?<=a{2})b", "aab"), "lookbehind keeps the general loop")
        #expect(try matches("^é+$", "ééé"))
    }

    @Test func unicodeModeSyntaxErrors() {
        for bad in ["\\a", "(", "a{2,1}", "[b-a]", "*", "a**", "\\p{NoSuchProperty}", "(?<n>a)(?<n>", "\\1", "]", "{"] {
            #expect(throws: RegexSyntaxError.self, "\(bad)") { try ECMARegex(bad) }
        }
    }

    @Test func catastrophicBacktrackingIsBounded() throws {
        // A word boundary keeps the pattern on the backtracking machine.
        let re = try ECMARegex("^(a+)+\\b$")
        let text = String(repeating: "a", count: 40) + "!"
        #expect(throws: RegexBudgetExceeded.self) { try re.isMatch(in: text) }
        // The automaton answers plain patterns on ASCII text in linear time, exponential ones included.
        let plain = try ECMARegex("^(a+)+$")
        #expect(plain.dfa != nil)
        #expect(try !plain.isMatch(in: String(repeating: "a", count: 40) + "b", budget: 1000))
        #expect(try plain.isMatch(in: String(repeating: "a", count: 40), budget: 1000))
        // Non-ASCII text leaves the automaton: the machine's budget applies again.
        #expect(throws: RegexBudgetExceeded.self) { try plain.isMatch(in: String(repeating: "a", count: 40) + "é") }
        // The same on non-ASCII text (matched on code points rather than bytes).
        let wide = try ECMARegex("^(é+)+$")
        #expect(throws: RegexBudgetExceeded.self) { try wide.isMatch(in: String(repeating: "é", count: 40) + "!") }
        // Linear work on long input stays within the scaled budget.
        #expect(try ECMARegex("^[a-z ]*$").isMatch(in: String(repeating: "ab ", count: 100_000)))
    }

    /// The automaton must answer exactly what the backtracking machine answers.
    @Test func automatonAgreesWithTheMachine() throws {
        let patterns = ["^art-[0-9]{6}$", "^[a-z0-9]+(?:-[a-z0-9]+)*$", "^[a-z][a-z0-9-]{1,30}$", "a|b", "^$", "", "ab*c",
                        "^(a|b)*abb$", "x{2,3}y?", "[^a-c]+$", "^.{2}$", "(?:ab|a)(?:bc|c)?d", "^\\d{3}-\\w+\\s?$", "[\\s\\S]z",
                        "^(?:)$", "a{0}", "^(a?){3}a{3}$", "(ab){2,}", "^[^\\n]*$", "(a|)+b", "^(?<n>x|y)+$", "b+?a*?$", "^a{2,}?$",
                        "^\\p{L}+$", "[\\D]9", "c.$"]
        let alphabet = Array("ab-cxyz019 \n_ZA\r")
        var state: UInt64 = 7
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for p in patterns {
            let re = try ECMARegex(p)
            let dfa = try #require(re.dfa, "\(p) has no automaton")
            for _ in 0..<400 {
                let text = String((0..<random(13)).map { _ in alphabet[random(alphabet.count)] })
                var copy = text
                let (fast, slow) = try copy.withUTF8 { bytes in
                    (dfa.matches(bytes), try re.run(bytes, budget: nil, scratch: RegexScratch()))
                }
                #expect(fast == slow, "\(p) on \(text.debugDescription)")
            }
        }
        // Outside the automaton's kind: the machine decides.
        for p in ["a\\b", "(a)\\1", "a(?=b)", "(?<=a)b", "^a|b$", "a^", "$a"] {
            #expect(try ECMARegex(p).dfa == nil, "\(p)")
        }
        // Too large to build, or too much work to build (a hostile schema must not make
        // compilation slow): the machine decides.
        #expect(try ECMARegex("(a|b)*a(a|b){14}").dfa == nil)
        for hostile in ["(?:a?){500}a{500}", "(?:[a-z]|[a-y]){0,300}x"] {
            let re = try ECMARegex(hostile)
            #expect(re.dfa == nil, "\(hostile)")
        }
        #expect(try ECMARegex("(?:a?){3}a{3}").isMatch(in: "aaa"))
        // Syntax-only checks (`format: regex` on instance strings) never build one.
        #expect(try ECMARegex("^[a-z]+$", automaton: false).dfa == nil)
    }

    @Test func longInputDoesNotOverflowTheStack() throws {
        #expect(try ECMARegex("^(a|b)*$").isMatch(in: String(repeating: "ab", count: 200_000)))
    }

    @Test func deeplyNestedPatternIsRejectedNotCrashing() {
        let deep = String(repeating: "(", count: 5000) + String(repeating: ")", count: 5000)
        #expect(throws: RegexSyntaxError.self) { try ECMARegex(deep) }
    }
}
