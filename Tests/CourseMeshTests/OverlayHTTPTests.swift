import MeshCore
import MeshHTTP
import Overlay
import Synchronization
import Testing
@testable import CourseMesh

/// `HTTPTransport` against `OverlayRoutes` on a real MeshHTTP server on 127.0.0.1: every reply
/// shape, the error mapping, and that refused messages never reach the node.
@Suite(.serialized)
struct OverlayHTTPTests {
    /// A stand-in node: answers pings as `member`, stores items, echoes app payloads, and counts
    /// every request that got past decoding.
    final class StubNode: Sendable {
        let member: MemberState
        let handled = Mutex<[OverlayRequest]>([])
        let store = MemoryKeyValueStore()

        init(url: NodeURL) { member = MemberState(url: url, version: 7, alive: true) }

        func handle(_ request: OverlayRequest) async throws(OverlayError) -> OverlayReply {
            handled.withLock { $0.append(request) }
            switch request {
            case .ping: return .pong(PingReply(member: member, site: "https://moodle.example.edu"))
            case .store(let m): store.putNow(m.items); return .ack(AckReply())
            case .fetch(let m): return .items(ItemsReply(items: m.keys.flatMap { store.items(at: $0) }))
            case .deliver(let m):
                guard m.app == "echo" else { throw .unknownApplication(m.app) }
                return .payload(m.payload.reversed())
            case .join: throw .notMember("still joining")
            default: throw .unknownEndpoint("stub")
            }
        }
        var count: Int { handled.withLock { $0.count } }
    }

    /// Runs `body` with a server on a free loopback port whose overlay routes go to a stub node.
    static func withServer(_ body: (NodeURL, StubNode, HTTPTransport) async throws -> Void) async throws {
        var router = Router()
        let port = try freePort()
        let url = try NodeURL("http://127.0.0.1:\(port)")
        let stub = StubNode(url: url)
        OverlayRoutes.install(on: &router) { request throws(OverlayError) in try await stub.handle(request) }
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: router,
                                logger: Logger(label: "t", sink: .discard))
        _ = try await server.start()
        let client = HTTPClient()
        do {
            try await body(url, stub, HTTPTransport(client: client))
        } catch {
            client.shutdown(); await server.shutdown(grace: .seconds(1)); throw error
        }
        client.shutdown()
        await server.shutdown(grace: .seconds(1))
    }

    @Test func pingStoreFetchAndDeliverRoundTripOverHTTP() async throws {
        try await Self.withServer { url, stub, transport in
            let pong = try await transport.send(.ping(PingRequest(from: nil)), to: url, timeout: .seconds(5))
            guard case .pong(let reply) = pong else { Issue.record("expected a pong, got \(pong)"); return }
            #expect(reply.id == url.id && reply.site == "https://moodle.example.edu")

            let item = StoredItem(key: .term("chemistry"), name: "a", version: 3, value: [1, 2, 3])
            let ack = try await transport.send(.store(StoreRequest(items: [item], replicate: true)), to: url, timeout: .seconds(5))
            #expect(ack == .ack(AckReply()))
            let fetched = try await transport.send(.fetch(FetchRequest(keys: [.term("chemistry")])), to: url, timeout: .seconds(5))
            #expect(fetched == .items(ItemsReply(items: [item])))

            let echoed = try await transport.send(.deliver(DeliverRequest(app: "echo", payload: [0, 255, 7])), to: url, timeout: .seconds(5))
            #expect(echoed == .payload([7, 255, 0]))
            #expect(stub.count == 4)
        }
    }

    @Test func sendAllGivesEachRequestWhatSendWouldHave() async throws {
        try await Self.withServer { url, stub, transport in
            let closed = try NodeURL("http://127.0.0.1:\(try freePort())")
            let results = await transport.sendAll([
                (.deliver(DeliverRequest(app: "echo", payload: [1, 2])), url),
                (.ping(PingRequest(from: nil)), closed),
                (.deliver(DeliverRequest(app: "nope", payload: [1])), url),
                (.ping(PingRequest(from: nil)), url),
            ], timeout: .seconds(5))
            #expect(results.count == 4)
            #expect(try results[0].get() == .payload([2, 1]))
            guard case .failure(.unreachable) = results[1] else { Issue.record("expected unreachable, got \(results[1])"); return }
            guard case .failure(.rejected(404, "unknown_application", _)) = results[2] else { Issue.record("expected a refusal, got \(results[2])"); return }
            guard case .pong(let pong) = try results[3].get() else { Issue.record("expected a pong, got \(results[3])"); return }
            #expect(pong.id == url.id)
            #expect(stub.count == 3)
        }
    }

    @Test func errorRepliesBecomeRejectedWithTheNodesStatusAndCode() async throws {
        try await Self.withServer { url, _, transport in
            await #expect(throws: TransportError.self) {
                _ = try await transport.send(.deliver(DeliverRequest(app: "nope", payload: [1])), to: url, timeout: .seconds(5))
            }
            do throws(TransportError) {
                _ = try await transport.send(.join(JoinRequest(member: MemberState(url: url, version: 1, alive: true))),
                                             to: url, timeout: .seconds(5))
                Issue.record("a refused join must throw")
            } catch {
                guard case .rejected(let status, let code, let message) = error else { Issue.record("got \(error)"); return }
                #expect(status == 503 && code == "not_member" && message.contains("still joining"))
            }
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let url = try NodeURL("http://127.0.0.1:\(try freePort())")
        let client = HTTPClient()
        defer { client.shutdown() }
        do throws(TransportError) {
            _ = try await HTTPTransport(client: client).send(.ping(PingRequest(from: nil)), to: url, timeout: .seconds(3))
            Issue.record("nothing listens there")
        } catch {
            guard case .unreachable = error else { Issue.record("expected unreachable, got \(error)"); return }
        }
    }

    @Test func malformedOversizeAndUnknownMessagesAreRefusedAndNeverReachTheNode() async throws {
        try await Self.withServer { url, stub, _ in
            let client = HTTPClient()
            defer { client.shutdown() }
            func post(_ path: String, _ body: [UInt8], method: String = "POST") async -> (Int, String?) {
                do {
                    let r = try await client.send(method: method, url: url.endpoint(path),
                                                  headers: [("Content-Type", "application/json")], body: body, timeout: .seconds(10))
                    return (r.status, nil)
                } catch {
                    if case .badStatus(_, let status, let code, _) = error { return (status, code) }
                    return (0, "\(error)")
                }
            }
            #expect(await post("/overlay/v1/store", Array(#"{"items":[{"key":"zz"}],"v":1}"#.utf8)) == (400, "malformed_message"))
            #expect(await post("/overlay/v1/store", Array(#"{"items":[],"replicate":true,"v":2}"#.utf8)) == (400, "unsupported_version"))
            #expect(await post("/overlay/v1/nothing", Array("{}".utf8)) == (404, "unknown_endpoint"))
            #expect(await post("/overlay/v1/app/Bad%20Name", [1]) == (400, "malformed_message"))
            let tooMany = (0..<(WireLimits.maxItemsPerMessage + 1)).map {
                StoredItem(key: .term("t\($0)"), version: 1, value: [1])
            }
            let body = try JSONCoding.encode(StoreRequest(items: tooMany, replicate: false))
            #expect(await post("/overlay/v1/store", body) == (413, "message_too_large"))
            let huge = [UInt8](repeating: 0x20, count: WireLimits.maxRequestBytes + 1)
            let (status, _) = await post("/overlay/v1/store", huge)
            #expect(status == 413)
            #expect(stub.count == 0)
            #expect(stub.store.count == 0)
        }
    }
}
