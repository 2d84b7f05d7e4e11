import MeshCore
import Testing
@testable import Overlay

/// Maintenance scenarios at small N, driven tick by tick on a manual clock: every run is
/// deterministic, so the assertions are exact.
@Suite struct OverlayScenarioTests {
    static func items(_ n: Int) -> [StoredItem] {
        (0..<n).map { StoredItem(key: .term("course\($0)"), name: "site", version: 1, value: [UInt8($0 & 0xff)]) }
    }

    /// Holders per item among live nodes, and whether each is held by exactly its R true holders.
    static func placement(_ c: OverlayTestCluster, _ items: [StoredItem], replicas: Int = 3) -> (exact: Int, counts: [Int]) {
        let live = c.liveNodes
        var exact = 0
        var counts: [Int] = []
        for item in items {
            let holders = live.filter { !$0.store.items(at: item.key).isEmpty }.map(\.url.id)
            counts.append(holders.count)
            var truth: [RingKey] = []
            let ids = live.map(\.url.id)
            var i = ids.firstIndex { $0 >= item.key } ?? 0
            for _ in 0..<min(replicas, ids.count) { truth.append(ids[i]); i = (i + 1) % ids.count }
            if Set(holders) == Set(truth) { exact += 1 }
        }
        return (exact, counts)
    }

    @Test func joinStormConvergesTablesAndReplicaPlacement() async throws {
        var c = OverlayTestCluster(seed: 2)
        let first = c.makeNode(0)
        await first.startAlone()
        let data = Self.items(60)
        try await first.put(data)
        // Nine nodes join in the same period, each through the node that joined before it.
        for i in 1..<10 {
            let n = c.makeNode(i)
            try await n.join(via: OverlayTestCluster.url(i - 1))
        }
        await c.tick(4)
        #expect(await c.memberCounts() == Array(repeating: 10, count: 10))
        // Copies beyond the R holders go once each held range has been stable long enough.
        await c.tick(c.configuration.dropAfterStablePeriods + 2)
        let p = Self.placement(c, data)
        #expect(p.exact == 60)
        #expect(p.counts.allSatisfy { $0 == 3 })
    }

    @Test func twoAdjacentSimultaneousFailuresAreDetectedAndReplicasRestored() async throws {
        var config = OverlayConfiguration()
        config.suspectAfterMisses = 3
        let c = try await OverlayTestCluster.ring(10, configuration: config)
        let data = Self.items(80)
        try await c.nodes[0].put(data)
        await c.tick(2)
        #expect(Self.placement(c, data).exact == 80)
        let sorted = c.nodes.sorted { $0.url.id < $1.url.id }
        c.network.kill(sorted[4].url)
        c.network.kill(sorted[5].url)
        // Two missed pings are not yet a suspicion.
        await c.tick(2)
        #expect(await c.memberCounts().allSatisfy { $0 == 10 })
        // The third miss, a second opinion, then the tree carries the news.
        await c.tick(6)
        #expect(await c.memberCounts() == Array(repeating: 8, count: 8))
        let p = Self.placement(c, data)
        #expect(p.counts.allSatisfy { $0 == 3 })
        #expect(p.exact == 80)
    }

    @Test func gracefulLeaveHandsItemsOverAndEveryoneRemovesTheLeaver() async throws {
        let c = try await OverlayTestCluster.ring(8)
        let data = Self.items(50)
        try await c.nodes[1].put(data)
        await c.tick(2)
        let leaver = c.nodes[3]
        await leaver.leave()
        c.network.kill(leaver.url)
        #expect(await leaver.status().state == .left)
        await c.tick(4)
        #expect(await c.memberCounts() == Array(repeating: 7, count: 7))
        let p = Self.placement(c, data)
        #expect(p.exact == 50)
    }

    @Test func aPartitionSplitsTheTablesAndHealingReunitesThem() async throws {
        let c = try await OverlayTestCluster.ring(8)
        let sorted = c.nodes.sorted { $0.url.id < $1.url.id }
        let sideA = stride(from: 0, to: 8, by: 2).map { sorted[$0].url }
        let sideB = stride(from: 1, to: 8, by: 2).map { sorted[$0].url }
        c.network.partition([sideA, sideB])
        await c.tick(40)
        #expect(await c.memberCounts() == Array(repeating: 4, count: 8))
        c.network.heal()
        await c.tick(40)
        #expect(await c.memberCounts() == Array(repeating: 8, count: 8))
        var digests: Set<String> = []
        for n in c.nodes { digests.insert(await n.status().tableDigest) }
        #expect(digests.count == 1)
    }

    @Test func staleTablesFillUpWithinThreeLogNPeriods() async throws {
        var c = OverlayTestCluster(seed: 4)
        let all = (0..<16).map { MemberState(url: OverlayTestCluster.url($0), version: 1, alive: true) }
        var rng = SplitMix64(seed: 4)
        for i in 0..<16 {
            let n = c.makeNode(i)
            await n.forceView(all.filter { _ in rng.unit() < 0.5 })
        }
        #expect(await c.memberCounts().contains { $0 < 16 })
        await c.tick(12) // 3·log2(16)
        #expect(await c.memberCounts() == Array(repeating: 16, count: 16))
    }

    @Test func aRestartedNodeRejoinsWithANewIncarnationAndReplicasReturnToThree() async throws {
        var c = try await OverlayTestCluster.ring(8)
        let data = Self.items(40)
        try await c.nodes[0].put(data)
        await c.tick(2)
        let victim = c.nodes[5]
        c.network.kill(victim.url)
        await c.tick(8)
        #expect(await c.memberCounts() == Array(repeating: 7, count: 7))
        // The same URL comes back with an empty store and a higher incarnation.
        let reborn = c.makeNode(5, incarnation: 2)
        c.nodes.removeAll { $0 === victim }
        try await reborn.join(via: OverlayTestCluster.url(0))
        await c.tick(4 + c.configuration.dropAfterStablePeriods)
        #expect(await c.memberCounts() == Array(repeating: 8, count: 8))
        let p = Self.placement(c, data)
        #expect(p.exact == 40)
    }

    @Test func aRejoinUnderTheIncarnationThatWasDeclaredDeadIsRefused() async throws {
        var c = try await OverlayTestCluster.ring(6)
        let victim = c.nodes[2]
        c.network.kill(victim.url)
        await c.tick(8)
        c.nodes.removeAll { $0 === victim }
        let sameIncarnation = c.makeNode(2, incarnation: 1)
        await #expect(throws: OverlayError.self) { try await sameIncarnation.join(via: OverlayTestCluster.url(0)) }
        #expect(await c.nodes[0].memberCount == 5)
    }
}
