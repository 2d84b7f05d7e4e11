/// The home page and the results page, rendered from the same `SearchResponse` the JSON API
/// returns. Pure functions of their input: every string is escaped here.
public struct SearchPages: Sendable {
    public var layout: PageLayout

    public init(layout: PageLayout) { self.layout = layout }

    /// The filters a results page carries along in its links.
    public struct Filters: Sendable, Equatable {
        public var language = ""
        public var country = ""
        public var site = ""
        public var category = ""
        public init(language: String = "", country: String = "", site: String = "", category: String = "") {
            self.language = language
            self.country = country
            self.site = site
            self.category = category
        }
    }

    /// `/`: the search form and a few example queries.
    public func home(examples: [String], courseCount: Int?, siteCount: Int?) -> String {
        let links = examples.map { "<li><a href=\"/search\(HTML.queryString([("q", $0)]))\">\(HTML.escape($0))</a></li>" }.joined()
        var intro = "Find courses on every Moodle campus of the federation."
        if let c = courseCount, let s = siteCount, c > 0 { intro = "Search \(c) courses from \(s) sites." }
        let body = """
        <h1>Search courses across campuses</h1>
        <p class="summary">\(HTML.escape(intro)) Type a subject above, for example:</p>
        <ul>\(links)</ul>
        <p class="summary">Query syntax: words, <code>"a phrase"</code>, <code>-exclude</code>, <code>OR</code>, and filters
        <code>lang:es</code>, <code>country:IT</code>, <code>site:host</code>, <code>category:name</code>, <code>open:yes</code>.</p>
        """
        return layout.render(title: "Search", current: .search, body: body)
    }

    /// `/search`: results with marked snippets, facets as links with counts, and a pager.
    public func results(_ r: SearchResponse, filters: Filters) -> String {
        let pages = max(1, (r.total + r.pageSize - 1) / max(1, r.pageSize))
        var body = "<h1 class=\"visually-hidden\">Results for \(HTML.escape(r.query))</h1>"
        body += "<p class=\"summary\" role=\"status\">\(r.total) course\(r.total == 1 ? "" : "s") from \(r.sites) site\(r.sites == 1 ? "" : "s") in \(r.tookMs) ms"
        if r.total > 0 { body += " · page \(r.page) of \(pages)" }
        body += "</p>"
        if r.partial {
            body += "<p class=\"partial\">Some words could not be looked up because the nodes that hold them did not answer: "
                + r.missingTerms.map { "<strong>\(HTML.escape($0))</strong>" }.joined(separator: ", ")
                + ". Results may be missing courses; try again in a minute.</p>"
        }
        if r.results.isEmpty {
            body += """
            <div class="empty"><h2>No courses match</h2><p>Try fewer or more general words, check the spelling, \
            remove a filter, or search in another language (for example <em>chemistry</em> and <em>chimica</em>).</p></div>
            """
            return layout.render(title: r.query, query: r.query, current: .search, body: body)
        }
        body += "<div class=\"layout\">" + facetsHTML(r, filters: filters) + "<section aria-label=\"Results\">"
        body += "<ol class=\"results\" start=\"\((r.page - 1) * r.pageSize + 1)\">"
        for item in r.results { body += resultHTML(item) }
        body += "</ol>" + pager(r, pages: pages, filters: filters) + "</section></div>"
        return layout.render(title: r.query, query: r.query, current: .search, body: body)
    }

    /// An error page for a query that could not run (the message says what to change).
    public func error(query: String, message: String) -> String {
        let body = """
        <h1>That search could not run</h1>
        <p class="error" role="alert">\(HTML.escape(message))</p>
        <p>Queries may have at most 8 words and 256 characters. Put phrases in double quotes and use filters such as <code>lang:en</code>.</p>
        """
        return layout.render(title: "Search error", query: query, current: .search, body: body)
    }

    private func resultHTML(_ item: SearchResult) -> String {
        var meta = [HTML.escape(item.site.name)]
        if !item.country.isEmpty { meta.append(HTML.escape(item.country)) }
        if !item.language.isEmpty { meta.append("language " + HTML.escape(item.language)) }
        if !item.category.isEmpty { meta.append(HTML.escape(item.category)) }
        if item.openEnrolment { meta.append("<strong>open enrolment</strong>") }
        let tags = item.tags.prefix(8).map { "<span class=\"tag\">\(HTML.escape($0))</span>" }.joined()
        return """
        <li><h2><a href="\(HTML.escape(item.url))">\(HTML.escape(item.title))</a></h2>
        <p class="meta">\(meta.joined(separator: " · "))</p>
        <p>\(item.snippetHTML)</p>\(tags.isEmpty ? "" : "<p>\(tags)</p>")</li>
        """
    }

    private func facetsHTML(_ r: SearchResponse, filters: Filters) -> String {
        func group(_ title: String, _ key: String, _ counts: [Facets.Count], selected: String) -> String {
            guard !counts.isEmpty else { return "" }
            var html = "<h2>\(title)</h2><ul>"
            for c in counts.prefix(10) {
                var f = filters
                switch key {
                case "lang": f.language = c.value == selected ? "" : c.value
                case "country": f.country = c.value == selected ? "" : c.value
                case "site": f.site = c.value == selected ? "" : c.value
                default: f.category = c.value == selected ? "" : c.value
                }
                let current = c.value == selected ? " aria-current=\"true\"" : ""
                html += "<li><a href=\"/search\(link(r.query, f, page: 1))\"\(current)>\(HTML.escape(c.value))</a> (\(c.count))</li>"
            }
            return html + "</ul>"
        }
        return "<aside class=\"facets\" aria-label=\"Filters\">"
            + group("Language", "lang", r.facets.language, selected: filters.language)
            + group("Country", "country", r.facets.country, selected: filters.country)
            + group("Site", "site", r.facets.site, selected: filters.site)
            + group("Category", "category", r.facets.category, selected: filters.category)
            + "</aside>"
    }

    private func pager(_ r: SearchResponse, pages: Int, filters: Filters) -> String {
        guard pages > 1 else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"Pages\">"
        if r.page > 1 { html += "<a rel=\"prev\" href=\"/search\(link(r.query, filters, page: r.page - 1))\">← Previous</a>" }
        if r.page < pages { html += "<a rel=\"next\" href=\"/search\(link(r.query, filters, page: r.page + 1))\">Next →</a>" }
        return html + "</nav>"
    }

    /// The query string of a results page (escaped for use inside an attribute).
    func link(_ query: String, _ f: Filters, page: Int) -> String {
        HTML.escape(HTML.queryString([("q", query), ("lang", f.language), ("country", f.country), ("site", f.site),
                                      ("category", f.category), ("page", page > 1 ? String(page) : "")]))
    }
}
