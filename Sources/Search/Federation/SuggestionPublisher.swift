import Foundation
import MeshCore
import MeshStore
import Overlay

/// Publishes one site's suggestion words to their prefix holders: the site's words starting
/// with one 3-character prefix form one overlay item (key `RingKey.prefix(p)`, name
/// `"site:" + site URL`, value word → number of the site's courses using it). Changed items are
/// grouped by holder (each prefix's replica set) and sent in one `publish_suggestions` request
/// per holder; unchanged prefixes (same digest as in the ledger, acknowledged by all holders)
/// send nothing; prefixes the site no longer has are retracted with a tombstone. An actor;
/// publishes run one at a time, in call order.
public actor SuggestionPublisher {
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

    /// Publishes the site's complete current word counts (`SuggestionTable.wordCounts`); in the
    /// report, "terms" are prefixes. Words that are not folded, shorter than 3 characters or
    /// longer than `SuggestionSettings.maxWordBytes` are left out, and past
    /// `maxWordsPerPrefix` words under one prefix only the most used are kept. Versions are at least `versionFloor`. Throws only when the
    /// ledger cannot be read or written; unreachable holders are reported and retried next time.
    public func publish(_ counts: [String: Int], versionFloor: UInt64 = 0) async throws -> PublishReport {
        try await sequence.run { try await self.run(counts, versionFloor: versionFloor) }
    }

    /// The ledger as last saved, prefix → entry (for tests and diagnostics).
    public func publishedPrefixes() async throws -> [String: PublishedEntry] {
        try await sequence.load()
    }

    private func run(_ counts: [String: Int], versionFloor: UInt64) async throws -> PublishReport {
        var ledgerEntries = try await publishedPrefixes()
        var byPrefix: [String: [String: Int]] = [:]
        for (word, count) in counts where count > 0 && word.utf8.count <= SuggestionSettings.maxWordBytes {
            guard TextFolding.fold(word) == word, let key = SuggestionSettings.keyPrefix(of: word) else { continue }
            byPrefix[key, default: [:]][word] = count
        }
        for (key, words) in byPrefix where words.count > SuggestionSettings.maxWordsPerPrefix {
            byPrefix[key] = Dictionary(uniqueKeysWithValues: SuggestionHolder.rank(words, limit: SuggestionSettings.maxWordsPerPrefix)
                .map { ($0.term, $0.count) })
        }
        var outgoing: [(prefix: PublishedPrefix, entry: PublishedEntry)] = []
        var report = PublishReport()
        for (prefix, words) in byPrefix {
            let digest = SuggestionCoding.digest(words)
            let old = ledgerEntries[prefix]
            if let old, old.digest == digest {
                if !old.complete { outgoing.append((PublishedPrefix(prefix: prefix, version: old.version, counts: words), old)) }
                continue
            }
            let entry = PublishedEntry(version: max((old?.version ?? 0) + 1, versionFloor), digest: digest, complete: false)
            outgoing.append((PublishedPrefix(prefix: prefix, version: entry.version, counts: words), entry))
            report.termsChanged += 1
        }
        for (prefix, old) in ledgerEntries where byPrefix[prefix] == nil {
            if old.digest == 0 {
                if !old.complete { outgoing.append((PublishedPrefix(prefix: prefix, version: old.version, counts: [:]), old)) }
                continue
            }
            let entry = PublishedEntry(version: max(old.version + 1, versionFloor), digest: 0, complete: false)
            outgoing.append((PublishedPrefix(prefix: prefix, version: entry.version, counts: [:]), entry))
            report.termsRetracted += 1
        }
        guard !outgoing.isEmpty else { return report }

        var prefixesByHolder: [NodeURL: [PublishedPrefix]] = [:]
        let holdersOfPrefix = await network.replicaSets(of: outgoing.map { .prefix($0.prefix.prefix) })
        for (item, holders) in zip(outgoing, holdersOfPrefix) {
            for holder in holders { prefixesByHolder[holder, default: []].append(item.prefix) }
        }
        report.holdersTouched = prefixesByHolder.count
        let from = network.url.string
        let siteURL = site.url
        let maxBytes = settings.maxPublishBytes
        let requests = prefixesByHolder.map { holder, prefixes in
            (holder, Self.payloads(prefixes.sorted { $0.prefix < $1.prefix }, from: from, site: siteURL, maxBytes: maxBytes))
        }
        let deliveries = await HolderDelivery.send(requests, over: network)
        report.record(deliveries)
        let acknowledged = Set(deliveries.filter { $0.failure == nil }.map(\.holder))
        for (i, item) in outgoing.enumerated() {
            var entry = item.entry
            entry.complete = !holdersOfPrefix[i].isEmpty && holdersOfPrefix[i].allSatisfy(acknowledged.contains)
            ledgerEntries[item.prefix.prefix] = entry
        }
        try await sequence.save(ledgerEntries)
        return report
    }

    /// One payload for a holder, halved until each part is under `maxBytes`.
    static func payloads(_ prefixes: [PublishedPrefix], from: String, site: String, maxBytes: Int) -> [[UInt8]] {
        let payload = SearchMessage.publishSuggestions(from: from, site: site, prefixes: prefixes).bytes
        guard payload.count > maxBytes, prefixes.count > 1 else { return [payload] }
        let half = prefixes.count / 2
        return payloads(Array(prefixes[..<half]), from: from, site: site, maxBytes: maxBytes)
            + payloads(Array(prefixes[half...]), from: from, site: site, maxBytes: maxBytes)
    }
}


/// Asks a prefix's holders for suggestions.
public enum SuggestionQuery {
    /// Up to `limit` (capped at `SuggestionSettings.maxLimit`) words starting with the folded
    /// `prefix`, over every site: the owner of `RingKey.prefix` is asked first, then each replica
    /// in turn when one fails (timeout, unreachable, refusal; each bounded by the network's
    /// request timeout). Nil when the prefix folds to fewer than 3 characters or no holder answered.
    public static func suggestions(prefix: String, limit: Int, over network: any SearchNetwork) async -> [SuggestedTerm]? {
        let folded = TextFolding.fold(prefix)
        guard let key = SuggestionSettings.keyPrefix(of: folded) else { return nil }
        let payload = SearchMessage.suggest(prefix: folded, limit: min(max(limit, 1), SuggestionSettings.maxLimit)).bytes
        for holder in await network.replicaSet(of: .prefix(key)) {
            guard let reply = try? await network.send(to: holder, app: FederationSettings.applicationName, payload: payload),
                  let decoded = try? SearchCoding.decode(SuggestReply.self, reply) else { continue }
            return decoded.suggestions
        }
        return nil
    }
}
