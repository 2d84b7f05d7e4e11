import Foundation
import MeshCore
import MeshHTTP
import Overlay
import Testing
@testable import CourseMesh

/// Real `coursemesh serve` processes on 127.0.0.1 forming one overlay over HTTP.
@Suite(.serialized)
struct OverlayLiveTests {
    static let nodeCount = 16
    static let keyCount = 10_000
    static let replicas = OverlayConfiguration().replicas

    /// Where each key lives: its R holders by the full table (owner first).
    static func holders(of keys: [RingKey], members: [NodeURL]) -> [RingKey: [NodeURL]] {
        let view = MembershipView(states: members.map { MemberState(url: $0, version: 1, alive: true) })
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, view.replicaSet(of: $0, replicas: replicas)) })
    }

    /// Fetches `keys` from `node` in pages; returns the keys it holds.
    static func held(_ keys: [RingKey], on node: NodeURL, transport: HTTPTransport) async throws -> Set<RingKey> {
        var found = Set<RingKey>()
        for start in stride(from: 0, to: keys.count, by: WireLimits.maxItemsPerMessage) {
            let page = Array(keys[start..<min(keys.count, start + WireLimits.maxItemsPerMessage)])
            guard case .items(let reply) = try await transport.send(.fetch(FetchRequest(keys: page)), to: node, timeout: .seconds(20)) else {
                throw PlainServiceError(status: 500, code: "bad_reply", message: "fetch answered with another reply")
            }
            for item in reply.items { found.insert(item.key) }
        }
        return found
    }

    @Test(.timeLimit(.minutes(4)))
    func sixteenProcessesKeepEveryKeyThroughTwoKillsAndRestoreThreeHolders() async throws {
        let ring = try LiveRingProcesses()
        defer { ring.stopAll() }
        let transport = HTTPTransport(client: ring.client)

        // One ring of 16: the first starts it, the others join through it.
        try ring.start(0, bootstrap: nil)
        try await ring.waitForRing(members: 1, within: .seconds(20))
        for i in 1..<Self.nodeCount { try ring.start(i, bootstrap: 0) }
        try await ring.waitForRing(members: Self.nodeCount, within: .seconds(60))

        // 10,000 keys, each sent to its owner, which replicates to its successors.
        let keys = (0..<Self.keyCount).map { RingKey.hash("live-key-\($0)") }
        let holders = Self.holders(of: keys, members: ring.urls)
        let byOwner = Dictionary(grouping: keys) { holders[$0]![0] }
        for (owner, owned) in byOwner {
            for start in stride(from: 0, to: owned.count, by: WireLimits.maxItemsPerMessage) {
                let items = owned[start..<min(owned.count, start + WireLimits.maxItemsPerMessage)].map {
                    StoredItem(key: $0, version: 1, value: Array($0.hex.prefix(8).utf8))
                }
                let reply = try await transport.send(.store(StoreRequest(items: items, replicate: true)), to: owner, timeout: .seconds(30))
                #expect(reply == .ack(AckReply()))
            }
        }

        // kill -9 two nodes: every key is still readable from one of its live holders.
        let victims = [3, 11]
        for v in victims { ring.kill(v) }
        let live = ring.urls.enumerated().filter { !victims.contains($0.offset) }.map(\.element)
        var readable = Set<RingKey>()
        for node in live {
            let asked = keys.filter { holders[$0]!.contains(node) && !readable.contains($0) }
            readable.formUnion(try await Self.held(asked, on: node, transport: transport))
        }
        #expect(readable.count == Self.keyCount, "\(Self.keyCount - readable.count) keys lost with two nodes down")

        // Restart them on their old data: they rejoin, and every key is on all 3 of its holders.
        for v in victims { try ring.start(v, bootstrap: 0) }
        try await ring.waitForRing(members: Self.nodeCount, within: .seconds(60))
        var copies: [RingKey: Int] = [:]
        for node in ring.urls {
            let mine = keys.filter { holders[$0]!.contains(node) }
            for key in try await Self.held(mine, on: node, transport: transport) { copies[key, default: 0] += 1 }
        }
        let short = keys.filter { copies[$0, default: 0] < Self.replicas }
        #expect(short.isEmpty, "\(short.count) keys on fewer than \(Self.replicas) holders after the restart")
    }

    @Test(.timeLimit(.minutes(2)))
    func aJoinWhoseCallbackAnswersAnotherIdIsRefused() async throws {
        let ring = try LiveRingProcesses()
        defer { ring.stopAll() }
        try ring.start(0, bootstrap: nil)
        try await ring.waitForRing(members: 1, within: .seconds(20))

        // A server that claims to be node 0 when its ping is called back.
        let impostorPort = try freePort()
        let impostor = try NodeURL("http://127.0.0.1:\(impostorPort)")
        let claimed = MemberState(url: ring.url(0), version: 1, alive: true)
        var router = Router()
        let pong: HTTPHandler = { _, _ in .json(try JSONCoding.encode(PingReply(member: claimed))) }
        router.get("/overlay/v1/ping", pong)
        router.post("/overlay/v1/ping", pong)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: impostorPort), router: router,
                                logger: Logger(label: "impostor", sink: .discard))
        _ = try await server.start()

        let transport = HTTPTransport(client: ring.client)
        do throws(TransportError) {
            _ = try await transport.send(.join(JoinRequest(member: MemberState(url: impostor, version: 5, alive: true))),
                                         to: ring.url(0), timeout: .seconds(10))
            Issue.record("the spoofed join was admitted")
        } catch {
            guard case .rejected(let status, let code, let message) = error else { Issue.record("got \(error)"); return }
            #expect(status == 403 && code == "join_refused")
            #expect(message.contains(impostor.string) && message.contains(ring.url(0).string))
        }
        #expect(await ring.report(0)?.members == 1)
        await server.shutdown(grace: .seconds(1))
    }
}
