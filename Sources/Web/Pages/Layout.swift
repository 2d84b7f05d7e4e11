/// The frame every HTML page shares: landmarks (banner, navigation, main, contentinfo), a skip
/// link, the search box in the header, one stylesheet and the optional suggestion script.
/// `body` must already be escaped HTML; `title` and `query` are escaped here.
public struct PageLayout: Sendable {
    /// The node's display name (its site name, or its host).
    public var nodeName: String

    public init(nodeName: String) { self.nodeName = nodeName }

    /// A complete HTML document.
    public func render(title: String, query: String = "", current: Section, body: String) -> String {
        let nav = Section.allCases.map { s in
            let here = s == current ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(s.path)\"\(here)>\(s.label)</a></li>"
        }.joined()
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title)) · CourseMesh</title>
        <link rel="stylesheet" href="/assets/style.css">
        <link rel="search" type="application/opensearchdescription+xml" title="CourseMesh" href="/opensearch.xml">
        <script src="/assets/suggest.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
        <a class="brand" href="/">CourseMesh</a>
        <form class="search" role="search" action="/search" method="get">
        <label for="q" class="visually-hidden">Search courses</label>
        <input id="q" name="q" type="search" value="\(HTML.escape(query))" placeholder="Search courses on every campus" autocomplete="off" list="suggestions" maxlength="256">
        <datalist id="suggestions"></datalist>
        <button type="submit">Search</button>
        </form>
        <nav aria-label="Sections"><ul>\(nav)</ul></nav>
        </header>
        <main id="main" tabindex="-1">
        \(body)
        </main>
        <footer><p>\(HTML.escape(nodeName)) · a CourseMesh node · <a href="/api/v1/openapi.json">JSON API</a></p></footer>
        </body>
        </html>
        """
    }

    /// The pages listed in the navigation.
    public enum Section: CaseIterable, Sendable {
        case search, stats, node

        var path: String {
            switch self {
            case .search: "/"
            case .stats: "/stats"
            case .node: "/node"
            }
        }

        var label: String {
            switch self {
            case .search: "Search"
            case .stats: "Statistics"
            case .node: "This node"
            }
        }
    }
}
