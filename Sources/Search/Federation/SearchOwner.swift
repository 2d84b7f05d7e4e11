import MeshCore
import Overlay

/// The holder side of the distributed index, registered as overlay application "search".
///
/// Publishing: accepts a site's items only from the node serving that site (origin binding:
/// the publisher's `/overlay/v1/ping` must name a site with the same host as the items' site,
/// and every course URL must be on that host), refuses blocked sites and sites past their
/// quota, and stores accepted items through `storeLocal`, so the overlay's replication and
/// anti-entropy carry them; the reply is sent only after the store made them durable.
/// Querying: document frequencies, whole or candidate-restricted postings, and occurrences in
/// candidate documents, from the items held (`HeldLists`). Binary query messages whose lists
/// are built are answered by `receiveImmediately`, on the server's I/O thread; the rest, and
/// publishing, by `receive`. An actor for the publishing state (origins, quota counts); the
/// lists and the block list are behind their own lock, and store reads never block.
///
/// Origin binding trusts that the node at the `from` URL is the sender; a node that lies about
/// `from` can only publish for the site that URL's node serves.
public actor SearchOwner: OverlayApplication {
    private let network: any SearchNetwork
    private let settings: FederationSettings
    private var originCache: [String: String] = [:]
    private nonisolated let held: HeldLists
    private var itemCounts: [ItemID: (version: UInt64, count: Int)] = [:]
    private var siteCounts: [String: Int] = [:]
    private var counted = false

    /// `blockedSites` are site URLs or hosts whose postings are refused and never answered.
    public init(network: any SearchNetwork, settings: FederationSettings = .init(), blockedSites: [String] = []) {
        self.network = network
        self.settings = settings
        self.held = HeldLists(store: network.store,
                              blockedHosts: Set(blockedSites.map { CourseDocumentValidation.host(of: $0) ?? $0.lowercased() }))
    }

    /// Adds a site (URL or host) to the block list: its postings are refused from now on and
    /// left out of answers.
    public func block(site: String) {
        held.block(host: CourseDocumentValidation.host(of: site) ?? site.lowercased())
    }

    public func receive(_ payload: [UInt8], key: RingKey?) async throws -> [UInt8] {
        let message = try SearchMessage.decode(payload)
        switch message {
        case let .publish(from, site, documents, terms):
            return SearchCoding.encode(PublishReply(stored: try await accept(from: from, site: site, documents: documents, terms: terms)))
        case .frequencies, .lookup, .postings, .occurrences:
            return answer(query: message, building: true)!
        case let .publishSuggestions(from, site, prefixes):
            let items = try SuggestionHolder.items(site: site, prefixes: prefixes)
            guard let siteHost = CourseDocumentValidation.host(of: site) else {
                throw SearchError.originMismatch("the site \(site) is not an http(s) URL")
            }
            guard !held.blockedHosts.contains(siteHost) else { throw SearchError.siteBlocked(site) }
            guard CourseDocumentValidation.host(of: try await origin(of: from)) == siteHost else {
                throw SearchError.originMismatch("the publishing node \(from) does not serve \(site)")
            }
            return SearchCoding.encode(PublishReply(stored: try await network.storeLocal(items).count))
        case let .suggest(prefix, limit):
            return SearchCoding.encode(try SuggestionHolder.answer(prefix: prefix, limit: limit, store: network.store,
                                                                   blockedHosts: held.blockedHosts))
        }
    }

    /// A binary query message (frequencies, lookup, postings, occurrences) answered at once
    /// from the lists already built, on the caller's thread; nil for any other message or when
    /// a list it needs is not built for the items held now (`receive` then builds it).
    public nonisolated func receiveImmediately(_ payload: [UInt8], key: RingKey?) throws -> [UInt8]? {
        guard PostingWireFormat.isBinaryQuery(payload) else { return nil }
        return answer(query: try SearchMessage.decode(payload), building: false)
    }

    /// The reply to a query message. With `building` false only lists already built are read,
    /// and nil means one was not; with `building` true the reply is never nil.
    private nonisolated func answer(query message: SearchMessage, building: Bool) -> [UInt8]? {
        let held = held
        func list(_ term: String) -> [Posting]? { building ? held.list(of: term) : held.cachedList(of: term) }
        func encoded(_ term: String) -> [UInt8]? { building ? held.encodedList(of: term) : held.cachedEncodedList(of: term) }
        switch message {
        case let .frequencies(terms):
            var frequencies: [String: Int] = [:]
            for term in terms {
                guard let list = list(term) else { return nil }
                frequencies[term] = list.count
            }
            return SearchCoding.encode(FrequenciesReply(frequencies: frequencies))
        case let .lookup(terms, inlineLimit):
            var frequencies: [String: Int] = [:]
            var inline: [[UInt8]] = []
            for term in Set(terms).sorted() {
                guard let count = list(term)?.count else { return nil }
                frequencies[term] = count
                if count > 0 && count <= inlineLimit {
                    guard let batch = encoded(term) else { return nil }
                    inline.append(batch)
                }
            }
            return PostingWireFormat.lookupReply(frequencies: frequencies, inline: inline)
        case let .postings(terms, nil):
            var batches: [[UInt8]] = []
            for term in Set(terms).sorted() {
                guard let batch = encoded(term) else { return nil }
                batches.append(batch)
            }
            return PostingWireFormat.batches(batches)
        case let .postings(terms, filter?):
            var out: [Posting] = []
            for term in Set(terms).sorted() {
                guard let list = list(term) else { return nil }
                out += list.filter { filter.contains($0.document.id) }
            }
            return PostingWireFormat.encode(out)
        case let .occurrences(terms, filter):
            var answers: [String: TermOccurrences] = [:]
            for term in Set(terms) {
                guard let list = list(term) else { return nil }
                answers[term] = TermOccurrences(frequency: list.count, entries: list.compactMap {
                    filter.contains($0.document.id) ? ($0.document.id, $0.occurrence) : nil
                })
            }
            return PostingWireFormat.occurrencesReply(answers)
        case .publish, .publishSuggestions, .suggest:
            return nil
        }
    }

    private func accept(from: String, site: String, documents: [DocumentInfo], terms: [PublishedTerm]) async throws -> Int {
        guard let siteHost = CourseDocumentValidation.host(of: site) else {
            throw SearchError.originMismatch("the site \(site) is not an http(s) URL")
        }
        guard !held.blockedHosts.contains(siteHost) else { throw SearchError.siteBlocked(site) }
        let servedSite = try await origin(of: from)
        guard CourseDocumentValidation.host(of: servedSite) == siteHost else {
            throw SearchError.originMismatch("the publishing node serves \(servedSite), not \(site)")
        }
        for doc in documents where CourseDocumentValidation.host(of: doc.url) != siteHost
            || CourseDocumentValidation.host(of: doc.siteURL) != siteHost {
            throw SearchError.originMismatch("the course \(doc.url) is not on \(siteHost)")
        }
        let name = postingItemName(site: site)
        var items: [StoredItem] = []
        var counts: [Int] = []
        // Each document is encoded once per request; a term's item copies the bytes of its documents.
        let encodedDocuments = documents.map(PostingWireFormat.encodeDocument)
        for published in terms {
            guard published.entries.allSatisfy({ documents.indices.contains($0.doc) }) else {
                throw SearchError.malformedMessage("an entry of term \(published.term) points outside the documents")
            }
            let value = published.entries.isEmpty ? []
                : PostingWireFormat.item(term: published.term, entries: published.entries, encodedDocuments: encodedDocuments)
            items.append(StoredItem(key: .term(published.term), name: name, version: published.version, value: value))
            counts.append(published.entries.count)
        }
        countIfNeeded()
        var projected = siteCounts[siteHost] ?? 0
        for (item, count) in zip(items, counts) {
            guard let held = itemCounts[item.id] else { projected += count; continue }
            if held.version < item.version { projected += count - held.count }
        }
        guard projected <= settings.perSiteQuota else { throw SearchError.quotaExceeded(site, settings.perSiteQuota) }
        let stored = try await network.storeLocal(items)
        // The postings just accepted are the decoded form of the items stored: cache them, so
        // the first query of a term never decodes what was published here.
        let byID = Dictionary(zip(items.map(\.id), terms), uniquingKeysWith: { a, _ in a })
        held.remember(stored.compactMap { item in
            byID[item.id].map { published in
                (item.id, item.version, published.entries.map {
                    Posting(term: published.term, document: documents[$0.doc], occurrence: $0.occurrence)
                }.sorted { $0.document.id < $1.document.id })
            }
        })
        // Count what was stored, against the counts as they are now (another request may have
        // been accepted while the store wrote).
        let countOf = Dictionary(zip(items.map(\.id), counts), uniquingKeysWith: { a, _ in a })
        for item in stored {
            let count = countOf[item.id] ?? 0
            let old = itemCounts[item.id]
            guard (old?.version ?? 0) < item.version else { continue }
            itemCounts[item.id] = (item.version, count)
            siteCounts[siteHost, default: 0] += count - (old?.count ?? 0)
        }
        return stored.count
    }

    /// Counts postings held per site host once, from the whole store (first publish after
    /// start); afterwards the counts follow the items this owner accepts. Items that arrive by
    /// replication or anti-entropy are counted from the next start on: the quota bounds what a
    /// site publishes here, and a full scan per request would cost more than the request.
    private func countIfNeeded() {
        guard !counted else { return }
        counted = true
        for item in network.store.items(in: KeyRange(after: .zero, upTo: .zero), after: nil, limit: Int.max)
        where item.name.hasPrefix("site:") {
            let count = item.isTombstone ? 0 : PostingWireFormat.postingCount(item.value.bytes)
            itemCounts[item.id] = (item.version, count)
            siteCounts[Self.host(ofItemNamed: item.name), default: 0] += count
        }
    }

    private static func host(ofItemNamed name: String) -> String {
        let site = String(name.dropFirst(5))
        return CourseDocumentValidation.host(of: site) ?? site
    }

    /// The site the node at `from` serves, from its ping (cached once learned).
    private func origin(of from: String) async throws -> String {
        if let known = originCache[from] { return known }
        guard let url = try? NodeURL(from) else { throw SearchError.originMismatch("\(from) is not a node URL") }
        guard let reply = await network.probe(url), let site = reply.site else {
            throw SearchError.originMismatch("the publishing node \(from) did not answer a ping with its site")
        }
        originCache[from] = site
        return site
    }
}
