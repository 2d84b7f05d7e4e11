import MeshCore
import MeshStore
import Overlay
import Testing
@testable import Rollup

/// Several `RollupService`s exchanging real payloads over the in-memory `RollupMesh`.
@Suite struct RollupServiceBetweenNodes {
    @Test func rootAndThenEveryNodeHoldTheExactTotal() async throws {
        let mesh = RollupMesh(locals: randomLocals(40, seed: 1))
        let depth = mesh.depths().values.max()!
        let periods = try #require(await mesh.periodsToExactRoot(limit: depth + 1))
        #expect(periods <= depth + 1)
        let want = await mesh.expected()
        // The reply to each report carries the parent's global: it reaches every node.
        for _ in 0..<(depth + 1) { await mesh.runPeriod() }
        for url in mesh.live {
            let global = try #require(await mesh.service(url).global)
            #expect(global.aggregate == want)
            #expect(global.contributingSites == 40)
            #expect(await mesh.service(url).indexTotals?.documents == want.documents)
        }
    }

    @Test func eachNodeSendsOneMessageUpPerPeriodAndTheRootHearsItsChildren() async throws {
        let mesh = RollupMesh(locals: randomLocals(32, seed: 2))
        for _ in 0..<3 { await mesh.runPeriod() }
        mesh.resetCounts()
        await mesh.runPeriod()
        let root = mesh.root
        let (sent, received) = mesh.links.withLock { ($0.sent, $0.received) }
        #expect(sent.count == 31)
        #expect(sent.values.allSatisfy { $0 == 1 })
        #expect(sent[root] == nil)
        let rootChildren = mesh.live.filter { mesh.parent(of: $0) == root }
        #expect(received[root] == rootChildren.count)
        let status = await mesh.service(root).treeStatus
        #expect(status.parent == nil)
        #expect(Set(status.children) == Set(rootChildren))
    }

    @Test func duplicateDeliveriesNeverDoubleCount() async throws {
        let mesh = RollupMesh(locals: randomLocals(24, seed: 3))
        mesh.setDuplicates(true)
        let depth = mesh.depths().values.max()!
        _ = try #require(await mesh.periodsToExactRoot(limit: depth + 1))
        for _ in 0..<4 {
            await mesh.runPeriod()
            #expect(await mesh.service(mesh.root).global?.aggregate == mesh.expected())
        }
    }

    @Test func aReplayedOlderReportIsIgnored() async throws {
        let locals = randomLocals(2, seed: 4)
        let parentURL = try NodeURL("https://parent.example.edu")
        let mesh = RollupMesh(locals: [])
        let parent = RollupService(overlay: MeshOverlay(url: parentURL, mesh: mesh), clock: mesh.clock, epoch: 1)
        func message(_ sequence: UInt64, _ aggregate: Aggregate?) throws -> [UInt8] {
            try JSONCoding.encode(RollupUpMessage(from: "https://child.example.edu",
                                                  report: RollupReport(sender: "child", version: ReportVersion(epoch: 1, sequence: sequence),
                                                                       aggregate: aggregate)))
        }
        let newer = try message(2, locals[1]), older = try message(1, locals[0])
        _ = try await parent.receive(newer, key: nil)
        _ = try await parent.receive(older, key: nil)   // reordered: arrives late
        _ = try await parent.receive(newer, key: nil)   // retried
        #expect(await parent.subtreeAggregate == locals[1])
        await #expect(throws: JSONDecodingError.self) { _ = try await parent.receive(Array("{\"v\":1}".utf8), key: nil) }
    }

    @Test func aParentChangeMidPeriodMovesTheSubtreeWithoutDoubleCounting() async throws {
        let mesh = RollupMesh(locals: randomLocals(30, seed: 5))
        let depth = mesh.depths().values.max()!
        _ = try #require(await mesh.periodsToExactRoot(limit: depth + 1))
        // A node whose parent is not the root moves to a node outside its own subtree.
        let root = mesh.root
        func isInSubtree(_ url: NodeURL, of top: NodeURL) -> Bool {
            var at: NodeURL? = url
            while let a = at { if a == top { return true }; at = mesh.parent(of: a) }
            return false
        }
        let mover = try #require(mesh.live.first { mesh.parent(of: $0).map { $0 != root } ?? false })
        let oldParent = try #require(mesh.parent(of: mover))
        let newParent = try #require(mesh.live.first { $0 != oldParent && !isInSubtree($0, of: mover) })
        mesh.setParent(of: mover, to: newParent)
        // Mid-period: the mover reports first (withdrawal to the old parent, snapshot to the new).
        mesh.clock.advance(by: mesh.settings.period)
        await mesh.service(mover).tick()
        #expect(await mesh.service(oldParent).treeStatus.children.contains(mover) == false)
        #expect(await mesh.service(newParent).treeStatus.children.contains(mover))
        let want = await mesh.expected()
        let periods = try #require(await mesh.periodsToExactRoot(limit: depth + 2))
        #expect(periods <= depth + 2)
        for _ in 0..<5 {
            await mesh.runPeriod()
            #expect(await mesh.service(mesh.root).global?.aggregate == want)
        }
    }

    @Test func aSilentChildExpiresAfterThreePeriods() async throws {
        let mesh = RollupMesh(locals: randomLocals(20, seed: 6))
        let depth = mesh.depths().values.max()!
        _ = try #require(await mesh.periodsToExactRoot(limit: depth + 1))
        let root = mesh.root
        let child = try #require(mesh.live.first { mesh.parent(of: $0) == root })
        // The child is cut off (its messages are lost) but the root's table still lists it.
        mesh.links.withLock { _ = $0.down.insert(child) }
        for period in 1...3 {
            await mesh.runPeriod()
            #expect(await mesh.service(root).treeStatus.children.contains(child) == (period < 3))
        }
    }

    @Test func afterTenPercentFailTotalsAreExactForSurvivorsWithinFourPeriods() async throws {
        let mesh = RollupMesh(locals: randomLocals(50, seed: 7))
        let depth = mesh.depths().values.max()!
        _ = try #require(await mesh.periodsToExactRoot(limit: depth + 1))
        var random = Rollup.SplitMix64(seed: 70)
        mesh.fail(mesh.live.filter { $0 != mesh.root }.shuffled(using: &random).prefix(5))
        let periods = try #require(await mesh.periodsToExactRoot(limit: 4))
        #expect(periods <= 4)
        #expect(await mesh.service(mesh.root).global?.contributingSites == 45)
    }

    @Test func theGlobalIsKeptAsTodaysSnapshot() async throws {
        let store = try await NodeStore.inMemory()
        let mesh = RollupMesh(locals: [])
        let url = try NodeURL("https://alone.example.edu")
        let local = randomLocals(1, seed: 8)[0]
        let alone = RollupService(overlay: MeshOverlay(url: url, mesh: mesh), clock: mesh.clock, epoch: 1, local: local,
                                  history: store.stats)
        await alone.tick()
        let today = CalendarDay(mesh.clock.now())
        let history = try await alone.history(from: today, through: today)
        #expect(history.count == 1)
        #expect(history.first?.aggregate == local)
        // A change of the figures later the same day replaces the day's snapshot.
        let changed = local.merging(randomLocals(1, seed: 9)[0])
        await alone.setLocal(changed)
        mesh.clock.advance(by: .seconds(10))
        await alone.tick()
        let again = try await alone.history(from: today, through: today)
        #expect(again.map(\.aggregate) == [changed])
        await store.close()
    }
}
