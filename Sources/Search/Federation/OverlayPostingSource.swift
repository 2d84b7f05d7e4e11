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
public final class OverlayPostingSource: PostingSource {
    private let network: any SearchNetwork
    private let statisticsProvider: @Sendable () async throws -> CollectionStatistics
    private let inlineLimit: Int
    private struct State {
        var inline: [String: [Posting]] = [:]
        /// Every document of the lists fetched so far, by id.
        var documents: [String: DocumentInfo] = [:]
        var unanswered = Set<String>()
        var traffic = QueryTraffic()
        var asked = Set<NodeURL>()
    }
    private let state = Mutex(State())

    /// `inlineLimit`: lists of at most this many postings come back with their frequency
    /// (default 32; 0 turns inlining off, so every list is fetched on its own).
    public init(network: any SearchNetwork, inlineLimit: Int = 32,
                statistics: @escaping @Sendable () async throws -> CollectionStatistics) {
        self.network = network
        self.inlineLimit = inlineLimit
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

    public func documentFrequencies(terms: [String]) async throws -> [String: Int] {
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
        return answers.mapValues { $0?.frequency ?? 0 }
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
                Dictionary(grouping: try PostingWireFormat.postings(bytes), by: \.term)
            }
            state.withLock { state in
                for case let (term, list?) in answers {
                    out[term] = list
                    Self.remember(list, in: &state)
                }
            }
            for term in remote where out[term] == nil { out[term] = [] }
            return out
        }
        let answers = await ask(terms: remote, message: { .occurrences(terms: $0, candidates: candidates) }) { bytes in
            try PostingWireFormat.occurrencesReply(bytes)
        }
        let documents = state.withLock { $0.documents }
        for term in remote {
            out[term] = (answers[term] ?? nil)?.compactMap { entry in
                documents[entry.id].map { Posting(term: term, document: $0, occurrence: entry.occurrence) }
            } ?? []
        }
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
    private func ask<Answer: Sendable>(terms: [String], message: @escaping @Sendable ([String]) -> SearchMessage,
                                       decode: @escaping @Sendable ([UInt8]) throws -> [String: Answer]) async -> [String: Answer?] {
        var holders: [String: [NodeURL]] = [:]
        for term in Set(terms) { holders[term] = await network.replicaSet(of: .term(term)) }
        var pending = Set(terms)
        var answers: [String: Answer?] = [:]
        let rounds = holders.values.map(\.count).max() ?? 0
        let network = network
        for rank in 0..<rounds where !pending.isEmpty {
            let groups = QueryPlan.requestsByOwner(terms: pending.filter { holders[$0]!.count > rank }.sorted()) { holders[$0]![rank] }
            let results = await withTaskGroup(of: (NodeURL, [String], [String: Answer]?, Int).self) { group in
                for (node, group_terms) in groups {
                    let payload = message(group_terms).bytes
                    group.addTask {
                        do {
                            let reply = try await network.send(to: node, app: FederationSettings.applicationName, payload: payload)
                            return (node, group_terms, try decode(reply), payload.count + reply.count)
                        } catch {
                            return (node, group_terms, nil, payload.count)
                        }
                    }
                }
                var out: [(NodeURL, [String], [String: Answer]?, Int)] = []
                for await result in group { out.append(result) }
                return out
            }
            for (node, asked, reply, bytes) in results {
                state.withLock {
                    $0.traffic.requests += 1
                    $0.traffic.bytesMoved += bytes
                    $0.asked.insert(node)
                    $0.traffic.nodesAsked = $0.asked.count
                }
                guard let reply else { continue }
                for term in asked {
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
