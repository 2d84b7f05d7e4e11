import MeshCore
import Overlay

/// What one publish did.
public struct PublishReport: Hashable, Sendable {
    /// Terms whose item got a new version (changed or new postings).
    public var termsChanged = 0
    /// Terms whose item became a tombstone (the site has no posting left for them).
    public var termsRetracted = 0
    /// Distinct holder nodes the changed items go to (the owners touched, with their replicas).
    public var holdersTouched = 0
    /// Requests sent (one per holder unless a holder's batch passed `maxPublishBytes`).
    public var requests = 0
    /// Payload bytes sent.
    public var bytesSent = 0
    /// Why each holder that did not acknowledge failed (timeout, unreachable, its refusal).
    public var failures: [NodeURL: String] = [:]
    /// Holders that did not acknowledge, sorted; their items are sent again on the next publish.
    public var failedHolders: [NodeURL] { failures.keys.sorted { $0.string < $1.string } }
}

/// Publishes one site's postings to their term holders: the site's postings for one term form
/// one overlay item (key `RingKey.term(t)`, name `"site:" + site URL`); changed items are
/// grouped by holder (each term's replica set) and sent in one request per holder. Unchanged
/// terms (same digest as in the ledger, acknowledged by all holders) send nothing; terms the
/// site no longer has are retracted with a tombstone. An actor; publishes run one at a time.
public actor SearchPublisher {
    public nonisolated let site: SiteInfo
    private let network: any SearchNetwork
    private let sequence: PublicationSequence
    private let settings: FederationSettings

    public init(site: SiteInfo, network: any SearchNetwork, ledger: any PublicationLedger,
                settings: FederationSettings = .init()) {
        self.site = site
        self.network = network
        self.sequence = PublicationSequence(ledger: ledger)
        self.settings = settings
    }

    /// Publishes the site's complete current set of postings (those of other sites are ignored).
    /// New versions are at least `versionFloor` (pass the current time in milliseconds so a node
    /// whose ledger was lost still supersedes what it published before). Throws only when the
    /// ledger cannot be read or written; unreachable holders are reported, not thrown.
    public func publish(_ postings: [Posting], versionFloor: UInt64 = 0) async throws -> PublishReport {
        try await sequence.run { try await self.run(postings, versionFloor: versionFloor) }
    }

    /// The ledger as last saved (for tests and the node page).
    public func publishedTerms() async throws -> [String: PublishedEntry] {
        try await sequence.load()
    }

    private func run(_ postings: [Posting], versionFloor: UInt64) async throws -> PublishReport {
        var ledgerEntries = try await publishedTerms()
        let mine = postings.filter { $0.document.siteURL == site.url }
        var byTerm: [String: [Posting]] = [:]
        var documentDigests: [String: UInt64] = [:]
        for posting in mine {
            byTerm[posting.term, default: []].append(posting)
            if documentDigests[posting.document.id] == nil {
                documentDigests[posting.document.id] = PostingDigest.document(posting.document)
            }
        }
        // Decide what to send: a term is sent when its digest changed, or its last send was not
        // acknowledged by every holder.
        var outgoing: [(term: String, postings: [Posting], entry: PublishedEntry)] = []
        var report = PublishReport()
        for (term, list) in byTerm {
            let digest = PostingDigest.list(list.map {
                PostingDigest.posting(documentDigest: documentDigests[$0.document.id]!, occurrence: $0.occurrence)
            })
            let old = ledgerEntries[term]
            if let old, old.digest == digest {
                if !old.complete { outgoing.append((term, list, old)) }
                continue
            }
            outgoing.append((term, list, PublishedEntry(version: max((old?.version ?? 0) + 1, versionFloor), digest: digest, complete: false)))
            report.termsChanged += 1
        }
        for (term, old) in ledgerEntries where byTerm[term] == nil {
            if old.digest == 0 {
                if !old.complete { outgoing.append((term, [], old)) }
                continue
            }
            outgoing.append((term, [], PublishedEntry(version: max(old.version + 1, versionFloor), digest: 0, complete: false)))
            report.termsRetracted += 1
        }
        guard !outgoing.isEmpty else { return report }

        // Group by holder: each term goes to every node of its replica set.
        var termsByHolder: [NodeURL: [Int]] = [:]
        let holdersOfTerm = await network.replicaSets(of: outgoing.map { .term($0.term) })
        for (i, holders) in holdersOfTerm.enumerated() {
            for holder in holders { termsByHolder[holder, default: []].append(i) }
        }
        report.holdersTouched = termsByHolder.count
        let requests = termsByHolder.map { holder, indices in
            (holder, Self.requests(for: indices.map { outgoing[$0] }, from: network.url.string, site: site.url,
                                   maxBytes: settings.maxPublishBytes))
        }
        let deliveries = await HolderDelivery.send(requests, over: network)
        report.record(deliveries)
        let acknowledged = Set(deliveries.filter { $0.failure == nil }.map(\.holder))
        for (i, item) in outgoing.enumerated() {
            var entry = item.entry
            entry.complete = !holdersOfTerm[i].isEmpty && holdersOfTerm[i].allSatisfy(acknowledged.contains)
            ledgerEntries[item.term] = entry
        }
        try await sequence.save(ledgerEntries)
        return report
    }

    /// The publish payloads for one holder: one, unless it would pass `maxBytes`, then the terms
    /// are halved until each part fits (a single oversized term still goes alone).
    static func requests(for items: [(term: String, postings: [Posting], entry: PublishedEntry)],
                         from: String, site: String, maxBytes: Int) -> [[UInt8]] {
        var documents: [DocumentInfo] = []
        var index: [String: Int] = [:]
        var terms: [PublishedTerm] = []
        for item in items.sorted(by: { $0.term < $1.term }) {
            let entries = item.postings.sorted { $0.document.id < $1.document.id }.map { posting -> PostingBatch.Entry in
                let i: Int
                if let known = index[posting.document.id] { i = known } else {
                    i = documents.count
                    index[posting.document.id] = i
                    documents.append(posting.document)
                }
                return PostingBatch.Entry(doc: i, occurrence: posting.occurrence)
            }
            terms.append(PublishedTerm(term: item.term, version: item.entry.version, entries: entries))
        }
        let payload = SearchMessage.publish(from: from, site: site, documents: documents, terms: terms).bytes
        guard payload.count > maxBytes, items.count > 1 else { return [payload] }
        let half = items.count / 2
        return requests(for: Array(items[..<half]), from: from, site: site, maxBytes: maxBytes)
            + requests(for: Array(items[half...]), from: from, site: site, maxBytes: maxBytes)
    }
}
