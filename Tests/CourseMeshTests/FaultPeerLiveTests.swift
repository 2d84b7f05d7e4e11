import CourseMesh
import Foundation
import MeshCore
import MeshHTTP
import Overlay
import Synchronization
import Testing

/// A ring member that answers pings properly but its "search" messages slowly (past the request
/// timeout) or with garbage: queries for the terms it holds fail over to the other holders and
/// stay complete (or say partial), never short and never an error.
@Suite(.serialized)
struct FaultPeerLiveTests {
    enum Misbehaviour: Int { case slow, garbage }

    /// How the bad peer behaves now, and how often it was asked.
    final class PeerState: Sendable {
        let mode = Mutex(Misbehaviour.slow)
        let searchRequests = Mutex(0)
    }

    /// The misbehaving member: a MeshHTTP server with its own id.
    final class BadPeer: Sendable {
        let url: NodeURL
        let server: HTTPServer
        let state = PeerState()

        init(port: Int) throws {
            url = try NodeURL("http://127.0.0.1:\(port)")
            let me = MemberState(url: url, version: 1, alive: true)
            var router = Router()
            let pong: HTTPHandler = { _, _ in .json(try JSONCoding.encode(PingReply(member: me))) }
            router.get("/overlay/v1/ping", pong)
            router.post("/overlay/v1/ping", pong)
            let state = self.state
            router.post("/overlay/v1/app/:app", bodyLimit: WireLimits.maxRequestBytes) { _, _ in
                state.searchRequests.withLock { $0 += 1 }
                switch state.mode.withLock({ $0 }) {
                case .slow:
                    try await Task.sleep(for: .seconds(6))
                    return .json(Array("{}".utf8))
                case .garbage:
                    return HTTPResponse(status: 200, body: (0..<512).map { _ in UInt8.random(in: 0...255) })
                }
            }
            server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: router,
                                logger: Logger(label: "bad-peer", sink: .discard))
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aSlowOrGarbageTermHolderIsFailedOverAndAnswersStayComplete() async throws {
        let mesh = try await FaultFederation.start(count: 6, perSite: 60)
        defer { Task { await mesh.federation.stop(removeFiles: false) } }  // logs kept when the test throws
        // A free port whose URL makes the peer the owner of at least two query terms (bounded tries).
        let ring = mesh.nodes.map(\.url)
        func owned(by url: String) -> Int {
            mesh.queries.filter { FaultFederation.holders(of: mesh.terms[$0]![0], among: ring + [url]).first == (try? NodeURL(url)) }.count
        }
        var port = try freePort()
        for _ in 0..<100 where owned(by: "http://127.0.0.1:\(port)") < 2 { port = try freePort() }
        let peer = try BadPeer(port: port)
        _ = try await peer.server.start()
        defer { Task { await peer.server.shutdown(grace: .seconds(1)) } }

        // It joins through node 0 (which calls its ping back) and the ring reports 7 members.
        let client = HTTPClient()
        defer { client.shutdown() }
        let reply = try await HTTPTransport(client: client).send(.join(JoinRequest(member: MemberState(url: peer.url, version: 1, alive: true))),
                                                                to: try NodeURL(mesh.nodes[0].url), timeout: .seconds(10))
        #expect(!"\(reply)".isEmpty)
        if let w = await mesh.waitForMembers(7, on: Array(mesh.nodes.indices), within: .seconds(30)) {
            Issue.record("\(w)")
            await mesh.federation.stop(removeFiles: false)
            return
        }

        // The queries whose term the bad peer now holds (owner first where possible).
        let urls = mesh.nodes.map(\.url) + [peer.url.string]
        let involved = mesh.queries.filter { FaultFederation.holders(of: mesh.terms[$0]![0], among: urls).contains(peer.url) }
        let owned = involved.filter { FaultFederation.holders(of: mesh.terms[$0]![0], among: urls).first == peer.url }
        try #require(!owned.isEmpty, "the bad peer owns none of the \(mesh.queries.count) query terms")
        let chosen = Array((owned + involved.filter { !owned.contains($0) }).prefix(8))

        var failed = false
        for misbehaviour in [Misbehaviour.slow, .garbage] {
            peer.state.mode.withLock { $0 = misbehaviour }
            let before = peer.state.searchRequests.withLock { $0 }
            // All at once, from different nodes: each waits at most a request timeout per holder asked.
            let wrong = await withTaskGroup(of: String?.self) { group in
                for (n, q) in chosen.enumerated() {
                    let asker = 1 + n % (mesh.nodes.count - 1)
                    group.addTask { mesh.silentlyWrong(await mesh.ask(asker, q, timeout: 30), query: q, node: asker) }
                }
                var out: [String] = []
                for await w in group { if let w { out.append(w) } }
                return out
            }
            failed = failed || !wrong.isEmpty
            #expect(wrong.isEmpty, "with a \(misbehaviour) peer: \(wrong.joined(separator: "\n"))")
            #expect(peer.state.searchRequests.withLock { $0 } > before, "the \(misbehaviour) peer was never asked: the test proved nothing")
        }
        // Logs named in failure messages stay on disk when anything failed.
        await mesh.federation.stop(removeFiles: !failed)
    }
}
