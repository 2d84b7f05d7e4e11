import Testing
@testable import Overlay

/// The node-level simulator (real `OverlayNode`s over `MemoryNetwork`) at small N.
@Suite struct NodeSimulationTests {
    @Test func nodeLevelRunIsDeterministicAndRestoresReplication() async {
        var o = NodeSimOptions(nodes: 40, seed: 7)
        o.items = 200
        o.steadyPeriods = 20
        let a = await NodeSimulation.run(o)
        let b = await NodeSimulation.run(o)
        #expect(a == b)
        #expect(a.joinConvergencePeriods != nil)
        #expect(a.failureConvergencePeriods != nil)
        #expect(a.failedNodes == 4)
        #expect(a.replicationRestoredAfterPeriods != nil)
        #expect(a.tablesConvergedAfterFailurePeriods != nil)
    }

    @Test func nodeLevelStaleTablesFillUp() async {
        var o = NodeSimOptions(nodes: 32, seed: 3)
        o.items = 50
        o.steadyPeriods = 5
        o.stale = 0.5
        let r = await NodeSimulation.run(o)
        #expect(r.staleTablesFullAfterPeriods != nil)
    }
}
