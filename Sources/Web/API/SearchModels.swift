/// The JSON of `GET /api/v1/search` (Docs/openapi.json, schema `SearchResponse`).
/// The HTML results page renders the same value, so the page and the API never disagree.
public struct SearchResponse: Codable, Sendable, Equatable {
    public var query: String
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var tookMs: Int
    /// How many nodes were asked (term owners and replicas).
    public var nodesAsked: Int
    /// Distinct sites among all matches (not only this page).
    public var sites: Int
    /// True when some query terms could not be answered by their owner or any replica.
    public var partial: Bool
    /// The terms that went unanswered when `partial` is true.
    public var missingTerms: [String]
    public var results: [SearchResult]
    public var facets: Facets

    public init(query: String, total: Int, page: Int, pageSize: Int, tookMs: Int, nodesAsked: Int, sites: Int,
                partial: Bool, missingTerms: [String], results: [SearchResult], facets: Facets) {
        self.query = query
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.tookMs = tookMs
        self.nodesAsked = nodesAsked
        self.sites = sites
        self.partial = partial
        self.missingTerms = missingTerms
        self.results = results
        self.facets = facets
    }

    enum CodingKeys: String, CodingKey {
        case query, total, page
        case pageSize = "page_size"
        case tookMs = "took_ms"
        case nodesAsked = "nodes_asked"
        case sites, partial
        case missingTerms = "missing_terms"
        case results, facets
    }
}

/// One course in a result list.
public struct SearchResult: Codable, Sendable, Equatable {
    /// A site of the federation: its name and base URL.
    public struct Site: Codable, Sendable, Equatable {
        public var name: String
        public var url: String
        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// Global course id: `{site id}:{Moodle course id}`.
    public var id: String
    public var title: String
    public var url: String
    public var site: Site
    public var country: String
    public var language: String
    /// The course's category path joined with " / ".
    public var category: String
    public var tags: [String]
    /// Plain-text snippet.
    public var snippet: String
    /// The snippet HTML-escaped, with matched words in `<mark>`.
    public var snippetHTML: String
    public var score: Double
    public var openEnrolment: Bool
    public var startDate: Int64?
    public var timeModified: Int64

    public init(id: String, title: String, url: String, site: Site, country: String, language: String, category: String,
                tags: [String], snippet: String, snippetHTML: String, score: Double, openEnrolment: Bool,
                startDate: Int64?, timeModified: Int64) {
        self.id = id
        self.title = title
        self.url = url
        self.site = site
        self.country = country
        self.language = language
        self.category = category
        self.tags = tags
        self.snippet = snippet
        self.snippetHTML = snippetHTML
        self.score = score
        self.openEnrolment = openEnrolment
        self.startDate = startDate
        self.timeModified = timeModified
    }

    enum CodingKeys: String, CodingKey {
        case id, title, url, site, country, language, category, tags, snippet
        case snippetHTML = "snippet_html"
        case score
        case openEnrolment = "open_enrolment"
        case startDate = "start_date"
        case timeModified = "time_modified"
    }
}

/// Counts of all matches per facet value, most frequent first.
public struct Facets: Codable, Sendable, Equatable {
    public struct Count: Codable, Sendable, Equatable {
        public var value: String
        public var count: Int
        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    public var language: [Count]
    public var country: [Count]
    public var site: [Count]
    public var category: [Count]

    public init(language: [Count] = [], country: [Count] = [], site: [Count] = [], category: [Count] = []) {
        self.language = language
        self.country = country
        self.site = site
        self.category = category
    }
}

/// `GET /api/v1/suggest?prefix=…`: the most frequent indexed terms starting with the prefix.
public struct SuggestResponse: Codable, Sendable, Equatable {
    public var prefix: String
    public var suggestions: [String]
    public init(prefix: String, suggestions: [String]) {
        self.prefix = prefix
        self.suggestions = suggestions
    }
}
