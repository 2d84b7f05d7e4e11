import MeshCore
import Overlay
import Testing
@testable import CourseMesh

/// The serve loop around an overlay node: join retries with backoff, periodic ticks, a leave on stop.
struct OverlaySchedulerTests {
    actor FakeMember: OverlayMember {
        nonisolated let memberURL: NodeURL
        var failuresLeft: Int
        var calls: [String] = []
        init(failures: Int) throws {
            memberURL = try NodeURL("http://127.0.0.1:1")
            failuresLeft = failures
        }
        func startAlone() { calls.append("alone") }
        func join(via bootstrap: NodeURL) throws(OverlayError) {
            calls.append("join")
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw .notMember("bootstrap down")
            }
        }
        func tick() { calls.append("tick") }
        func leave() { calls.append("leave") }
        func handle(_ request: OverlayRequest) throws(OverlayError) -> OverlayReply { throw .unknownEndpoint("fake") }
        func summary() -> OverlaySummary {
            OverlaySummary(state: "member", predecessor: nil, successors: [], memberCount: 1, fingers: 0, itemsHeld: 0)
        }
    }

    @Test func backoffDoublesUpToItsMaximum() {
        var backoff = JoinBackoff(initial: .seconds(1), maximum: .seconds(5))
        #expect((0..<5).map { _ in backoff.nextDelay() } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test func retriesADownBootstrapThenTicksAndLeavesOnStop() async throws {
        let member = try FakeMember(failures: 2)
        let scheduler = OverlayScheduler(member: member, period: .milliseconds(20), logger: Logger(label: "t", sink: .discard))
        await scheduler.start(bootstrap: try NodeURL("http://127.0.0.1:2"),
                              backoff: JoinBackoff(initial: .milliseconds(5), maximum: .milliseconds(10)))
        for _ in 0..<200 where await member.calls.filter({ $0 == "tick" }).count < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await scheduler.isMember)
        await scheduler.stop()
        let calls = await member.calls
        #expect(Array(calls.prefix(3)) == ["join", "join", "join"])
        #expect(calls.filter { $0 == "tick" }.count >= 2)
        #expect(calls.last == "leave")
        #expect(await !scheduler.isMember)
    }

    @Test func withoutABootstrapTheNodeStartsAloneAndAStopBeforeJoiningDoesNotLeave() async throws {
        let alone = try FakeMember(failures: 0)
        let scheduler = OverlayScheduler(member: alone, period: .seconds(60), logger: Logger(label: "t", sink: .discard))
        await scheduler.start(bootstrap: nil)
        for _ in 0..<200 where await !scheduler.isMember { try await Task.sleep(for: .milliseconds(5)) }
        await scheduler.stop()
        #expect(await alone.calls == ["alone", "leave"])

        let never = try FakeMember(failures: .max)
        let waiting = OverlayScheduler(member: never, period: .seconds(60), logger: Logger(label: "t", sink: .discard))
        await waiting.start(bootstrap: try NodeURL("http://127.0.0.1:2"),
                            backoff: JoinBackoff(initial: .milliseconds(5), maximum: .milliseconds(5)))
        try await Task.sleep(for: .milliseconds(30))
        await waiting.stop()
        #expect(await !never.calls.contains("leave"))
    }
}
