import Overlay
import Testing
@testable import Rollup

/// A simulated network whose tree is the overlay's own routing toward `RingKey.stats`.
func overlayNetwork(_ n: Int, seed: UInt64 = 1, schedule: RollupSimulator.Schedule = .bottomUp) -> RollupSimulator {
    var sites = RandomSites(seed: seed)
    let urls = (0..<n).map { try! NodeURL("https://site\($0)-\(seed).example.edu/mesh") }
    var byID: [RollupNodeID: NodeURL] = [:]
    for url in urls { byID[OverlayTreeTopology.nodeID(of: url)] = url }
    let locals = urls.enumerated().map { i, url in
        (OverlayTreeTopology.nodeID(of: url), Aggregate(site: sites.contribution(index: i, maxDocuments: 3)))
    }
    let lookup = byID
    return RollupSimulator(locals: locals, settings: RollupSettings(period: .seconds(60), expiryPeriods: 3),
                           schedule: schedule, topology: { ids in OverlayTreeTopology(members: ids.map { lookup[$0]! }) })
}

@Suite struct OverlayRollupTree {
    @Test func theOverlaysRoutingTreeHasLogDepthAndFanIn() {
        for n in [2, 3, 17, 1_000, 1_024] {
            let shape = overlayNetwork(n).shape()
            #expect(shape.nodes == n)
            #expect(shape.depth <= ceilLog2(n))
            #expect(shape.maxFanIn <= ceilLog2(n))
        }
    }

    @Test func rootIsExactAndSurvivesTenPercentFailures() throws {
        var sim = overlayNetwork(1_000, seed: 7)
        let depth = sim.shape().depth
        let periods = try #require(periodsToConverge(&sim, limit: depth + 1))
        #expect(periods <= depth + 1)
        var random = Rollup.SplitMix64(seed: 99)
        sim.fail(sim.liveMembers.shuffled(using: &random).prefix(100))
        let after = try #require(periodsToConverge(&sim, limit: 4))
        #expect(after <= 4)
        #expect(sim.rootGlobal?.contributingSites == 900)
    }
}
