import Testing
@testable import Overlay

@Suite struct JoinAdmissionTests {
    static let joiner = try! NodeURL("https://new.example.edu/mesh")
    static let other = try! NodeURL("https://evil.example.edu/mesh")

    @Test func admitsAJoinerWhoseCallbackAnswersItsOwnId() {
        var j = JoinAdmission()
        let state = MemberState(url: Self.joiner, version: 7, alive: true)
        #expect(j.joinRequested(JoinRequest(member: state)) == .verify(Self.joiner))
        #expect(j.callbackReplied(Self.joiner, reply: PingReply(member: state)) == .admit(state))
        #expect(j.pendingCount == 0)
    }

    @Test func refusesASpoofedJoinWhoseCallbackAnswersAnotherId() {
        var j = JoinAdmission()
        _ = j.joinRequested(JoinRequest(member: MemberState(url: Self.joiner, version: 7, alive: true)))
        let spoof = PingReply(member: MemberState(url: Self.other, version: 7, alive: true))
        guard case .refuse(let url, _)? = j.callbackReplied(Self.joiner, reply: spoof) else {
            Issue.record("a spoofed callback must be refused"); return
        }
        #expect(url == Self.joiner)
    }

    @Test func refusesWhenTheCallbackFailsAndIgnoresUnsolicitedReplies() {
        var j = JoinAdmission()
        _ = j.joinRequested(JoinRequest(member: MemberState(url: Self.joiner, version: 1, alive: true)))
        if case .refuse? = j.callbackReplied(Self.joiner, reply: nil) {} else { Issue.record("expected refusal") }
        #expect(j.callbackReplied(Self.joiner, reply: nil) == nil)
    }
}

@Suite struct FailureDetectorTests {
    static let urls = (0..<8).map { try! NodeURL("https://fd\($0).example.edu") }
    static let view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 3, alive: true) }))

    @Test func pingsSuccessorAndPredecessorEachPeriod() {
        var fd = FailureDetector()
        let me = Self.view.directory.members[4].id
        let actions = fd.tick(view: Self.view, me: me)
        #expect(actions == [.ping(Self.view.directory.members[5]), .ping(Self.view.directory.members[3])])
    }

    @Test func suspectsAfterThreeMissesAndRemovesOnlyWhenASecondNodeConfirms() {
        var fd = FailureDetector()
        let members = Self.view.directory.members
        let me = members[4].id, succ = members[5]
        #expect(fd.pingResult(succ, answered: false, view: Self.view, me: me).isEmpty)
        #expect(fd.pingResult(succ, answered: false, view: Self.view, me: me).isEmpty)
        let third = fd.pingResult(succ, answered: false, view: Self.view, me: me)
        #expect(third == [.askToConfirm(suspect: succ, helper: members[6])])
        #expect(fd.isSuspected(succ.id))
        #expect(fd.confirmation(succ, reachable: false, view: Self.view) ==
                [.declareFailed(MemberState(url: succ, version: 3, alive: false))])
        #expect(!fd.isSuspected(succ.id))
    }

    @Test func aReachableVerdictOrAnAnswerClearsTheSuspicion() {
        var fd = FailureDetector()
        let members = Self.view.directory.members
        let me = members[4].id, pred = members[3]
        for _ in 0..<3 { _ = fd.pingResult(pred, answered: false, view: Self.view, me: me) }
        #expect(fd.confirmation(pred, reachable: true, view: Self.view).isEmpty)
        #expect(fd.pingResult(pred, answered: false, view: Self.view, me: me).isEmpty) // misses start over
        _ = fd.pingResult(pred, answered: true, view: Self.view, me: me)
        #expect(!fd.isSuspected(pred.id))
    }
}
