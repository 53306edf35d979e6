import SluiceText
import Testing

/// Entities are decoded in any string that is not markup; a string is markup only when it holds
/// a tag of a known HTML element name.
@Suite struct EntityMarkupTests {
    private func normalized(_ text: String) -> String {
        TextNormalizer.normalize(text, options: NormalizationOptions()).text
    }

    @Test(arguments: [
        ("touch -t <some time after 2038> &amp;&amp; ls", "touch -t <some time after 2038> && ls"),
        ("see <https://example.org> &mdash; ok", "see <https://example.org> — ok"),
        ("a <bold claim> d &lt; e", "a <bold claim> d < e"),
        ("x </ y &amp; z", "x </ y & z"),
        ("<!-- not a known element &amp;", "<!-- not a known element &"),
        ("<widget>Tom &amp; Jerry</widget>", "<widget>Tom & Jerry</widget>"),
    ])
    func decodedWhenNotMarkup(input: String, expected: String) {
        #expect(normalized(input) == expected)
    }

    @Test(arguments: [
        "<p>Tom &amp; Jerry</p>",
        "text <br/> &amp; more",
        "<A HREF=\"x\">a &lt; b</A>",
        "a<em>b</em> &copy;",
        "line\n<div\nclass=x>&amp;</div>",
        "</span> &amp;",
    ])
    func keptInMarkup(input: String) {
        #expect(normalized(input) == input)
    }
}
