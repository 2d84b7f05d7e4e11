/// The set of documents a term owner should return postings for: exact ids, or a Bloom filter
/// of them when that is smaller. The asker re-checks against its exact set, so Bloom false
/// positives cost bytes, never wrong results.
public enum CandidateFilter: Codable, Hashable, Sendable {
    case ids(Set<String>)
    case bloom(BloomFilter)

    /// True when `id` may be a candidate (always true for an inserted id).
    public func contains(_ id: String) -> Bool {
        switch self {
        case .ids(let ids): ids.contains(id)
        case .bloom(let filter): filter.contains(id)
        }
    }
}

/// Pure query planning: which clause to fetch first, what to ship, which owner gets which terms.
public struct QueryPlan: Hashable, Sendable {
    /// Indices into `ParsedQuery.clauses`, rarest (smallest estimated list) first.
    public var clauseOrder: [Int]
    /// Estimated candidate count per clause: the sum of its distinct terms' document
    /// frequencies (an upper bound of an OR of lists), in `clauses` order.
    public var estimatedSizes: [Int]

    /// Orders the clauses of `query` rarest first; ties keep query order. Terms missing from
    /// `documentFrequencies` count as 0 (their list is empty).
    public static func make(query: ParsedQuery, documentFrequencies: [String: Int]) -> QueryPlan {
        let sizes = query.clauses.map { clause in
            Set(clause.flatMap { $0.words.flatMap(\.distinctTerms) }).reduce(0) { $0 + (documentFrequencies[$1] ?? 0) }
        }
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] < sizes[$1] : $0 < $1 }
        return QueryPlan(clauseOrder: order, estimatedSizes: sizes)
    }

    /// True when the rarest clause's estimate is at least 1 and every other clause's is at
    /// least `margin` times it: an order worth trusting without asking the holders, when the
    /// frequencies are estimates (a sample of the collection, such as one site's own courses).
    /// A clause estimated at 0 may be absent from the sample only, so it never decides.
    public func isDecisive(margin: Int = 2) -> Bool {
        guard let rarest = clauseOrder.first.map({ estimatedSizes[$0] }), rarest >= 1 else { return false }
        return clauseOrder.dropFirst().allSatisfy { estimatedSizes[$0] >= margin * rarest }
    }

    /// Ids up to `bloomThreshold` (default 256) are shipped as they are; more as a Bloom filter
    /// at `falsePositiveRate` (default 1%), which costs about 1.2 bytes per id instead of ~20.
    public static func candidateFilter(for ids: Set<String>, bloomThreshold: Int = 256,
                                       falsePositiveRate: Double = 0.01) -> CandidateFilter {
        guard ids.count > bloomThreshold else { return .ids(ids) }
        var filter = BloomFilter(capacity: ids.count, falsePositiveRate: falsePositiveRate)
        for id in ids { filter.insert(id) }
        return .bloom(filter)
    }

    /// Groups `terms` by the owner `owner(term)` names, so each owner gets one request;
    /// terms keep their given order inside each group.
    public static func requestsByOwner<Owner: Hashable>(terms: [String], owner: (String) -> Owner) -> [Owner: [String]] {
        var out: [Owner: [String]] = [:]
        for term in terms { out[owner(term), default: []].append(term) }
        return out
    }
}
