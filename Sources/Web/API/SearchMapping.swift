import Search

extension SearchResponse {
    /// The API's reply built from the engine's ranked page, with timing and fan-out added by the node.
    public init(_ r: Search.SearchResponse, tookMs: Int, nodesAsked: Int) {
        func counts(_ key: String) -> [Facets.Count] { (r.facets[key] ?? []).map { Facets.Count(value: $0.value, count: $0.count) } }
        self.init(query: r.query, total: r.total, page: r.page, pageSize: r.pageSize, tookMs: tookMs, nodesAsked: nodesAsked,
                  sites: r.facets["site"]?.count ?? 0, partial: r.partial, missingTerms: r.missingTerms,
                  results: r.hits.map { h in
                      SearchResult(id: h.id, title: h.title, url: h.url, site: .init(name: h.siteName, url: h.siteURL),
                                   country: h.country, language: h.language, category: h.category.joined(separator: " / "),
                                   tags: h.tags, snippet: h.snippet, snippetHTML: h.snippetHTML, score: h.score,
                                   openEnrolment: h.openEnrolment, startDate: h.startDate, timeModified: h.timeModified)
                  },
                  facets: Facets(language: counts("language"), country: counts("country"), site: counts("site"), category: counts("category")))
    }
}
