import Foundation
import Glibc
import MeshCore
import Testing
@testable import MeshHTTP

/// `HTTPClient` called from `.asyncOnLoop` handlers: requests go out from the server's own
/// event loop (`LoopClient`) and must behave like libcurl's path in every outcome.
@Suite(.serialized)
struct LoopClientLiveTests {
    /// A front server whose `POST /forward` sends, with `client`, one request per body line
    /// (`METHOD URL [TIMEOUT_MS]`) in one `sendAll`, and answers `loop` or `pool` (where the
    /// handler ran) then one line per outcome: `ok STATUS BODY` or `error CODE`.
    private func withFront(client: HTTPClient, _ body: (Int) async throws -> Void) async throws {
        var router = Router()
        router.on(.post, "/forward", handler: .asyncOnLoop { request, _ in
            let onLoop = EventLoop.current != nil
            let requests = String(decoding: request.body, as: UTF8.self).split(separator: "\n").map { line in
                let parts = line.split(separator: " ").map(String.init)
                let body = parts[0] == "POST" ? [UInt8](repeating: UInt8(ascii: "b"), count: 100_000) : []
                return HTTPClientRequest(method: parts[0], url: parts[1], body: body,
                                         timeout: parts.count > 2 ? .milliseconds(Int(parts[2])!) : nil)
            }
            let outcomes = await client.sendAll(requests).map { result in
                switch result {
                case .success(let r): "ok \(r.status) " + (r.body.count > 1000 ? "\(r.body.count) bytes" : r.bodyText)
                case .failure(let e): "error \(e.code)"
                }
            }
            return .text(([onLoop ? "loop" : "pool"] + outcomes).joined(separator: "\n"))
        })
        // Sends a GET to the body's URL in a child task (which keeps the loop preference), cancels
        // it after 50 ms, and answers the outcome and how long it took.
        router.on(.post, "/cancel", handler: .asyncOnLoop { request, _ in
            let url = String(decoding: request.body, as: UTF8.self)
            let start = ContinuousClock.now
            let outcome = await withTaskGroup(of: Result<HTTPClientResponse, HTTPClientError>.self) { group in
                group.addTask { await client.sendAll([HTTPClientRequest(url: url, timeout: .seconds(5))])[0] }
                try? await Task.sleep(for: .milliseconds(50))
                group.cancelAll()
                return await group.next()!
            }
            let took = (ContinuousClock.now - start).components
            let text: String = switch outcome {
            case .success(let r): "ok \(r.status)"
            case .failure(let e): "error \(e.code)"
            }
            return .text(text + " \(took.seconds * 1000 + took.attoseconds / 1_000_000_000_000_000)")
        })
        var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        config.eventLoops = 2
        let front = HTTPServer(configuration: config, router: router, logger: Logger(label: "front", level: .error))
        let port = try await front.start()[0].port
        try await body(port)
        await front.shutdown(grace: .seconds(2))
    }

