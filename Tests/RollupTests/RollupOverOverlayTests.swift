import MeshCore
import Overlay
import Testing
@testable import Rollup

/// The rollup on real `OverlayNode`s over the overlay's in-memory network: the tree is the
/// nodes' own routing toward `RingKey.stats`, the reports travel as application messages.
@Suite struct RollupOverTheOverlay {
    struct Federation {
        let network = MemoryNetwork(seed: 3)
        let clock = ManualClock()
        var nodes: [OverlayNode] = []
        var services: [RollupService] = []
        var locals: [Aggregate] = []

        init(_ n: Int, seed: UInt64) async throws {
            locals = randomLocals(n, seed: seed)
            for i in 0..<n {
                let url = try NodeURL("https://campus\(i)-\(seed).example.edu/mesh")
                let node = OverlayNode(url: url, site: "https://moodle\(i).example.edu", incarnation: 1,
                                       transport: network.transport(for: url), clock: clock, store: MemoryKeyValueStore())
                network.register(node)
                let service = RollupService(overlay: node, clock: clock, epoch: 1, local: locals[i],
                                            settings: RollupSettings(period: .seconds(1), expiryPeriods: 3))
                await node.register(app: RollupService.application, service)
                if i == 0 { await node.startAlone() } else { try await node.join(via: nodes[0].url) }
                nodes.append(node)
                services.append(service)
            }
            for _ in 0..<6 { await overlayPeriod() }
        }

        var live: [Int] { nodes.indices.filter { network.isUp(nodes[$0].url) } }

        func overlayPeriod() async {
            for i in live { await nodes[i].tick() }
            clock.advance(by: .seconds(1))
        }

        /// One period: overlay maintenance, then every live node's rollup tick.
        func period() async {
            await overlayPeriod()
            for i in live { await services[i].tick() }
        }

        func expected() -> Aggregate { Aggregate.merged(live.map { locals[$0] }) }

        func rootGlobal() async -> GlobalAggregate? {
            for i in live where await nodes[i].parent(toward: .stats) == nil { return await services[i].global }
            return nil
        }

        func periodsToExact(limit: Int) async -> Int? {
            for p in 1...limit {
                await period()
                if await rootGlobal()?.aggregate == expected() { return p }
            }
            return nil
        }
    }

    @Test func sixteenOverlayNodesRollUpTheExactTotalAndServeItEverywhere() async throws {
        let fed = try await Federation(16, seed: 21)
        // Independent timers (id order here): a change climbs at least one level per period.
        let periods = try #require(await fed.periodsToExact(limit: 6))
        #expect(periods <= 5)
        for _ in 0..<5 { await fed.period() }
        for i in fed.live {
            #expect(await fed.services[i].global?.aggregate == fed.expected())
        }
    }

    @Test func afterTwoOfSixteenFailTheSurvivorsTotalIsExactAgain() async throws {
        let fed = try await Federation(16, seed: 22)
        _ = try #require(await fed.periodsToExact(limit: 6))
        var root = 0
        for i in fed.live where await fed.nodes[i].parent(toward: .stats) == nil { root = i }
        for victim in fed.live.filter({ $0 != root }).prefix(2) { fed.network.kill(fed.nodes[victim].url) }
        let periods = try #require(await fed.periodsToExact(limit: 12))
        #expect(await fed.rootGlobal()?.contributingSites == 14)
        #expect(periods <= 12)
    }
}
