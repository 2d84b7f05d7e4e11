/// Where a query gets postings and statistics: a `LocalIndex` in one process, or (later) the
/// term owners of the overlay. Implementations must be safe to call concurrently.
public protocol PostingSource: Sendable {
    /// Number of documents whose posting list for `term` holds them (0 when unknown).
    func documentFrequency(term: String) async throws -> Int
    /// The postings of `term`, restricted to documents `candidates` may contain when given
    /// (an owner may return extra postings; the asker filters again).
    func postings(term: String, candidates: CandidateFilter?) async throws -> [Posting]
    /// N and average field lengths over the whole collection.
    func statistics() async throws -> CollectionStatistics
    /// Document frequencies of several terms at once (a distributed source asks their owners
    /// in parallel). The default asks `documentFrequency(term:)` term by term.
    func documentFrequencies(terms: [String]) async throws -> [String: Int]
    /// Document frequencies good enough to order `query`'s clauses (every term of
    /// `query.allTerms` has one): they may be stale or estimated, since only the order of
    /// fetching depends on them. The default is `documentFrequencies(terms:)`.
    func planningFrequencies(for query: ParsedQuery) async throws -> [String: Int]
    /// The postings of several terms at once, each restricted like `postings(term:candidates:)`.
    /// The default asks term by term.
    func postings(terms: [String], candidates: CandidateFilter?) async throws -> [String: [Posting]]
    /// Terms no holder answered for so far (their lists were taken as empty), sorted. Always
    /// empty for a local index; a distributed source is made per query, so this is the query's.
    func unansweredTerms() -> [String]
}

extension PostingSource {
    public func documentFrequencies(terms: [String]) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for term in terms { out[term] = try await documentFrequency(term: term) }
        return out
    }

    public func planningFrequencies(for query: ParsedQuery) async throws -> [String: Int] {
        try await documentFrequencies(terms: query.allTerms.sorted())
    }

    public func postings(terms: [String], candidates: CandidateFilter?) async throws -> [String: [Posting]] {
        var out: [String: [Posting]] = [:]
        for term in terms { out[term] = try await postings(term: term, candidates: candidates) }
        return out
    }

    public func unansweredTerms() -> [String] { [] }
}

/// An in-memory index over all postings of a set of documents: the single-node reference that
/// a federation's answers must equal, and the index the demo and tests use. An actor:
/// all access is serialized; nothing blocks.
public actor LocalIndex: PostingSource {
    private var lists: [String: [String: Posting]] = [:]
    private var documents: [String: (info: DocumentInfo, terms: [String])] = [:]

    public init() {}

    /// Adds or replaces `document` of `site` (its old postings are retracted first).
    public func add(_ document: CourseDocument, site: SiteInfo) {
        add(postings: DocumentIndexer.postings(for: document, site: site))
    }

    /// Adds postings as a term owner receives them; a document already present with the same
    /// id is replaced.
    public func add(postings: [Posting]) {
        for id in Set(postings.map(\.document.id)) { remove(documentID: id) }
        var termsByDoc: [String: (info: DocumentInfo, terms: [String])] = [:]
        for posting in postings {
            lists[posting.term, default: [:]][posting.document.id] = posting
            termsByDoc[posting.document.id, default: (posting.document, [])].terms.append(posting.term)
        }
        for (id, entry) in termsByDoc { documents[id] = entry }
    }

    /// Retracts every posting of the document with `id`.
    public func remove(documentID id: String) {
        guard let entry = documents.removeValue(forKey: id) else { return }
        for term in entry.terms {
            lists[term]?[id] = nil
            if lists[term]?.isEmpty == true { lists[term] = nil }
        }
    }

    /// Number of documents held.
    public var documentCount: Int { documents.count }

    /// What the index holds about each document (field lengths, category, …), in id order.
    public func documentInfos() -> [DocumentInfo] {
        documents.keys.sorted().map { documents[$0]!.info }
    }

    /// Every posting held, by term then document id (what a node publishes for its own site).
    public func allPostings() -> [Posting] {
        lists.keys.sorted().flatMap { term in lists[term]!.keys.sorted().map { lists[term]![$0]! } }
    }

    /// Number of distinct terms (posting lists) held.
    public var termCount: Int { lists.count }

    /// Number of postings held, over all lists.
    public var postingCount: Int { lists.values.reduce(0) { $0 + $1.count } }

    public func documentFrequency(term: String) -> Int { lists[term]?.count ?? 0 }

    public func documentFrequencies(terms: [String]) -> [String: Int] {
        Dictionary(terms.map { ($0, lists[$0]?.count ?? 0) }, uniquingKeysWith: { a, _ in a })
    }

    public func postings(term: String, candidates: CandidateFilter?) -> [Posting] {
        guard let list = lists[term] else { return [] }
        let selected = candidates.map { filter in list.filter { filter.contains($0.key) } } ?? list
        return selected.keys.sorted().map { selected[$0]! }
    }

    public func statistics() -> CollectionStatistics {
        var sums = Array(repeating: 0.0, count: Field.allCases.count)
        for entry in documents.values {
            for (i, length) in entry.info.fieldLengths.enumerated() where i < sums.count { sums[i] += Double(length) }
        }
        let n = documents.count
        return CollectionStatistics(documentCount: n, averageFieldLengths: sums.map { n > 0 ? $0 / Double(n) : 0 })
    }
}

import MeshCore
