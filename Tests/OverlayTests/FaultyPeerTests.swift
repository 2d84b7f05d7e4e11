import Synchronization
import Testing
import MeshCore
@testable import Overlay

/// A transport that makes chosen peers misbehave as seen from one node: garbage replies (what
/// the HTTP transport reports for an undecodable body) or silence until the timeout (what it
/// reports for a peer that answers too slowly), waiting the real `timeout` first.
final class FaultyPeerTransport: Transport {
    enum Fault: Sendable { case garbage, slow }
    let inner: any Transport
    let faults = Mutex<[NodeURL: Fault]>([:])
    let failedCalls = Atomic<Int>(0)

    init(inner: any Transport) { self.inner = inner }

    func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply {
        switch faults.withLock({ $0[node] }) {
        case .garbage?:
            failedCalls.add(1, ordering: .relaxed)
            throw .malformedReply("Malformed overlay message: unexpected byte 0x3c at offset 0")
        case .slow?:
            failedCalls.add(1, ordering: .relaxed)
            try? await Task.sleep(for: timeout)
            throw .timeout
        case nil:
            return try await inner.send(request, to: node, timeout: timeout)
        }
    }
}

/// A peer that answers slowly or with garbage: the asker gives up after one timeout per bad
/// holder and reads the key from a replica; with every holder bad it fails loudly, never
/// returning a silently empty answer.
@Suite struct FaultyPeerTests {
    static func cluster() async throws -> (OverlayTestCluster, OverlayNode, FaultyPeerTransport) {
        var configuration = OverlayConfiguration()
        configuration.requestTimeout = .milliseconds(300)
        var c = try await OverlayTestCluster.ring(8, configuration: configuration)
        let url = OverlayTestCluster.url(100)
        let faulty = FaultyPeerTransport(inner: c.network.transport(for: url))
        let asker = OverlayNode(url: url, site: nil, incarnation: 1, transport: faulty, clock: c.clock,
                                store: MemoryKeyValueStore(), configuration: configuration)
        c.network.register(asker)
        c.nodes.append(asker)
        try await asker.join(via: OverlayTestCluster.url(0))
        await c.tick(6)
        return (c, asker, faulty)
    }

    /// A key whose three holders, by the asker's table, do not include the asker.
    static func remoteKey(_ asker: OverlayNode) async -> (RingKey, [NodeURL]) {
        for i in 0..<1000 {
            let key = RingKey.term("fault\(i)")
            let holders = await asker.replicaSet(of: key)
            if holders.count == 3 && !holders.contains(asker.url) { return (key, holders) }
        }
        fatalError("no remote key in 1,000 tries")
    }

    @Test(arguments: [FaultyPeerTransport.Fault.garbage, .slow])
    func aBadOwnerIsSkippedAndTheKeyIsReadFromAReplica(_ fault: FaultyPeerTransport.Fault) async throws {
        let (c, asker, faulty) = try await Self.cluster()
        let (key, holders) = await Self.remoteKey(asker)
        let item = StoredItem(key: key, name: "site:a", version: 1, value: Array("postings".utf8))
        try await c.nodes[0].put([item])
        faulty.faults.withLock { $0[holders[0]] = fault; $0[holders[1]] = fault }
        let start = ContinuousClock.now
        let items = try await asker.get(key: key)
        let elapsed = ContinuousClock.now - start
        #expect(items == [item], "read from the third holder")
        #expect(faulty.failedCalls.load(ordering: .relaxed) == 2, "one try per bad holder, no retries")
        // Two 300 ms timeouts; the slack is for a loaded 2-core machine running other suites beside this one.
        #expect(elapsed < .seconds(3), "bounded by one timeout per bad holder, took \(elapsed)")
    }

    @Test func everyHolderBadIsAnErrorNotAnEmptyAnswer() async throws {
        let (c, asker, faulty) = try await Self.cluster()
        let (key, holders) = await Self.remoteKey(asker)
        try await c.nodes[0].put([StoredItem(key: key, name: "site:a", version: 1, value: [1])])
        faulty.faults.withLock { for h in holders { $0[h] = .garbage } }
        await #expect(throws: TransportError.self) { _ = try await asker.get(key: key) }
    }
}
