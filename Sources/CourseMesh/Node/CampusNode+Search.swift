import MeshCore
import Overlay
import Rollup
import Search
import Web

/// A campus node's part in the distributed index, once it is in an overlay: the publisher of
/// its own site's postings and the network queries go over.
final class FederatedSearch: Sendable {
    let network: any SearchNetwork
    let publisher: SearchPublisher
    /// The publisher of this site's suggestion words (CampusNode+Suggest.swift).
    let suggestionPublisher: SuggestionPublisher?

    init(network: any SearchNetwork, publisher: SearchPublisher, suggestionPublisher: SuggestionPublisher? = nil) {
        self.network = network
        self.publisher = publisher
        self.suggestionPublisher = suggestionPublisher
    }
}

extension CampusNode {
    /// Joins this node's search to `overlay`: registers the term-holder application "search"
    /// (origin binding, quota, block list from `settings`/`blockedSites`), and with `publish`
    /// publishes this site's postings to their holders now (pass false when the node has not
    /// joined yet, and call `publishOwnCourses()` once it has). From then on pushes and
    /// deletions publish what changed and queries go to the term holders. Call once.
    public func attachSearch(overlay: OverlayNode, settings: FederationSettings = .init(), blockedSites: [String] = [],
                             publish: Bool = true) async {
        await overlay.register(app: FederationSettings.applicationName,
                               SearchOwner(network: overlay, settings: settings, blockedSites: blockedSites))
        federation = FederatedSearch(network: overlay, publisher: SearchPublisher(
            site: site, network: overlay, ledger: NodeMetaPublicationLedger(meta: store.meta), settings: settings),
            suggestionPublisher: SuggestionPublisher(site: site, network: overlay, ledger: NodeMetaPublicationLedger(meta: store.meta, key: NodeMetaPublicationLedger.suggestionsMetaKey),
                                                     settings: settings))
        if publish { await publishOwnCourses() }
    }

    /// Publishes what changed in this site's postings since the last publish (nothing when
    /// nothing changed; items a holder did not acknowledge are sent again). Returns nil when
    /// the node is not in an overlay or the publish ledger could not be read or written
    /// (counted in `coursemesh_publish_errors_total`; the next publish retries).
    @discardableResult
    public func publishOwnCourses() async -> PublishReport? {
        guard let federation else { return nil }
        await publishSuggestionWords()
        do {
            let report = try await federation.publisher.publish(await index.allPostings(),
                                                                versionFloor: UInt64(max(0, clock.now().milliseconds)))
            metrics.increment("coursemesh_publish_requests_total", by: Double(report.requests))
            if !report.failedHolders.isEmpty { metrics.increment("coursemesh_publish_failed_holders_total", by: Double(report.failedHolders.count)) }
            return report
        } catch {
            metrics.increment("coursemesh_publish_errors_total")
            return nil
        }
    }

    /// Where a query gets its postings: the term holders when in an overlay (a fresh source per
    /// query, so its unanswered terms and traffic are the query's; the node's frequency cache
    /// is shared, and its own courses' frequencies are the planning estimates), else this
    /// node's own index.
    func searchSource() -> any PostingSource {
        guard let federation else { return index }
        let index = index
        return OverlayPostingSource(network: federation.network, cache: frequencies,
                                    estimates: { (try? await index.documentFrequencies(terms: $0)) ?? [:] }) { [weak self] in
            guard let self else { return CollectionStatistics(documentCount: 0, averageFieldLengths: []) }
            return await self.collectionStatistics()
        }
    }

    /// Nodes a query asked: the overlay source's count, 1 for the local index. Adds the query's
    /// bytes to `coursemesh_query_bytes_total` (requests and replies to term holders).
    func nodesAsked(by source: any PostingSource) -> Int {
        guard let overlay = source as? OverlayPostingSource else { return 1 }
        let traffic = overlay.traffic
        metrics.increment("coursemesh_query_bytes_total", by: Double(traffic.bytesMoved))
        return max(1, traffic.nodesAsked)
    }

    /// N and average field lengths for ranking: the rollup's global index totals once they
    /// arrived (exact, so the federation ranks like one index), and until then, explicitly,
    /// this site's own totals (`indexTotals()`'s fallback).
    func collectionStatistics() async -> CollectionStatistics {
        let totals = await indexTotals()
        let n = totals.documents
        let l = totals.fieldLengths
        let sums = [l.title, l.tags, l.category, l.summary, l.modules].map(Double.init)
        return CollectionStatistics(documentCount: n, averageFieldLengths: sums.map { n > 0 ? $0 / Double(n) : 0 })
    }
}
