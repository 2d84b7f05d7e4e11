import Foundation
import MeshCore
import MeshHTTP
import Overlay
import Synchronization
import Testing
@testable import CourseMesh

/// Requests per `get` and per `put` of a node that joined a ring of real `coursemesh serve`
/// processes over HTTP: the figures Docs/benchmarks.md compares with a Kademlia DHT.
@Suite(.serialized)
struct OverlayRequestCountTests {
    /// `HTTPTransport` that counts the requests it sends, by path.
    final class CountingTransport: Transport {
        let inner: HTTPTransport
        let counts = Mutex<[String: Int]>([:])
        init(_ inner: HTTPTransport) { self.inner = inner }
        func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply {
            counts.withLock { $0[request.endpoint.path, default: 0] += 1 }
            return try await inner.send(request, to: node, timeout: timeout)
        }
        func take() -> [String: Int] { counts.withLock { c in defer { c = [:] }; return c } }
    }

    static let operations = Int(ProcessInfo.processInfo.environment["OVERLAY_BENCH_OPS"] ?? "") ?? 500

    @Test(.timeLimit(.minutes(3)))
    func aMemberOfASixteenNodeRingGetsInOneRequestAndPutsInR() async throws {
        let ring = try LiveRingProcesses()
        defer { ring.stopAll() }
        try ring.start(0, bootstrap: nil)
        try await ring.waitForRing(members: 1, within: .seconds(20))
        for i in 1..<15 { try ring.start(i, bootstrap: 0) }
        try await ring.waitForRing(members: 15, within: .seconds(60))

        // The 16th member runs in this process, so its requests can be counted.
        let port = try freePort()
        let transport = CountingTransport(HTTPTransport(client: ring.client))
        let me = try NodeURL("http://127.0.0.1:\(port)")
        let node = OverlayNode(url: me, site: "https://bench.example.edu", incarnation: 1, transport: transport,
                               clock: SystemClock(), store: MemoryKeyValueStore())
        var router = Router()
        OverlayRoutes.install(on: &router, member: node)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: router,
                                logger: Logger(label: "bench", sink: .discard))
        _ = try await server.start()
        try await node.join(via: ring.url(0))
        try await ring.waitForRing(members: 16, within: .seconds(60))
        #expect(await node.memberCount == 16)
        _ = transport.take()

        let keys = (0..<Self.operations).map { RingKey.hash("bench-\($0)") }
        let putStart = ContinuousClock.now
        for key in keys { try await node.put([StoredItem(key: key, version: 1, value: [1, 2, 3])]) }
        let putTime = ContinuousClock.now - putStart
        let puts = transport.take()
        let getStart = ContinuousClock.now
        var found = 0
        for key in keys where try await node.get(key: key).first?.value.bytes == [1, 2, 3] { found += 1 }
        let getTime = ContinuousClock.now - getStart
        let gets = transport.take()
        #expect(found == keys.count)

        let n = Double(keys.count)
        func perOp(_ c: [String: Int]) -> String { String(format: "%.2f", Double(c.values.reduce(0, +)) / n) }
        print("overlay-bench nodes=16 ops=\(keys.count) requests_per_put=\(perOp(puts)) \(puts) "
              + "requests_per_get=\(perOp(gets)) \(gets) put_mean_ms=\(putTime.milliseconds / Int64(keys.count)) "
              + "get_mean_us=\(getTime.milliseconds * 1000 / Int64(keys.count))")
        await node.leave()
        await server.shutdown(grace: .seconds(1))
    }
}
