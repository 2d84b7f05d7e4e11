import MeshCore
import Overlay
import Testing
@testable import Search

/// Search over real `OverlayNode`s on the overlay's in-memory network: the node is the
/// `SearchNetwork`, its pings carry the site used for origin binding.
@Suite struct OverlayNodeSearchTests {
    static func url(_ i: Int) -> NodeURL { try! NodeURL("https://campus\(i).example.edu/mesh") }
    static func site(_ i: Int) -> SiteInfo {
        SiteInfo(url: "https://moodle\(i).example.edu", name: "Moodle \(i)", country: "ES", language: "en")
    }

    struct Ring {
        let network = MemoryNetwork(seed: 3)
        let clock = ManualClock()
        var nodes: [OverlayNode] = []
    }

    static func ring(_ count: Int) async throws -> Ring {
        var ring = Ring()
        for i in 0..<count {
            let node = OverlayNode(url: url(i), site: site(i).url, incarnation: 1, transport: ring.network.transport(for: url(i)),
                                   clock: ring.clock, store: MemoryKeyValueStore())
            ring.network.register(node)
            await node.register(app: FederationSettings.applicationName, SearchOwner(network: node))
            if i == 0 { await node.startAlone() } else { try await node.join(via: url(0)) }
            ring.nodes.append(node)
        }
        for _ in 0..<6 {
            for node in ring.nodes { await node.tick() }
            ring.clock.advance(by: .seconds(1))
        }
        return ring
    }

    @Test func coursesPublishedFromOneNodeAreFoundFromAnother() async throws {
        let ring = try await Self.ring(6)
        let site = Self.site(0)
        let docs = [course(1, site: site, title: "Marine biology", summary: "Oceans and reefs"),
                    course(2, site: site, title: "Biology of cells", summary: "Membranes")]
        let report = try await SearchPublisher(site: site, network: ring.nodes[0], ledger: MemoryPublicationLedger())
            .publish(docs.flatMap { DocumentIndexer.postings(for: $0, site: site) })
        #expect(report.failedHolders.isEmpty && report.requests == report.holdersTouched)
        let source = OverlayPostingSource(network: ring.nodes[4]) {
            CollectionStatistics(documentCount: 2, averageFieldLengths: [2, 0, 1, 2, 0])
        }
        let response = try await SearchEngine(source: source).search(SearchRequest(query: "biology"))
        #expect(response.hits.map(\.title).sorted() == ["Biology of cells", "Marine biology"])
        #expect(source.traffic.nodesAsked >= 1)
    }

    @Test func aNodePublishingAnotherSitesCoursesIsRefusedByItsPing() async throws {
        let ring = try await Self.ring(4)
        let other = Self.site(2)
        let docs = [course(1, site: other, title: "Forged course")]
        let report = try await SearchPublisher(site: other, network: ring.nodes[1], ledger: MemoryPublicationLedger())
            .publish(docs.flatMap { DocumentIndexer.postings(for: $0, site: other) })
        #expect(report.holdersTouched > 0 && report.failedHolders.count == report.holdersTouched)
        for node in ring.nodes { #expect(node.store.count == 0) }
    }
}
