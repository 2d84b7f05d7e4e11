import MeshCore
import Testing
@testable import Overlay

/// A healed partition reunites even when the member one side holds dead is probed by nobody
/// there: its successor on that side's ring is a member of the other side, which never held it dead.
struct PartitionHealTests {
    @Test func aMemberHeldDeadOnlyByNodesThatAreNotItsNeighboursIsToldAndRejoinsEveryTable() async throws {
        var c = OverlayTestCluster(seed: 7)
        let urls = (0..<8).map(OverlayTestCluster.url).sorted { $0.id < $1.id }
        let alive = urls.map { MemberState(url: $0, version: 1, alive: true) }
        // X, the member before it and the two after it (its replicas) hold it alive; the rest hold it dead,
        // so X never pings a node that would tell it, and nobody holding it dead succeeds it.
        let x = 3, neighbours: Set<Int> = [2, 3, 4, 5]
        for (i, u) in urls.enumerated() {
            let n = c.makeNode(Int(u.string.split(separator: "campus")[1].prefix { $0.isNumber })!)
            var states = alive.filter { $0.url != n.url }
            if !neighbours.contains(i) { states = states.map { $0.url == urls[x] ? MemberState(url: $0.url, version: 1, alive: false) : $0 } }
            await n.forceView(states)
        }
        #expect(await c.memberCounts().filter { $0 == 7 }.count == 4)
        await c.tick(20)
        #expect(await c.memberCounts() == Array(repeating: 8, count: 8), "the member held dead stayed out of some tables")
    }
}