    private func forward(_ lines: [String], front: Int, with client: HTTPClient) async throws -> [String] {
        let reply = try await client.send(method: "POST", url: "http://127.0.0.1:\(front)/forward",
                                          body: Array(lines.joined(separator: "\n").utf8))
        return reply.bodyText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func handlerRunsOnItsLoopAndKeepsOneConnectionToAPeer() async throws {
        try await withServer { peer, peerPort in
            let client = HTTPClient(), tester = HTTPClient()
            defer { client.shutdown(); tester.shutdown() }
            try await withFront(client: client) { front in
                for word in ["one", "two", "three"] {
                    let lines = try await forward(["GET http://127.0.0.1:\(peerPort)/echo/\(word)?q=a+b"], front: front, with: tester)
                    #expect(lines == ["loop", "ok 200 \(word)|a b"])
                }
                // Sequential requests from one loop reuse one kept-alive connection.
                #expect(await peer.connectionCount == 1)
            }
        }
    }

    @Test func outcomesMatchLibcurlsForEveryKindOfReply() async throws {
        try await withServer { _, peerPort in
            var settings = HTTPClientSettings()
            settings.maxResponseBytes = 2000
            let client = HTTPClient(settings: settings), tester = HTTPClient()
            defer { client.shutdown(); tester.shutdown() }
            let closed = try closedPort()
            let base = "http://127.0.0.1:\(peerPort)"
            let cases = ["GET \(base)/fail", "GET \(base)/big", "GET http://127.0.0.1:\(closed)/x",
                         "GET \(base)/slow 100", "GET \(base)/stream", "GET \(base)/nowhere"]
            try await withFront(client: client) { front in
                let start = ContinuousClock.now
                let lines = try await forward(cases, front: front, with: tester)
                #expect(lines == ["loop", "error peer_bad_status", "error peer_body_too_large", "error peer_refused",
                                  "error peer_timeout", "ok 200 one,two", "error peer_bad_status"])
                // The 100 ms timeout fires within the loop's sweep period, not the 400 ms reply.
                #expect(ContinuousClock.now - start < .milliseconds(390 + Int(EventLoop.sweepMilliseconds)))
            }
            // The same requests through libcurl (called off any loop) end the same way.
            for (line, expected) in zip(cases, ["peer_bad_status", "peer_body_too_large", "peer_refused", "peer_timeout"]) {
                let parts = line.split(separator: " ").map(String.init)
                do {
                    _ = try await client.send(url: parts[1], timeout: parts.count > 2 ? .milliseconds(Int(parts[2])!) : nil)
                    Issue.record("\(line) must fail")
                } catch let error as HTTPClientError {
                    #expect(error.code == expected)
                }
            }
        }
    }

    @Test func largeBodiesAndOneRoundToSeveralPeersKeepTheirOrder() async throws {
        try await withServer { _, first in
            try await withServer { _, second in
                let client = HTTPClient(), tester = HTTPClient()
                defer { client.shutdown(); tester.shutdown() }
                try await withFront(client: client) { front in
                    let lines = try await forward(["POST http://127.0.0.1:\(first)/echo", "GET http://127.0.0.1:\(second)/echo/b",
                                                   "GET http://localhost:\(second)/echo/byname", "GET http://127.0.0.1:\(first)/echo/a"],
                                                  front: front, with: tester)
                    // The 100,000-byte body goes out in several writes and comes back whole; a host
                    // name (sent through libcurl, since a loop never resolves names) still works.
                    #expect(lines == ["loop", "ok 200 100000 bytes", "ok 200 b|", "ok 200 byname|", "ok 200 a|"])
                }
            }
        }
    }

    @Test func cancellingTheCallerAbandonsALoopRequestAtOnce() async throws {
        try await withServer { _, peerPort in
            let client = HTTPClient(), tester = HTTPClient()
            defer { client.shutdown(); tester.shutdown() }
            try await withFront(client: client) { front in
                let reply = try await tester.send(method: "POST", url: "http://127.0.0.1:\(front)/cancel",
                                                  body: Array("http://127.0.0.1:\(peerPort)/slow".utf8))
                let parts = reply.bodyText.split(separator: " ")
                #expect(parts.prefix(2) == ["error", "peer_request_cancelled"])
                // Abandoned when cancelled (after 50 ms), not when the peer answered (400 ms).
                #expect(Int(parts.last!)! < 350)
            }
        }
    }

    @Test func peerThatClosesEveryConnectionStillAnswersEachRequest() async throws {
        // A peer that answers HTTP/1.1 without `Connection: close`, then closes the connection.
        let script = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(16)
        print(s.getsockname()[1], flush=True)
        n = 0
        while True:
            c, _ = s.accept(); data = b""
            while b"\\r\\n\\r\\n" not in data:
                chunk = c.recv(4096)
                if not chunk: break
                data += chunk
            n += 1; body = str(n).encode()
            c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: " + str(len(body)).encode() + b"\\r\\n\\r\\n" + body); c.close()
        """
        let (process, port) = try startPythonServer(script)
        defer { kill(process.processIdentifier, SIGKILL) }
        let client = HTTPClient(), tester = HTTPClient()
        defer { client.shutdown(); tester.shutdown() }
        try await withFront(client: client) { front in
            for expected in 1...5 {
                let lines = try await forward(["GET http://127.0.0.1:\(port)/n"], front: front, with: tester)
                #expect(lines == ["loop", "ok 200 \(expected)"])
            }
        }
    }

    /// A loopback port nothing listens on (bound, then closed).
    private func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
