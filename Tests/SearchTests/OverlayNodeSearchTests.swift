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

    @Test func builtListsAreAnsweredAtOnceAndEverythingElseThroughReceive() async throws {
        let ring = try await Self.ring(4)
        let site = Self.site(0)
        let docs = [course(1, site: site, title: "Marine biology"), course(2, site: site, title: "Biology of cells")]
        _ = try await SearchPublisher(site: site, network: ring.nodes[0], ledger: MemoryPublicationLedger())
            .publish(docs.flatMap { DocumentIndexer.postings(for: $0, site: site) })
        let ownerURL = try #require(await ring.nodes[0].replicaSet(of: .term("biolog")).first)
        let holder = try #require(ring.nodes.first { $0.url == ownerURL })
        // A fresh owner over the holder's store: its lists are not built yet.
        let owner = SearchOwner(network: holder)
        let lookup = SearchMessage.lookup(terms: ["biolog"], inlineLimit: 32).bytes
        #expect(try owner.receiveImmediately(lookup, key: nil) == nil)
        let built = try await owner.receive(lookup, key: nil)
        #expect(try owner.receiveImmediately(lookup, key: nil) == built)
        #expect(try PostingWireFormat.lookupReply(built)["biolog"]?.frequency == 2)
        #expect(try owner.receiveImmediately(SearchMessage.suggest(prefix: "bio", limit: 5).bytes, key: nil) == nil)
        // The node's registered owner builds the list on its first (async) deliver, then
        // answers the same deliver at once; other requests always go to `handle`.
        let deliver = OverlayRequest.deliver(DeliverRequest(app: FederationSettings.applicationName, payload: lookup))
        _ = try await holder.handle(deliver)
        guard case .payload(let reply)? = try holder.handleImmediately(deliver) else {
            Issue.record("a member with the list built did not answer at once")
            return
        }
        #expect(reply == built)
        #expect(try holder.handleImmediately(.ping(PingRequest(from: nil))) == nil)
    }

    @Test func aNodeThatIsNotAMemberAnswersNothingAtOnce() async throws {
        let node = OverlayNode(url: Self.url(9), site: nil, incarnation: 1, transport: MemoryNetwork(seed: 1).transport(for: Self.url(9)),
                               clock: ManualClock(), store: MemoryKeyValueStore())
        await node.register(app: FederationSettings.applicationName, SearchOwner(network: node))
        let deliver = OverlayRequest.deliver(DeliverRequest(app: FederationSettings.applicationName,
                                                            payload: SearchMessage.frequencies(terms: ["x"]).bytes))
        #expect(try node.handleImmediately(deliver) == nil)
        await #expect(throws: OverlayError.self) { _ = try await node.handle(deliver) }
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
