import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MeshCore
import Testing
@testable import Web

/// Every field that reaches a page or a feed comes from Moodle or a peer: none may become markup.
struct PageEscapingTests {
    static let hostile = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>"

    static func hostileResult() -> SearchResult {
        SearchResult(id: "s:2", title: hostile, url: "https://x.example/course/view.php?id=2&\"><script>", site: .init(name: hostile, url: "https://x.example"),
                     country: hostile, language: "en", category: hostile, tags: [hostile],
                     snippet: hostile, snippetHTML: HTML.highlighted(hostile, marks: [0..<8]), score: 1, openEnrolment: true,
                     startDate: nil, timeModified: 1_700_000_000)
    }

    static func response(results: [SearchResult], total: Int? = nil, page: Int = 1) -> SearchResponse {
        SearchResponse(query: hostile, total: total ?? results.count, page: page, pageSize: 10, tookMs: 3, nodesAsked: 2, sites: 1,
                       partial: true, missingTerms: [hostile], results: results,
                       facets: Facets(language: [.init(value: hostile, count: 1)], country: [.init(value: hostile, count: 1)],
                                      site: [.init(value: hostile, count: 1)], category: [.init(value: hostile, count: 1)]))
    }

    @Test func escapeReplacesAllFiveCharacters() {
        #expect(HTML.escape("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }

    @Test func highlightedMarksRangesAndEscapesTheRest() {
        #expect(HTML.highlighted("a <b> chemistry", marks: [6..<15]) == "a &lt;b&gt; <mark>chemistry</mark>")
        #expect(HTML.highlighted("x", marks: [3..<9]) == "x")
    }

    @Test func resultsPagePrintsHostileFieldsAsText() {
        let pages = SearchPages(layout: PageLayout(nodeName: Self.hostile))
        let html = pages.results(Self.response(results: [Self.hostileResult()], total: 25), filters: .init(language: Self.hostile))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("rel=\"next\""))
        #expect(html.contains("25 courses from 1 site in 3 ms"))
    }

    @Test func emptyAndErrorStatesSayWhatToTry() {
        let pages = SearchPages(layout: PageLayout(nodeName: "n"))
        let empty = pages.results(Self.response(results: []), filters: .init())
        #expect(empty.contains("No courses match"))
        let error = pages.error(query: Self.hostile, message: Self.hostile)
        #expect(error.contains("role=\"alert\""))
        #expect(!error.contains("<script>alert"))
    }

    @Test func atomFeedAndOpenSearchAreWellFormedXML() throws {
        let atom = Feeds.atom(query: Self.hostile, results: [Self.hostileResult()], baseURL: "http://127.0.0.1:8080/",
                              updated: Timestamp(seconds: 1_700_000_000))
        let open = Feeds.openSearch(baseURL: "http://127.0.0.1:8080", nodeName: Self.hostile)
        for doc in [atom, open] {
            let parser = XMLParser(data: Data(doc.utf8))
            #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
            #expect(!doc.contains("<script>"))
        }
    }
}
