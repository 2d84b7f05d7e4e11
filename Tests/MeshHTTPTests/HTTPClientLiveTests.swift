import Foundation
import Glibc
import MeshCore
import Testing
@testable import MeshHTTP

/// Python's standard-library HTTP/1.1 server, started on port 0: a real, independent peer.
/// `POST /echo` returns the body; `GET /hello` returns a small JSON object.
final class PythonTestServer: Sendable {
    let port: Int
    private let process: Process

    init() throws {
        let script = """
        import http.server, json, sys
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def answer(self, status, body, kind="application/json"):
                self.send_response(status); self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def do_GET(self):
                if self.path == "/hello": self.answer(200, json.dumps({"greeting": "hello"}).encode())
                else: self.answer(404, json.dumps({"error": {"code": "not_found", "message": "no such path"}}).encode())
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.answer(200, body, self.headers.get("Content-Type", "application/octet-stream"))
            do_PUT = do_POST
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        (process, port) = try startPythonServer(script)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Kills the server; Foundation's process monitor reaps it. (`waitUntilExit` can hang when
    /// called off the main thread on Linux, so the test does not wait.)
    func stop() { kill(process.processIdentifier, SIGKILL) }
}

/// Runs `script` with python3; it must print the port it listens on as its first line.
/// Returns the process (kill it when done) and that port. Throws if no port is printed.
func startPythonServer(_ script: String) throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    var line = [UInt8]()
    var byte: UInt8 = 0
    while Glibc.read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
        line.append(byte)
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
        process.terminate()
        throw POSIXError(.ECONNREFUSED)
    }
    return (process, port)
}

struct Greeting: Codable, Equatable { var greeting: String }

@Suite(.serialized) struct HTTPClientLiveTests {
    @Test func getsAndPostsJSONAgainstPythonServer() async throws {
        let server = try PythonTestServer()
        defer { server.stop() }
        let client = HTTPClient()
        let hello = try await client.getJSON(server.url("/hello"), as: Greeting.self)
        #expect(hello == Greeting(greeting: "hello"))
        let echoed = try await client.postJSON(server.url("/echo"), Greeting(greeting: "hola"), as: Greeting.self)
        #expect(echoed == Greeting(greeting: "hola"))
        let raw = try await client.send(method: "PUT", url: server.url("/echo"), body: Array("abc".utf8))
        #expect(raw.status == 200 && raw.bodyText == "abc")
    }

    @Test func badStatusCarriesThePeersErrorBody() async throws {
        let server = try PythonTestServer()
        defer { server.stop() }
        let client = HTTPClient()
        await #expect(throws: HTTPClientError.badStatus(url: server.url("/nope"), status: 404, code: "not_found", detail: "no such path")) {
            _ = try await client.get(server.url("/nope"))
        }
    }

    @Test func reusesOneKeepAliveConnectionForSequentialRequests() async throws {
        let server = try RawTestServer { _ in (.zero, RawTestServer.reply(200, "ok")) }
        defer { server.stop() }
        let client = HTTPClient()
        for _ in 0..<5 { _ = try await client.send(method: "POST", url: server.url("/x"), body: Array("1234".utf8)) }
        #expect(server.snapshot.requests == 5)
        #expect(server.snapshot.accepted == 1)
    }

    @Test func slowPeerTimesOut() async throws {
        let server = try RawTestServer { _ in (.seconds(3), RawTestServer.reply(200, "late")) }
        defer { server.stop() }
        let client = HTTPClient()
        let start = ContinuousClock.now
        await #expect(throws: HTTPClientError.timeout(url: server.url("/slow"), after: .milliseconds(300))) {
            _ = try await client.get(server.url("/slow"), timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func closedPortIsConnectionRefused() async throws {
        let port = try closedPort()
        let client = HTTPClient()
        await #expect(throws: HTTPClientError.connectionRefused(peer: "127.0.0.1:\(port)")) {
            _ = try await client.get("http://127.0.0.1:\(port)/")
        }
    }

    @Test func unresolvableHostIsDNSFailure() async throws {
        let client = HTTPClient()
        await #expect(throws: HTTPClientError.dnsFailure(host: "no-such-peer.invalid")) {
            _ = try await client.get("http://no-such-peer.invalid:8080/", timeout: .seconds(5))
        }
    }

    @Test func replyOverTheSizeLimitIsRefused() async throws {
        let big = String(repeating: "x", count: 5000)
        let server = try RawTestServer { head in
            if head.hasPrefix("GET /chunked") {
                let chunk = String(big.count, radix: 16)
                return (.zero, Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(chunk)\r\n\(big)\r\n0\r\n\r\n".utf8))
            }
            return (.zero, RawTestServer.reply(200, big))
        }
        defer { server.stop() }
        var settings = HTTPClientSettings()
        settings.maxResponseBytes = 1000
        let client = HTTPClient(settings: settings)
        await #expect(throws: HTTPClientError.bodyTooLarge(url: server.url("/sized"), limit: 1000)) {
            _ = try await client.get(server.url("/sized"))
        }
        await #expect(throws: HTTPClientError.bodyTooLarge(url: server.url("/chunked"), limit: 1000)) {
            _ = try await client.get(server.url("/chunked"))
        }
    }

    @Test func concurrentRequestsToOnePeerStayWithinTheConnectionLimit() async throws {
        let server = try RawTestServer { _ in (.milliseconds(100), RawTestServer.reply(200, "ok")) }
        defer { server.stop() }
        var settings = HTTPClientSettings()
        settings.maxConnectionsPerPeer = 3
        let client = HTTPClient(settings: settings)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await client.get(server.url("/c")).status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect(server.snapshot.requests == 12)
        #expect(server.snapshot.maxOpen <= 3)
        #expect(server.snapshot.accepted <= 3)
    }

    @Test func sendAllReturnsEachOutcomeInOrderAndRunsThemInParallel() async throws {
        let server = try RawTestServer { head in
            (.milliseconds(300), RawTestServer.reply(head.hasPrefix("GET /missing") ? 404 : 200, String(head.split(whereSeparator: \.isNewline)[0])))
        }
        defer { server.stop() }
        let closed = try closedPort()
        let client = HTTPClient()
        let start = ContinuousClock.now
        let results = await client.sendAll([
            HTTPClientRequest(url: server.url("/a")),
            HTTPClientRequest(url: "http://127.0.0.1:\(closed)/"),
            HTTPClientRequest(method: "POST", url: server.url("/b"), body: Array("x".utf8)),
            HTTPClientRequest(url: "not a url"),
            HTTPClientRequest(url: server.url("/missing")),
        ])
        // Three 300 ms replies in well under 900 ms: sent in parallel, not one after another.
        #expect(ContinuousClock.now - start < .milliseconds(800))
        #expect(results.count == 5)
        #expect((try? results[0].get())?.bodyText == "GET /a HTTP/1.1")
        #expect(results[1] == .failure(.connectionRefused(peer: "127.0.0.1:\(closed)")))
        #expect((try? results[2].get())?.bodyText == "POST /b HTTP/1.1")
        #expect(results[3] == .failure(.invalidURL("not a url")))
        guard case .failure(.badStatus(_, 404, _, _)) = results[4] else { Issue.record("expected a 404, got \(results[4])"); return }
        #expect(await client.sendAll([]).isEmpty)
    }

    @Test func cancellingASendAllAbandonsEveryRequest() async throws {
        let server = try RawTestServer { _ in (.seconds(3), RawTestServer.reply(200, "late")) }
        defer { server.stop() }
        let client = HTTPClient()
        let start = ContinuousClock.now
        let task = Task { await client.sendAll([HTTPClientRequest(url: server.url("/1")), HTTPClientRequest(url: server.url("/2"))]) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let results = await task.value
        #expect(results == [.failure(.cancelled(url: server.url("/1"))), .failure(.cancelled(url: server.url("/2")))])
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func cancellingTheTaskAbandonsTheRequest() async throws {
        let server = try RawTestServer { _ in (.seconds(3), RawTestServer.reply(200, "late")) }
        defer { server.stop() }
        let client = HTTPClient()
        let start = ContinuousClock.now
        let task = Task { try await client.get(server.url("/wait")) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: HTTPClientError.cancelled(url: server.url("/wait"))) { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func shutdownFailsLaterRequestsAsCancelled() async throws {
        let client = HTTPClient()
        client.shutdown()
        await #expect(throws: HTTPClientError.cancelled(url: "http://127.0.0.1:1/")) {
            _ = try await client.get("http://127.0.0.1:1/")
        }
    }
}
