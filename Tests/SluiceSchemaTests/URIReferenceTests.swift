import Testing

@testable import SluiceSchema

@Suite struct URIReferenceTests {
    // RFC 3986 section 5.4 examples.
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), (";x", "http://a/b/c/;x"), ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"), ("..", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"),
        ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("g.", "http://a/b/c/g."), ("g..", "http://a/b/c/g.."),
        ("./../g", "http://a/b/g"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/../y", "http://a/b/c/y"),
    ])
    func rfcExamples(_ reference: String, _ expected: String) {
        let base = URIReference("http://a/b/c/d;p?q")
        #expect(base.resolving(reference).description == expected)
    }

    @Test func urnAndFragments() {
        #expect(URIReference("urn:uuid:deadbeef-1234").resolving("#foo").description == "urn:uuid:deadbeef-1234#foo")
        #expect(URIReference("http://x/y.json#").withoutFragment.description == "http://x/y.json")
    }
}
