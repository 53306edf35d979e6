import Testing
import SluiceJSON

@Suite struct JSONPointerTests {
    /// RFC 6901 section 5.
    static let rfcDocument = #"""
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}
        """#

    @Test(arguments: [
        ("", nil), ("/foo", #"["bar","baz"]"#), ("/foo/0", #""bar""#), ("/", "0"), ("/a~1b", "1"),
        ("/c%d", "2"), ("/e^f", "3"), ("/g|h", "4"), (#"/i\j"#, "5"), (#"/k"l"#, "6"), ("/ ", "7"), ("/m~0n", "8"),
    ] as [(String, String?)])
    func rfc6901Examples(pointer: String, expected: String?) throws {
        let document = try JSONParser.parse(Self.rfcDocument)
        let selected = try JSONPointer(parsing: pointer).get(in: document)
        let want = try expected.map { try JSONParser.parse($0) } ?? document
        #expect(selected == want)
    }

    @Test func escapesRoundTrip() throws {
        let pointer = try JSONPointer(parsing: "/a~1b/m~0n/~01/~10")
        #expect(pointer.tokens == ["a/b", "m~n", "~1", "/0"])
        #expect(pointer.description == "/a~1b/m~0n/~01/~10")
        #expect(JSONPointer(tokens: ["x/y~z", "", "é"]).description == "/x~1y~0z//é")
        #expect(try JSONPointer(parsing: "/").tokens == [""])
        #expect(try JSONPointer(parsing: "//").tokens == ["", ""])
        #expect(JSONPointer.root.description == "")
        #expect(JSONPointer.root.appending("a").appending(3).description == "/a/3")
    }

    @Test func separatorsFollowedByCombiningMarksStillSeparate() throws {
        let pointer = try JSONPointer(parsing: "/a/\u{301}b")
        #expect(pointer.tokens == ["a", "\u{301}b"])
        #expect(throws: JSONPointer.ParseError.self) { try JSONPointer(parsing: "/~\u{301}") }
        #expect(JSONPointer(tokens: ["~\u{301}"]).description == "/~0\u{301}")
    }

    @Test(arguments: ["a", "a/b", "/~", "/~2", "/a~", "/~a"])
    func rejectsMalformedPointers(text: String) {
        #expect(throws: JSONPointer.ParseError.self) { try JSONPointer(parsing: text) }
    }

    @Test func arrayIndicesAreStrict() throws {
        let document: JSONValue = ["list": [10, 20, 30]]
        #expect(try JSONPointer(parsing: "/list/2").get(in: document) == 30)
        for bad in ["/list/3", "/list/01", "/list/-", "/list/-1", "/list/1.0", "/list/", "/list/99999999999999999999999"] {
            #expect(try JSONPointer(parsing: bad).get(in: document) == nil, "\(bad)")
        }
        #expect(try JSONPointer(parsing: "/list/0/x").get(in: document) == nil)
        #expect(try JSONPointer(parsing: "/missing").get(in: document) == nil)
    }

    @Test func setReplacesAddsAndAppends() throws {
        var document: JSONValue = ["a": ["b": [1, 2]], "z": 0]
        try JSONPointer(parsing: "/a/b/0").set("one", in: &document)
        try JSONPointer(parsing: "/a/b/-").set(3, in: &document)
        try JSONPointer(parsing: "/a/c").set(true, in: &document)
        try JSONPointer(parsing: "/z").set(nil, in: &document)
        #expect(JSONWriter.string(document) == #"{"a":{"b":["one",2,3],"c":true},"z":null}"#)
        try JSONPointer.root.set([1], in: &document)
        #expect(document == [1])
    }

    @Test func setFailuresLeaveTheDocumentUnchanged() throws {
        let original: JSONValue = ["a": ["b": [1, 2]], "n": nil, "s": "x"]
        var document = original
        #expect(throws: JSONPointer.SetError.badIndex("/a/b/2")) { try JSONPointer(parsing: "/a/b/2").set(0, in: &document) }
        #expect(throws: JSONPointer.SetError.badIndex("/a/b/-/x")) { try JSONPointer(parsing: "/a/b/-/x").set(0, in: &document) }
        #expect(throws: JSONPointer.SetError.noParent("/missing/x")) { try JSONPointer(parsing: "/missing/x").set(0, in: &document) }
        #expect(throws: JSONPointer.SetError.noParent("/n/x")) { try JSONPointer(parsing: "/n/x").set(0, in: &document) }
        #expect(throws: JSONPointer.SetError.noParent("/s/x")) { try JSONPointer(parsing: "/s/x").set(0, in: &document) }
        #expect(throws: JSONPointer.SetError.badIndex("/a/b/5/0/0")) { try JSONPointer(parsing: "/a/b/5/0/0").set(0, in: &document) }
        #expect(document == original)
        #expect(JSONWriter.string(document) == JSONWriter.string(original))
    }

    @Test func removeTakesOutMembersAndElements() throws {
        var document: JSONValue = ["a": ["x": 1, "y": 2, "z": 3], "l": [1, 2, 3]]
        #expect(try JSONPointer(parsing: "/a/y").remove(from: &document) == 2)
        #expect(try JSONPointer(parsing: "/l/0").remove(from: &document) == 1)
        #expect(try JSONPointer(parsing: "/l/5").remove(from: &document) == nil)
        #expect(try JSONPointer(parsing: "/nope/x").remove(from: &document) == nil)
        #expect(JSONPointer.root.remove(from: &document) == nil)
        #expect(JSONWriter.string(document) == #"{"a":{"x":1,"z":3},"l":[2,3]}"#)
    }
}
