import MoodleSource
import Testing

@Suite("Summary text")
struct SummaryTextTests {
    @Test func htmlBlocksBecomeLinesAndEntitiesResolve() {
        let html = "<p>Caf&eacute; &amp; t&#233;</p><ul><li>One&nbsp;item</li><li>Two</li></ul><div>Last<br>line</div>"
        #expect(SummaryText.plainText(html, format: 1) == "Café & té\nOne item\nTwo\nLast\nline")
    }

    @Test func scriptsStylesAndImagesAreDropped() {
        let html = "<style>p{color:red}</style><p>Text<script>alert(1)</script> here<img src=\"@@PLUGINFILE@@/a.png\" alt=\"x\"></p>"
        #expect(SummaryText.plainText(html, format: 1) == "Text here")
    }

    @Test func pluginfileLinksKeepTheirTextOnly() {
        let html = "<p>Read the <a href=\"@@PLUGINFILE@@/syllabus.pdf\">syllabus</a>. See @@PLUGINFILE@@/notes.pdf too.</p>"
        #expect(SummaryText.plainText(html, format: 1) == "Read the syllabus. See too.")
    }

    @Test func moodleFormatKeepsLineBreaks() {
        #expect(SummaryText.plainText("First line\nSecond <b>bold</b> line", format: 0) == "First line\nSecond bold line")
    }

    @Test func plainFormatIsShownAsTyped() {
        #expect(SummaryText.plainText("  a &amp; b  \n\n c <i>", format: 2) == "a &amp; b\nc <i>")
    }

    @Test func markdownRendersToText() {
        let md = """
        # Course *overview*

        Learn **academic** writing with [the guide](https://example.org) and `code_spans`.
        ![diagram](@@PLUGINFILE@@/d.png)

        1. First step
        - snake_case_words stay
        > quoted _text_

        ---
        """
        #expect(SummaryText.plainText(md, format: 4) ==
            "Course overview\nLearn academic writing with the guide and code_spans.\ndiagram\nFirst step\nsnake_case_words stay\nquoted text")
    }

    @Test func brokenHTMLStillGivesText() {
        #expect(SummaryText.plainText("<p>Unclosed <b>bold <i>and a < b", format: 1) == "Unclosed bold and a < b")
    }

    @Test func unicodeSpacesCollapseAndOtherMultibyteTextIsKept() {
        #expect(SummaryText.plainText("  a\u{00A0}\u{00A0}b \u{2028} c\u{3000}", format: 2) == "a b\nc")
        #expect(SummaryText.plainText("\u{00A9} 2024  Moodle\u{2014}LMS", format: 2) == "\u{00A9} 2024 Moodle\u{2014}LMS")
        #expect(SummaryText.plainText("Week 1 quiz", format: 2) == "Week 1 quiz")
        #expect(SummaryText.plainText(" Week\t1 ", format: 2) == "Week 1")
    }
}
