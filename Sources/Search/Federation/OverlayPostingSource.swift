import MeshCore
import Overlay
import Synchronization

/// Traffic and coverage of one query over the overlay.
public struct QueryTraffic: Hashable, Sendable {
    /// Requests sent to term holders.
    public var requests = 0
    /// Distinct nodes asked.
    public var nodesAsked = 0
    /// Request payload bytes sent plus reply bytes received.
    public var bytesMoved = 0
}

/// A `PostingSource` over the term holders of the overlay, made per query.
///
/// Each batch of terms is grouped by owner (first of the term's replica set) and the owners are
/// asked in parallel, one request each; terms whose owner fails (timeout, unreachable, refusal)
/// are asked of their next replica, and so on through the replica set. Terms no holder answered
/// count as empty and are reported by `unansweredTerms()`, so the response says `partial`.
/// Timeouts are the network's (`SearchNetwork.send` gives up after its request timeout).
/// Collection statistics come from the `statistics` closure (the node passes the rollup's
/// global aggregate, or its documented fallback). Thread-safe.
///
/// Document frequencies are asked with `lookup`: a term whose list has at most `inlineLimit`
/// postings comes back whole in that first round, and a later `postings` call for it is
/// answered from that list (filtered by the candidates) without asking again. A rare term
/// thus costs one round; a common one is still fetched only restricted to the candidates.
///
/// A restricted list is asked with `occurrences`: the holder sends only each candidate's
/// frequencies and positions, and the postings are rebuilt from the documents this source
/// fetched earlier in the query. Candidates always come from lists fetched through the same
/// source (the engine takes them from its fetched postings), so a document it has not seen is
/// not a candidate (a Bloom filter's false positive) and is dropped.
///
/// Every reply that carries a list or occurrences also carries the term's document frequency,
/// and those exact frequencies are what `documentFrequencies` answers for ranking. Planning
/// skips the `lookup` round (the rarest clause is fetched whole at once) when a query's terms
/// all have recent frequencies in the `FrequencyCache`, or else when the `estimates` (the
/// node's own courses, a sample of the collection) order its clauses decisively
/// (`QueryPlan.isDecisive`). Either can only be wrong about which list is fetched first, never
/// about the answer.
public final class OverlayPostingSource: PostingSource {
    private let network: any SearchNetwork
    private let statisticsProvider: @Sendable () async throws -> CollectionStatistics
    private let inlineLimit: Int
    private let cache: FrequencyCache?
    private let estimates: Estimates?
    private struct State {
        /// Document frequencies learned from holders during this query.
        var frequencies: [String: Int] = [:]
        var inline: [String: [Posting]] = [:]
        /// Every document of the lists fetched so far, by id.
        var documents: [String: DocumentInfo] = [:]
        var unanswered = Set<String>()
        var traffic = QueryTraffic()
        var asked = Set<NodeURL>()
    }
    private let state = Mutex(State())

    /// Document frequencies in a sample of the collection, by term (0 when absent from it).
    public typealias Estimates = @Sendable ([String]) async -> [String: Int]

    /// `inlineLimit`: lists of at most this many postings come back with their frequency
    /// (default 32; 0 turns inlining off, so every list is fetched on its own). `cache`: the
    /// node's recent frequencies, read for planning and fed with what this query learns.
    /// `estimates`: frequencies in the node's own courses, to plan from when decisive.
    public init(network: any SearchNetwork, inlineLimit: Int = 32, cache: FrequencyCache? = nil,
                estimates: Estimates? = nil,
                statistics: @escaping @Sendable () async throws -> CollectionStatistics) {
        self.network = network
        self.inlineLimit = inlineLimit
        self.cache = cache
        self.estimates = estimates
        self.statisticsProvider = statistics
    }

    /// What this source has sent and received so far.
    public var traffic: QueryTraffic { state.withLock { $0.traffic } }

    public func unansweredTerms() -> [String] { state.withLock { $0.unanswered.sorted() } }

    public func statistics() async throws -> CollectionStatistics { try await statisticsProvider() }

    public func documentFrequency(term: String) async throws -> Int {
        try await documentFrequencies(terms: [term])[term] ?? 0
    }

    public func postings(term: String, candidates: CandidateFilter?) async throws -> [Posting] {
        try await postings(terms: [term], candidates: candidates)[term] ?? []
    }

    /// The cached frequencies when every term has a recent one, else the estimates when they
    /// order the clauses decisively, else the exact ones (a `lookup`).
    public func planningFrequencies(for query: ParsedQuery) async throws -> [String: Int] {
        let terms = query.allTerms.sorted()
        if let cached = cache?.frequencies(of: terms) { return cached }
        if let estimated = await estimates?(terms),
           QueryPlan.make(query: query, documentFrequencies: estimated).isDecisive() { return estimated }
        return try await documentFrequencies(terms: terms)
    }

