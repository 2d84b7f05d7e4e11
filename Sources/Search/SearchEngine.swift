/// A search request: the query text and the page wanted.
public struct SearchRequest: Hashable, Sendable {
    public var query: String
    /// 1-based page number.
    public var page: Int
    /// Results per page, 1…`Limits.maxPageSize` (default 10).
    public var pageSize: Int

    public init(query: String, page: Int = 1, pageSize: Int = 10) {
        self.query = query
        self.page = page
        self.pageSize = pageSize
    }
}

/// Runs queries over a `PostingSource`: parse, plan (rarest clause first), fetch the first
/// clause's lists whole and the others restricted to the candidates so far (ids or a Bloom
/// filter), drop exclusions, rank with BM25F and assemble the page. The same code serves the
/// local index and, with an overlay-backed source, the federation, so both rank identically
/// given the same postings and statistics. A value; safe to share.
public struct SearchEngine: Sendable {
    public var source: any PostingSource
    public var parameters: BM25FParameters

    public init(source: any PostingSource, parameters: BM25FParameters = .standard) {
        self.source = source
        self.parameters = parameters
    }

    /// Answers `request`. Throws `SearchError` for a bad query or page, and whatever the
    /// source throws when a list cannot be fetched.
    public func search(_ request: SearchRequest) async throws -> SearchResponse {
        guard request.page >= 1 else { throw SearchError.badPage("page must be 1 or more, not \(request.page).") }
        guard (1...Limits.maxPageSize).contains(request.pageSize) else {
            throw SearchError.badPage("page_size must be between 1 and \(Limits.maxPageSize), not \(request.pageSize).")
        }
        let query = try QueryParser.parse(request.query)
        let ranked = try await evaluate(query)
        var response = ResultAssembler.response(for: request, query: query, ranked: ranked)
        response.missingTerms = source.unansweredTerms()
        response.partial = !response.missingTerms.isEmpty
        return response
    }

    /// The full ranked list for `query`, best first. The clauses are ordered by the source's
    /// planning frequencies (not asked for a query of one clause: there is nothing to order);
    /// ranking uses its exact ones, asked once the lists are fetched.
    public func evaluate(_ query: ParsedQuery) async throws -> [RankedDocument] {
        let terms = query.allTerms.sorted()
        let planning = query.clauses.count > 1 ? try await source.planningFrequencies(for: query) : [:]
        let plan = QueryPlan.make(query: query, documentFrequencies: planning)
        var fetched = FetchedPostings()
        var candidates: Set<String>?
        for index in plan.clauseOrder {
            let clause = query.clauses[index]
            let filter = candidates.map { QueryPlan.candidateFilter(for: $0) }
            let exact = candidates
            let terms = Set(clause.flatMap { $0.words.flatMap(\.distinctTerms) }).sorted()
            for (_, postings) in try await source.postings(terms: terms, candidates: filter).sorted(by: { $0.key < $1.key }) {
                fetched.add(postings) { exact?.contains($0) ?? true }
            }
            let pool = candidates ?? Set(fetched.documents.keys)
            var matched = QueryEvaluator.matching(clause, ids: pool, fetched: fetched)
            if candidates == nil {
                matched = matched.filter { fetched.documents[$0].map(query.filters.accepts) ?? false }
            }
            candidates = matched
            if matched.isEmpty { break }
        }
        var result = candidates ?? []
        if !query.excluded.isEmpty, !result.isEmpty {
            let filter = QueryPlan.candidateFilter(for: result)
            let exact = result
            let terms = Set(query.excluded.flatMap { $0.words.flatMap(\.distinctTerms) }).sorted()
            for (_, postings) in try await source.postings(terms: terms, candidates: filter).sorted(by: { $0.key < $1.key }) {
                fetched.add(postings) { exact.contains($0) }
            }
            for unit in query.excluded {
                result.subtract(QueryEvaluator.matching([unit], ids: result, fetched: fetched))
            }
        }
        guard !result.isEmpty else { return [] }
        // Asked last, not beside the first round: the sources answer it from memory, and a
        // concurrent child task would cost more than it overlaps.
        let statistics = try await source.statistics()
        return QueryEvaluator.rank(result, query: query, fetched: fetched,
                                   documentFrequencies: try await source.documentFrequencies(terms: terms),
                                   statistics: statistics, parameters: parameters)
    }
}
