import CourseMesh
import Foundation
import MeshCore
import Overlay
import Search
import Testing

/// The fixture corpus on 16 sites of a 16-node in-memory ring: what publishing every site's
/// suggestion words costs, and how long a suggestion takes to answer. Prints `BENCH suggest`.
struct SuggestBenchmarks {
    @Test func sixteenSitesPublishTheirWordsAndAnyNodeSuggests() async throws {
        let sites = (0..<16).map { SiteInfo(url: "https://campus\($0).example.edu", name: "Campus \($0)", country: "US", language: "en") }
        let corpus = try FederatedSearchLiveTests.corpus(sites: sites.map {
            LocalFederationConfiguration.Site(url: $0.url, name: $0.name, country: $0.country, language: $0.language)
        })
        let network = MemoryNetwork(seed: 11)
        let clock = ManualClock()
        var nodes: [OverlayNode] = []
        for i in 0..<16 {
            let url = try NodeURL("https://node\(i).example.edu/mesh")
            let node = OverlayNode(url: url, site: sites[i].url, incarnation: 1, transport: network.transport(for: url),
                                   clock: clock, store: MemoryKeyValueStore())
            network.register(node)
            await node.register(app: FederationSettings.applicationName, SearchOwner(network: node))
            if i == 0 { await node.startAlone() } else { try await node.join(via: nodes[0].url) }
            nodes.append(node)
        }
        for _ in 0..<8 {
            for node in nodes { await node.tick() }
            clock.advance(by: .seconds(1))
        }
        var tables = Array(repeating: SuggestionTable(), count: 16)
        var all = SuggestionTable()
        for (doc, k) in corpus {
            let id = DocumentInfo.makeID(siteURL: sites[k].url, courseID: doc.courseID)
            tables[k].add(doc, id: id)
            all.add(doc, id: id)
        }
        var requests = 0, bytes = 0, prefixes = 0
        let started = ContinuousClock.now
        for k in 0..<16 {
            let report = try await SuggestionPublisher(site: sites[k], network: nodes[k], ledger: MemoryPublicationLedger())
                .publish(tables[k].wordCounts)
            #expect(report.failedHolders.isEmpty)
            requests += report.requests
            bytes += report.bytesSent
            prefixes += report.termsChanged
        }
        let publishTime = ContinuousClock.now - started

        // Every answer equals the single table over the whole corpus (same counts, same order).
        let words = all.wordCounts.keys.sorted()
        let asked = stride(from: 0, to: words.count, by: max(1, words.count / 300)).map { String(words[$0].prefix(4)) }
        let t0 = ContinuousClock.now
        for (i, prefix) in asked.enumerated() {
            let answer = await SuggestionQuery.suggestions(prefix: prefix, limit: 10, over: nodes[i % 16])?.map(\.term)
            #expect(answer == all.suggestions(prefix: prefix, limit: 10), "\(prefix)")
        }
        let perQuery = (ContinuousClock.now - t0) / asked.count
        print("BENCH suggest: \(corpus.count) courses on 16 sites, 16 nodes: publish \(requests) requests (\(requests / 16) per site), "
              + "\(bytes) bytes, \(prefixes) site-prefix items in \(publishTime); \(asked.count) suggestions equal to one table, mean \(perQuery) each")
    }
}
