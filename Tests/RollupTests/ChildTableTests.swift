import MeshCore
import Testing
@testable import Rollup

func site(_ courses: Int, country: String = "ES") -> Aggregate {
    var a = Aggregate.identity
    a.totals = Counters(sites: 1, courses: courses, users: 0, enrolments: 0, activeUsers30d: 0, forumPosts: 0, quizQuestions: 0, resources: 0)
    a.byCountry = [country: a.totals]
    return a
}

func report(_ sender: String, _ sequence: UInt64, _ aggregate: Aggregate?, epoch: UInt64 = 1) -> RollupReport {
    RollupReport(sender: sender, version: ReportVersion(epoch: epoch, sequence: sequence), aggregate: aggregate)
}

let t0 = Timestamp(seconds: 1_000)

@Suite struct ChildTableReplacesNeverAdds {
    @Test func duplicateDeliveriesAreCountedOnce() {
        var table = ChildTable()
        #expect(table.accept(report("a", 1, site(10)), now: t0) == .accepted)
        #expect(table.accept(report("a", 1, site(10)), now: t0) == .duplicate)
        #expect(table.accept(report("a", 1, site(10)), now: t0) == .duplicate)
        #expect(table.childrenAggregate.totals.courses == 10)
    }

    @Test func newerReportReplacesTheOldSnapshot() {
        var table = ChildTable()
        _ = table.accept(report("a", 1, site(10)), now: t0)
        _ = table.accept(report("a", 2, site(25)), now: t0)
        #expect(table.childrenAggregate.totals.courses == 25)
        #expect(table.childrenAggregate.totals.sites == 1)
    }

    @Test func reorderedOlderReportNeverReplacesANewerOne() {
        var table = ChildTable()
        _ = table.accept(report("a", 5, site(50)), now: t0)
        #expect(table.accept(report("a", 4, site(40)), now: t0) == .stale)
        #expect(table.childrenAggregate.totals.courses == 50)
    }

    @Test func restartedSenderWithNewEpochWinsOverHighSequence() {
        var table = ChildTable()
        _ = table.accept(report("a", 900, site(50), epoch: 1), now: t0)
        #expect(table.accept(report("a", 1, site(7), epoch: 2), now: t0) == .accepted)
        #expect(table.childrenAggregate.totals.courses == 7)
    }

    @Test func withdrawalDropsTheChildAndAnOlderReportCannotBringItBack() {
        var table = ChildTable()
        _ = table.accept(report("a", 1, site(10)), now: t0)
        _ = table.accept(report("b", 1, site(3)), now: t0)
        #expect(table.accept(report("a", 2, nil), now: t0) == .accepted)
        #expect(table.childrenAggregate.totals.courses == 3)
        #expect(table.liveChildren == ["b"])
        #expect(table.accept(report("a", 1, site(10)), now: t0) == .stale)
        #expect(table.childrenAggregate.totals.courses == 3)
    }

    @Test func childSilentForThreePeriodsExpiresAndOnlyThen() {
        var table = ChildTable()
        let period = Duration.seconds(60)
        _ = table.accept(report("a", 1, site(10)), now: t0)
        _ = table.accept(report("b", 1, site(3)), now: t0)
        _ = table.accept(report("b", 2, site(3)), now: t0 + period * 2)
        #expect(table.expire(now: t0 + period * 3 - .seconds(1), timeout: period * 3).isEmpty)
        #expect(table.expire(now: t0 + period * 3, timeout: period * 3) == ["a"])
        #expect(table.liveChildren == ["b"])
        #expect(table.childrenAggregate.totals.courses == 3)
    }
}

@Suite struct RollupNodeStateMachine {
    let period = Duration.seconds(60)

    @Test func nodeReportsLocalPlusLatestChildSnapshotsOncePerTick() {
        var node = RollupNode(id: "p", epoch: 1, local: site(1))
        node.receive(report("a", 1, site(10)), now: t0)
        node.receive(report("a", 1, site(10)), now: t0)
        node.receive(report("b", 3, site(100)), now: t0)
        let actions = node.tick(now: t0, parent: "root")
        guard case .report(let to, let sent) = actions.first else { Issue.record("no report"); return }
        #expect(to == "root")
        #expect(sent.aggregate?.totals.courses == 111)
        #expect(sent.aggregate?.totals.sites == 3)
        #expect(actions.filter { if case .report = $0 { true } else { false } }.count == 1)
    }

    @Test func sequenceGrowsSoTheParentAcceptsEveryNewTick() {
        var child = RollupNode(id: "c", epoch: 1, local: site(4))
        var parent = RollupNode(id: "p", epoch: 1)
        for i in 0..<5 {
            for case .report(_, let r) in child.tick(now: t0 + period * i, parent: "p") {
                #expect(parent.receive(r, now: t0 + period * i) == .accepted)
            }
        }
        #expect(parent.subtreeAggregate.totals.courses == 4)
    }

    @Test func parentChangeMidPeriodWithdrawsFromTheOldParentSoNothingIsCountedTwice() {
        var child = RollupNode(id: "c", epoch: 1, local: site(4))
        var old = RollupNode(id: "old", epoch: 1), new = RollupNode(id: "new", epoch: 1)
        func deliver(_ actions: [RollupAction], at now: Timestamp) {
            for case .report(let to, let r) in actions {
                if to == "old" { old.receive(r, now: now) } else { new.receive(r, now: now) }
            }
        }
        deliver(child.tick(now: t0, parent: "old"), at: t0)
        let moved = child.tick(now: t0 + period, parent: "new")
        #expect(moved.count == 2)
        // The withdrawal arrives after a duplicate retry of the earlier snapshot: still dropped.
        deliver(moved, at: t0 + period)
        #expect(old.receive(report("c", 1, site(4)), now: t0 + period) == .stale)
        #expect(old.subtreeAggregate.totals.courses == 0)
        #expect(new.subtreeAggregate.totals.courses == 4)
        #expect(old.subtreeAggregate.merging(new.subtreeAggregate).totals.sites == 1)
    }

    @Test func rootComputesGlobalAndPublishesItToLiveChildren() {
        var root = RollupNode(id: "r", epoch: 1, local: site(2))
        root.receive(report("a", 1, site(10)), now: t0)
        let actions = root.tick(now: t0, parent: nil)
        #expect(root.global?.aggregate.totals.courses == 12)
        #expect(root.global?.contributingSites == 2)
        #expect(root.global?.asOf == t0)
        #expect(actions == [.publish(to: ["a"], root.global!)])
    }

    @Test func nodeServesTheNewestGlobalItHeard() {
        var node = RollupNode(id: "n", epoch: 1)
        let newer = GlobalAggregate(aggregate: site(9), asOf: t0 + period, root: "r")
        let older = GlobalAggregate(aggregate: site(1), asOf: t0, root: "r")
        let keptNewer = node.receive(newer)
        let keptOlder = node.receive(older)
        let keptAgain = node.receive(newer)
        #expect(keptNewer)
        #expect(!keptOlder)
        #expect(!keptAgain)
        #expect(node.global == newer)
    }

    @Test func silentChildLeavesTheSubtreeAfterThreePeriods() {
        var node = RollupNode(id: "p", epoch: 1, local: site(1), settings: RollupSettings(period: period, expiryPeriods: 3))
        node.receive(report("a", 1, site(10)), now: t0)
        _ = node.tick(now: t0 + period * 2, parent: "r")
        #expect(node.subtreeAggregate.totals.courses == 11)
        _ = node.tick(now: t0 + period * 3, parent: "r")
        #expect(node.subtreeAggregate.totals.courses == 1)
    }
}
