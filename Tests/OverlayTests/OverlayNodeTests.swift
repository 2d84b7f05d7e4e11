import MeshCore
import Testing
@testable import Overlay

/// The overlay node over `MemoryNetwork`: join, routing, items, with several real nodes.
@Suite struct OverlayNodeTests {
    @Test func joiningEightNodesGivesEveryoneTheFullTableWithinThreePeriods() async throws {
        let c = try await OverlayTestCluster.ring(8, settle: 3)
        #expect(await c.memberCounts() == Array(repeating: 8, count: 8))
        var digests: Set<String> = []
        for n in c.nodes { digests.insert(await n.status().tableDigest) }
        #expect(digests.count == 1)
        #expect(await c.nodes[3].status().state == .member)
    }

    @Test func aMemberListLargerThanOnePageIsTransferredInPages() async throws {
        var config = OverlayConfiguration()
        config.membersPageSize = 2
        let c = try await OverlayTestCluster.ring(7, configuration: config)
        #expect(await c.nodes[6].memberCount == 7)
        #expect(c.network.counts.byEndpoint["/overlay/v1/members"]! >= 4)
    }

    @Test func aJoinUnderAURLThatAnswersAsAnotherNodeIsRefused() async throws {
        var c = try await OverlayTestCluster.ring(3)
        // The spoofer claims campus7's URL, but campus7's URL is served by a node of another id.
        let victim = OverlayTestCluster.url(7)
        let impostor = OverlayNode(url: victim, site: nil, incarnation: 5, transport: c.network.transport(for: victim),
                                   clock: c.clock, store: MemoryKeyValueStore())
        let realOwner = c.makeNode(8)
        await realOwner.startAlone()
        // Requests to campus7's URL reach a node that answers as campus8.
        c.network.register(realOwner, at: victim)
        await #expect(throws: OverlayError.self) { try await impostor.join(via: OverlayTestCluster.url(0)) }
        #expect(await c.nodes[0].memberCount == 3)
        #expect(await impostor.status().state == .idle)
    }

    @Test func routeReachesTheOwnersApplicationInOneRequest() async throws {
        let c = try await OverlayTestCluster.ring(6)
        for (i, n) in c.nodes.enumerated() { await n.register(app: "echo", EchoApplication(name: "n\(i)")) }
        let key = RingKey.term("physics")
        let owner = await c.nodes[0].replicaSet(of: key)[0]
        let ownerIndex = c.nodes.firstIndex { $0.url == owner }!
        let asker = c.nodes.first { $0.url != owner }!
        c.network.resetCounts()
        let reply = try await asker.route(key: key, app: "echo", payload: Array("hi".utf8))
        #expect(String(decoding: reply, as: UTF8.self) == "n\(ownerIndex):\(key.hex.prefix(8)):hi")
        #expect(c.network.counts.maintenance == 1)
    }

    @Test func routeToAnUnknownApplicationIsRejected() async throws {
        let c = try await OverlayTestCluster.ring(4)
        await #expect(throws: TransportError.self) {
            _ = try await c.nodes[1].route(key: .stats, app: "nothing", payload: [])
        }
        do { _ = try await c.nodes[1].send(to: c.nodes[2].url, app: "nothing", payload: []) } catch {
            #expect(error == .rejected(status: 404, code: "unknown_application", message: OverlayError.unknownApplication("nothing").message))
        }
    }

    @Test func aStaleTableStillRoutesToTheOwnerAndLearnsMembers() async throws {
        let c = try await OverlayTestCluster.ring(6)
        for (i, n) in c.nodes.enumerated() { await n.register(app: "echo", EchoApplication(name: "n\(i)")) }
        // A seventh node that knows only campus0 (no member pages, no events yet).
        var cc = c
        let lonely = cc.makeNode(9)
        await lonely.forceView([MemberState(url: OverlayTestCluster.url(0), version: 1, alive: true)])
        var key = RingKey.term("chemistry")
        var i = 0
        while await lonely.replicaSet(of: key)[0] == lonely.url { i += 1; key = .term("chemistry\(i)") }
        let owner = await c.nodes[0].replicaSet(of: key)[0]
        let reply = try await lonely.route(key: key, app: "echo", payload: [])
        let ownerIndex = c.nodes.firstIndex { $0.url == owner }!
        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("n\(ownerIndex):"))
        #expect(await lonely.memberCount > 2)
    }

    @Test func putStoresOnThreeHoldersAndGetSurvivesTheOwnersDeath() async throws {
        let c = try await OverlayTestCluster.ring(6)
        let key = RingKey.term("biology")
        try await c.nodes[2].put([StoredItem(key: key, name: "site-a", version: 1, value: Array("A".utf8))])
        #expect(c.holders(of: key) == 3)
        let owner = await c.nodes[2].replicaSet(of: key)[0]
        c.network.kill(owner)
        let asker = c.liveNodes.first!
        let items = try await asker.get(key: key)
        #expect(items.map(\.name) == ["site-a"])
        #expect(items.first?.value.bytes == Array("A".utf8))
    }

    @Test func aJoinerTakesOverItsRangeFromItsSuccessor() async throws {
        var c = try await OverlayTestCluster.ring(5)
        var items: [StoredItem] = []
        for i in 0..<200 { items.append(StoredItem(key: .term("t\(i)"), name: "s", version: 1, value: [UInt8(i & 0xff)])) }
        try await c.nodes[0].put(items)
        let joiner = c.makeNode(5)
        try await joiner.join(via: OverlayTestCluster.url(1))
        let held = await joiner.heldRangeForTesting()
        let expected = items.filter { held.contains($0.key) }.count
        #expect(expected > 0)
        #expect(joiner.store.count == expected)
    }

    @Test func probeReturnsTheIdentityAndSiteOfTheAnsweringNode() async throws {
        let c = try await OverlayTestCluster.ring(2)
        let reply = await c.nodes[0].probe(c.nodes[1].url)
        #expect(reply?.id == c.nodes[1].url.id)
        #expect(reply?.site == "https://moodle1.example.edu")
        c.network.kill(c.nodes[1].url)
        #expect(await c.nodes[0].probe(c.nodes[1].url) == nil)
    }

    @Test func childrenTowardAKeyAreTheMembersWhoseParentIsThisNode() async throws {
        let c = try await OverlayTestCluster.ring(10)
        let key = RingKey.stats
        for n in c.nodes {
            let kids = await n.children(toward: key)
            for k in kids {
                let child = c.nodes.first { $0.url == k }!
                #expect(await child.parent(toward: key) == n.url)
            }
        }
        var parents = 0
        for n in c.nodes where await n.parent(toward: key) != nil { parents += 1 }
        var childTotal = 0
        for n in c.nodes { childTotal += await n.children(toward: key).count }
        #expect(childTotal == parents)
    }
}
