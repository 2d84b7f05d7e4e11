import MeshCore
import Testing
@testable import Rollup

/// A network of `n` nodes with seeded random sites on a Chord-like ring.
func network(_ n: Int, seed: UInt64 = 1, schedule: RollupSimulator.Schedule = .bottomUp,
             spacing: ChordRingTopology.FingerSpacing = .identifierSpace) -> RollupSimulator {
    var sites = RandomSites(seed: seed)
    let locals = (0..<n).map { i in ("node-\(seed)-\(i)", Aggregate(site: sites.contribution(index: i, maxDocuments: 3))) }
    return RollupSimulator(locals: locals, settings: RollupSettings(period: .seconds(60), expiryPeriods: 3),
                           schedule: schedule, topology: { ChordRingTopology(members: $0, spacing: spacing) })
}

/// Runs periods until the root's global equals the exact total; returns how many it took (nil past `limit`).
func periodsToConverge(_ sim: inout RollupSimulator, limit: Int) -> Int? {
    let expected = sim.expectedTotal
    for p in 1...limit {
        _ = sim.runPeriod()
        if sim.rootGlobal?.aggregate == expected { return p }
    }
    return nil
}

/// ⌈log₂ n⌉ for n ≥ 2.
func ceilLog2(_ n: Int) -> Int { Int.bitWidth - (n - 1).leadingZeroBitCount }

@Suite struct RollupSimulation {
    @Test(arguments: [ChordRingTopology.FingerSpacing.identifierSpace, .memberRank])
    func rootTotalsEqualTheSumOfEveryLocalRecordAtOneThousandNodes(spacing: ChordRingTopology.FingerSpacing) throws {
        var sim = network(1_000, spacing: spacing)
        let shape = sim.shape()
        let periods = try #require(periodsToConverge(&sim, limit: shape.depth + 1))
        #expect(periods <= shape.depth + 1)
        let global = try #require(sim.rootGlobal)
        #expect(global.aggregate == sim.expectedTotal)
        #expect(global.contributingSites == 1_000)
    }

    @Test func identifierSpaceFingersGiveLogDepthAndAtMostLogSquaredFanIn() {
        let shape = network(1_000).shape()
        #expect(shape.nodes == 1_000)
        #expect(shape.depth >= 3)
        #expect(shape.depth <= 2 * ceilLog2(1_000))
        #expect(shape.maxFanIn <= ceilLog2(1_000) * ceilLog2(1_000))
    }

    @Test func memberRankFingersGiveABinomialTreeWithLogDepthAndFanIn() {
        for n in [2, 3, 17, 1_000, 1_024] {
            let shape = network(n, spacing: .memberRank).shape()
            #expect(shape.depth <= ceilLog2(n))
            #expect(shape.maxFanIn <= ceilLog2(n))
            #expect(shape.rootFanIn == ceilLog2(n))
        }
    }

    @Test func independentTimersStillConvergeWithinDepthPlusOnePeriods() throws {
        var sim = network(1_000, seed: 2, schedule: .randomPhase(seed: 9))
        let depth = sim.shape().depth
        let first = try #require(periodsToConverge(&sim, limit: depth + 1))
        #expect(first <= depth + 1)
        // A change at the deepest node reaches the root within depth + 1 periods too.
        let deepest = sim.depths().max { $0.value < $1.value }!.key
        var sites = RandomSites(seed: 1234)
        sim.setLocal(deepest, Aggregate(site: sites.contribution(index: 0)))
        let again = try #require(periodsToConverge(&sim, limit: depth + 1))
        #expect(again <= depth + 1)
    }

    @Test func eachNodeSendsOneReportPerPeriodAndTheRootHearsAtMostItsFanIn() {
        var sim = network(1_000, seed: 3)
        let shape = sim.shape()
        for _ in 0..<(shape.depth + 3) {
            let traffic = sim.runPeriod()
            #expect(traffic.upwardSnapshots == 999)
            #expect(traffic.maxSnapshotsPerNode == 1)
            #expect(traffic.withdrawals == 0)
            #expect(traffic.rootReceived <= traffic.rootFanIn)
            #expect(traffic.rootFanIn == shape.rootFanIn)
        }
    }

    @Test func everyNodeServesTheGlobalAfterItFlowsDown() {
        var sim = network(500, seed: 4)
        let depth = sim.shape().depth
        for _ in 0..<(2 * depth + 2) { _ = sim.runPeriod() }
        for id in sim.liveMembers {
            #expect(sim.node(id)?.global?.contributingSites == 500)
        }
    }

    @Test(arguments: [ChordRingTopology.FingerSpacing.identifierSpace, .memberRank])
    func afterTenPercentFailTotalsAreExactForSurvivorsWithinFourPeriods(spacing: ChordRingTopology.FingerSpacing) throws {
        var sim = network(1_000, seed: 5, spacing: spacing)
        for _ in 0..<(sim.shape().depth + 2) { _ = sim.runPeriod() }
        #expect(sim.rootGlobal?.aggregate == sim.expectedTotal)
        var random = SplitMix64(seed: 77)
        let victims = sim.liveMembers.shuffled(using: &random).prefix(100)
        sim.fail(victims)
        let periods = try #require(periodsToConverge(&sim, limit: 4))
        #expect(periods <= 4)
        #expect(sim.rootGlobal?.contributingSites == 900)
        // And it stays exact: expired children do not come back.
        for _ in 0..<5 { _ = sim.runPeriod() }
        #expect(sim.rootGlobal?.aggregate == sim.expectedTotal)
    }

    @Test func repeatedRunsNeverDriftFromTheExactTotal() {
        var sim = network(300, seed: 6, schedule: .randomPhase(seed: 1))
        let depth = sim.shape().depth
        for _ in 0..<(depth + 1) { _ = sim.runPeriod() }
        for _ in 0..<20 {
            _ = sim.runPeriod()
            #expect(sim.rootGlobal?.aggregate == sim.expectedTotal)
        }
    }
}