    /// Exact frequencies: those that came with this query's replies, and a `lookup` for the rest.
    public func documentFrequencies(terms: [String]) async throws -> [String: Int] {
        let (known, unanswered) = state.withLock { ($0.frequencies, $0.unanswered) }
        // A term no holder answered is not asked again: the query already says it is missing.
        let missing = terms.filter { known[$0] == nil && !unanswered.contains($0) }
        if !missing.isEmpty { await lookup(missing) }
        let learned = state.withLock { $0.frequencies }
        return Dictionary(terms.map { ($0, learned[$0] ?? 0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Asks the holders of `terms` for their frequencies and short lists.
    private func lookup(_ terms: [String]) async {
        let limit = inlineLimit
        let answers = await ask(terms: terms, message: { .lookup(terms: $0, inlineLimit: limit) }) { bytes in
            try PostingWireFormat.lookupReply(bytes)
        }
        state.withLock { state in
            for case let (term, answer?) in answers {
                state.inline[term] = answer.postings
                Self.remember(answer.postings ?? [], in: &state)
            }
        }
        learn(answers.mapValues { $0?.frequency ?? 0 })
    }

    /// Records exact frequencies for this query and the node's cache.
    private func learn(_ frequencies: [String: Int]) {
        state.withLock { $0.frequencies.merge(frequencies) { _, new in new } }
        cache?.record(frequencies)
    }

    public func postings(terms: [String], candidates: CandidateFilter?) async throws -> [String: [Posting]] {
        let inline = state.withLock { $0.inline }
        var out: [String: [Posting]] = [:]
        for term in terms {
            guard let list = inline[term] else { continue }
            out[term] = candidates.map { filter in list.filter { filter.contains($0.document.id) } } ?? list
        }
        let remote = terms.filter { out[$0] == nil }
        guard !remote.isEmpty else { return out }
        guard let candidates else {
            let answers = await ask(terms: remote, message: { .postings(terms: $0, candidates: nil) }) { bytes in
                try PostingWireFormat.lists(bytes)
            }
            var counts: [String: Int] = [:]
            state.withLock { state in
                for (term, list) in answers {
                    out[term] = list ?? []
                    counts[term] = list?.count ?? 0
                    Self.remember(list ?? [], in: &state)
                }
            }
            learn(counts)
            for term in remote where out[term] == nil { out[term] = [] }
            return out
        }
        let answers = await ask(terms: remote, message: { .occurrences(terms: $0, candidates: candidates) }) { bytes in
            try PostingWireFormat.occurrencesReply(bytes)
        }
        let documents = state.withLock { $0.documents }
        for term in remote {
            out[term] = (answers[term] ?? nil)?.entries.compactMap { entry in
                documents[entry.id].map { Posting(term: term, document: $0, occurrence: entry.occurrence) }
            } ?? []
        }
        learn(answers.compactMapValues { $0?.frequency })
        return out
    }

    private static func remember(_ postings: [Posting], in state: inout State) {
        for posting in postings where state.documents[posting.document.id] == nil {
            state.documents[posting.document.id] = posting.document
        }
    }

    /// Asks every term's holders, owner first, in rounds: each round sends one request per node
    /// for the terms still unanswered whose holder at that rank it is, all nodes in parallel.
    /// Returns an entry for every answered term (nil value when the holder had nothing for it).
    private func ask<Answer>(terms: [String], message: ([String]) -> SearchMessage,
                             decode: ([UInt8]) throws -> [String: Answer]) async -> [String: Answer?] {
        let distinct = Array(Set(terms))
        let holders = Dictionary(uniqueKeysWithValues: zip(distinct, await network.replicaSets(of: distinct.map { .term($0) })))
        var pending = Set(terms)
        var answers: [String: Answer?] = [:]
        let rounds = holders.values.map(\.count).max() ?? 0
        for rank in 0..<rounds where !pending.isEmpty {
            let groups = QueryPlan.requestsByOwner(terms: pending.filter { holders[$0]!.count > rank }.sorted()) { holders[$0]![rank] }
            let requests = groups.map { (node: $0.key, terms: $0.value, payload: message($0.value).bytes) }
            let replies = await network.sendAll(app: FederationSettings.applicationName, messages: requests.map { ($0.node, $0.payload) })
            for (request, result) in zip(requests, replies) {
                // A node that failed, or whose reply does not decode, leaves its terms pending.
                let bytes = try? result.get()
                let reply = bytes.flatMap { try? decode($0) }
                state.withLock {
                    $0.traffic.requests += 1
                    $0.traffic.bytesMoved += request.payload.count + (bytes?.count ?? 0)
                    $0.asked.insert(request.node)
                    $0.traffic.nodesAsked = $0.asked.count
                }
                guard let reply else { continue }
                for term in request.terms {
                    answers[term] = .some(reply[term])
                    pending.remove(term)
                }
            }
        }
        let missing = pending
        state.withLock { $0.unanswered.formUnion(missing) }
        return answers
    }
}
