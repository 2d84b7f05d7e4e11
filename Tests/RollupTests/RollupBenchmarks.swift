import Foundation
import MeshCore
import Overlay
import Testing
@testable import Rollup

/// Tree shape and convergence at 1,000 / 10,000 / 100,000 nodes, printed for Docs/benchmarks.md.
/// Runs only with COURSEMESH_BENCH=1 (it takes a while in debug builds).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["COURSEMESH_BENCH"] == "1"))
struct RollupBenchmarks {
    @Test(arguments: [1_000, 10_000, 100_000], [ChordRingTopology.FingerSpacing.identifierSpace, .memberRank])
    func treeShapeAndConvergence(n: Int, spacing: ChordRingTopology.FingerSpacing) throws {
        let start = ContinuousClock.now
        var sim = network(n, seed: 10, spacing: spacing)
        try shapeConvergenceAndFailure(&sim, n: n, label: "\(spacing)", since: start)
    }

    @Test(arguments: [1_000, 10_000], [ChordRingTopology.FingerSpacing.identifierSpace, .memberRank])
    func randomPhaseConvergence(n: Int, spacing: ChordRingTopology.FingerSpacing) throws {
        var sim = network(n, seed: 11, schedule: .randomPhase(seed: 3), spacing: spacing)
        let depth = sim.shape().depth
        let periods = try #require(periodsToConverge(&sim, limit: depth + 1))
        var random = Rollup.SplitMix64(seed: 78)
        sim.fail(sim.liveMembers.shuffled(using: &random).prefix(n / 10))
        let afterFailure = periodsToConverge(&sim, limit: 3 + depth + 1)
        print("rollup-bench-phase spacing=\(spacing) n=\(n) depth=\(depth) convergePeriods=\(periods) periodsAfter10pctFail=\(afterFailure.map(String.init) ?? "none")")
    }

    /// The same scenario on the tree the overlay's own routing code builds (member-rank fingers).
    @Test(arguments: [1_000, 10_000, 100_000])
    func overlayTreeShapeAndConvergence(n: Int) throws {
        let start = ContinuousClock.now
        var sim = overlayNetwork(n, seed: 10)
        let shape = try shapeConvergenceAndFailure(&sim, n: n, label: "overlay", since: start)
        #expect(Double(shape.maxFanIn) <= 2 * Foundation.log2(Double(n)))
    }

    /// Converges `sim`, fails 10 % of its members, converges again, and prints the figures
    /// (depth, fan-in, periods, traffic); checks the root's sum and depth ≤ 2·log2 N.
    @discardableResult
    func shapeConvergenceAndFailure(_ sim: inout RollupSimulator, n: Int, label: String,
                                    since start: ContinuousClock.Instant) throws -> RollupSimulator.TreeShape {
        let shape = sim.shape()
        let built = ContinuousClock.now - start
        var fanIn: [RollupNodeID: Int] = [:]
        for case let (_, parent?) in sim.parents() { fanIn[parent, default: 0] += 1 }
        let sortedFanIn = fanIn.values.sorted()
        let p99 = sortedFanIn.isEmpty ? 0 : sortedFanIn[min(sortedFanIn.count - 1, sortedFanIn.count * 99 / 100)]
        let periods = try #require(periodsToConverge(&sim, limit: shape.depth + 1))
        let traffic = sim.runPeriod()
        #expect(sim.rootGlobal?.aggregate == sim.expectedTotal)
        var random = Rollup.SplitMix64(seed: 77)
        sim.fail(sim.liveMembers.shuffled(using: &random).prefix(n / 10))
        let afterFailure = try #require(periodsToConverge(&sim, limit: 4))
        let log2n = Foundation.log2(Double(n))
        print("rollup-bench spacing=\(label) n=\(n) depth=\(shape.depth) maxFanIn=\(shape.maxFanIn) p99FanIn=\(p99) rootFanIn=\(shape.rootFanIn) "
              + "2log2N=\(String(format: "%.1f", 2 * log2n)) convergePeriods=\(periods) upwardPerPeriod=\(traffic.upwardSnapshots) "
              + "rootReceived=\(traffic.rootReceived) periodsAfter10pctFail=\(afterFailure) "
              + "buildSeconds=\(built) totalSeconds=\(ContinuousClock.now - start)")
        #expect(Double(shape.depth) <= 2 * log2n)
        return shape
    }
}
