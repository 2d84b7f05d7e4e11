#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import MeshCore
@testable import MeshHTTP

/// A raw TCP client for byte-exact requests (blocking, with a receive timeout; test-only).
struct RawClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if r != 0 { throw PlainServiceError(status: 500, code: "connect", message: "connect failed \(errno)") }
    }

    func send(_ text: String) { let b = Array(text.utf8); _ = b.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    /// Reads until `predicate` holds, the peer closes, or the timeout, on a thread of its own:
    /// a blocking `recv` on Swift's small shared pool could starve the server's async handlers.
    func read(until predicate: @escaping @Sendable (String) -> Bool) async -> (text: String, closed: Bool) {
        await offPool { readBlocking(until: predicate) }
    }

    func readBlocking(until predicate: (String) -> Bool) -> (text: String, closed: Bool) {
        var all: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { return (String(decoding: all, as: UTF8.self), n == 0) }
            all.append(contentsOf: buf[0..<n])
            if predicate(String(decoding: all, as: UTF8.self)) { return (String(decoding: all, as: UTF8.self), false) }
        }
    }

    func readToClose() async -> (text: String, closed: Bool) { await read(until: { _ in false }) }
    func close() { Glibc.close(fd) }
}

/// Runs `body` on a new thread and returns its result, keeping blocking test I/O off Swift's
/// cooperative pool (on 2 cores it has 2 threads, which the server's async handlers need).
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Runs `program` with `arguments` on its own thread, returning stdout (test-only; bounded by
/// the tools' own timeouts).
func run(_ program: String, _ arguments: [String]) async throws -> String {
    try await offPool { Result { try runBlocking(program, arguments) } }.get()
}

func runBlocking(_ program: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

func testRouter() -> Router {
    var r = Router()
    r.getImmediate("/health") { _, _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
    r.get("/echo/:word") { req, p in .text("\(p["word"] ?? "")|\(req.query["q"] ?? "")") }
    r.post("/echo") { req, _ in HTTPResponse(headers: ["Content-Type": "application/octet-stream"], body: req.body) }
    r.post("/small", bodyLimit: 8) { req, _ in .text("\(req.body.count)") }
    r.get("/slow") { _, _ in try await Task.sleep(for: .milliseconds(400)); return .text("slow done") }
    r.get("/fail") { _, _ in throw PlainServiceError(status: 409, code: "conflict", message: "Already there.") }
    r.get("/bug") { _, _ in struct Oops: Error {}; throw Oops() }
    r.get("/big") { _, _ in .json(Array(("[" + Array(repeating: #"{"title":"Linear algebra"}"#, count: 100).joined(separator: ",") + "]").utf8)) }
    // Answered on the loop for "now"; any other word passes to the async handler, after a pause.
    r.on(.get, "/quick/:word", handler: .immediateFirst({ _, p in p["word"] == "now" ? .text("immediate now") : nil },
                                                        fallback: { _, p in
        try await Task.sleep(for: .milliseconds(200))
        return .text("async \(p["word"] ?? "")")
    }))
    r.get("/stream") { _, _ in HTTPResponse(stream: { w in try await w.write(Array("one,".utf8)); try await w.write(Array("two".utf8)) }) }
    return r
}

func withServer(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                _ body: (HTTPServer, Int) async throws -> Void) async throws {
    var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
    config.eventLoops = 2
    configure(&config)
    let server = HTTPServer(configuration: config, router: testRouter(), logger: Logger(label: "test", level: .error))
    let addresses = try await server.start()
    try await body(server, addresses[0].port)
    await server.shutdown(grace: .seconds(2))
}

@Suite(.serialized)
struct ServerLiveTests {
    @Test func curlKeepAliveReusesOneConnection() async throws {
        try await withServer { _, port in
            let out = try await run("/usr/bin/curl", ["-sv", "-m", "30", "http://127.0.0.1:\(port)/health", "http://127.0.0.1:\(port)/echo/hi?q=a+b"])
            #expect(out.contains(#"{"status":"ok"}"#))
            #expect(out.contains("hi|a b"))
        }
        // curl -v reports reuse on stderr; check it via python below for determinism.
    }

    @Test func pythonHttpClientReusesConnectionAndPostsBody() async throws {
        try await withServer { _, port in
            let script = """
            import http.client
            c = http.client.HTTPConnection('127.0.0.1', \(port), timeout=30)
            c.request('GET', '/health'); r = c.getresponse(); a = r.read(); s1 = c.sock
            c.request('POST', '/echo', body=b'x' * 5000); r2 = c.getresponse(); b = r2.read()
            print(r.status, a.decode(), r2.status, len(b), c.sock is s1)
            """
            let out = try await run("/usr/bin/env", ["python3", "-c", script])
            #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == #"200 {"status":"ok"} 200 5000 True"#)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/two HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            let (text, _) = await c.read(until: { $0.contains(#"{"status":"ok"}"#) })
            let a = text.range(of: "slow done"), b = text.range(of: "two|"), h = text.range(of: "status")
            #expect(a != nil && b != nil && h != nil)
            if let a, let b, let h { #expect(a.lowerBound < b.lowerBound && b.lowerBound < h.lowerBound) }
        }
    }

    @Test func immediateFirstRouteAnswersOnTheLoopOrPassesToItsAsyncHandlerInOrder() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            // The passed request is still in flight when the immediate one arrives behind it.
            c.send("GET /quick/later HTTP/1.1\r\nHost: x\r\n\r\nGET /quick/now HTTP/1.1\r\nHost: x\r\n\r\n")
            let (text, _) = await c.read(until: { $0.contains("immediate now") })
            let passed = text.range(of: "async later"), immediate = text.range(of: "immediate now")
            #expect(passed != nil && immediate != nil)
            if let passed, let immediate { #expect(passed.lowerBound < immediate.lowerBound) }
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        }
    }

    @Test func malformedRequestGets400AndClose() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n")
            let (text, closed) = await c.readToClose()
            #expect(text.hasPrefix("HTTP/1.1 400 "))
            #expect(text.contains("obsolete_line_folding"))
            #expect(text.contains("Connection: close"))
            #expect(closed)
        }
    }

    @Test("status codes for routing and limits", arguments: [
        ("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", "404"),
        ("DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n", "405"),
        ("BREW /health HTTP/1.1\r\nHost: x\r\n\r\n", "501"),
        ("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n", "409"),
        ("GET /bug HTTP/1.1\r\nHost: x\r\n\r\n", "500"),
        ("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n123456789", "413"),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 17_000))\r\n\r\n", "431"),
    ])
    func answersWithTheRightStatus(request: String, status: String) async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send(request)
            let (text, _) = await c.read(until: { $0.contains("\r\n\r\n") && $0.contains("}") })
            #expect(text.hasPrefix("HTTP/1.1 \(status) "), "\(text.prefix(80))")
            #expect(text.contains(#"{"error":{"code":"#))
            if status == "405" { #expect(text.contains("Allow: GET, HEAD\r\n")) }
            if status == "500" { #expect(text.contains("internal_error")) }
        }
    }

    @Test func serverSurvivesHandlerBugs() async throws {
        try await withServer { _, port in
            for _ in 0..<3 { _ = try await run("/usr/bin/curl", ["-s", "-m", "30", "http://127.0.0.1:\(port)/bug"]) }
            let out = try await run("/usr/bin/curl", ["-s", "-m", "30", "http://127.0.0.1:\(port)/health"])
            #expect(out == #"{"status":"ok"}"#)
        }
    }

    @Test func headHasLengthButNoBody() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send("HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let (text, closed) = await c.readToClose()
            #expect(text.contains("Content-Length: 15\r\n"))
            #expect(text.hasSuffix("\r\n\r\n"))
            #expect(closed)
        }
    }

    @Test func expectContinueGets100ThenTheAnswer() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
            let (interim, _) = await c.read(until: { $0.contains("\r\n\r\n") })
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"))
            c.send("abc")
            let (text, _) = await c.read(until: { $0.hasSuffix("abc") })
            #expect(text.contains("HTTP/1.1 200 OK"))
        }
    }

    @Test func gzipWhenAcceptedAndLargeEnough() async throws {
        try await withServer { _, port in
            let gz = try await run("/usr/bin/curl", ["-s", "-m", "30", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", "http://127.0.0.1:\(port)/big"])
            #expect(gz.contains("Content-Encoding: gzip"))
            let decoded = try await run("/usr/bin/curl", ["-s", "-m", "30", "--compressed", "http://127.0.0.1:\(port)/big"])
            #expect(decoded.hasPrefix(#"[{"title":"Linear algebra"}"#))
            let plain = try await run("/usr/bin/curl", ["-s", "-m", "30", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:\(port)/big"])
            #expect(!plain.contains("Content-Encoding"))
            let small = try await run("/usr/bin/curl", ["-s", "-m", "30", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", "http://127.0.0.1:\(port)/health"])
            #expect(!small.contains("Content-Encoding"))
        }
    }

    @Test func chunkedRequestAndStreamingResponse() async throws {
        try await withServer { _, port in
            let c = try RawClient(port: port)
            defer { c.close() }
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            let (text, _) = await c.read(until: { $0.hasSuffix("abcde") })
            #expect(text.contains("Content-Length: 5"))
            let out = try await run("/usr/bin/curl", ["-s", "-m", "30", "http://127.0.0.1:\(port)/stream"])
            #expect(out == "one,two")
        }
    }

    @Test func headerReadTimeoutAnswers408AndIdleTimeoutCloses() async throws {
        try await withServer({ $0.headerReadTimeout = .milliseconds(300); $0.idleTimeout = .milliseconds(300) }) { _, port in
            let slow = try RawClient(port: port)
            defer { slow.close() }
            slow.send("GET /health HTTP/1.1\r\nHo")
            let idle = try RawClient(port: port)
            defer { idle.close() }
            // A slow client does not hold up others.
            let fast = try await run("/usr/bin/curl", ["-s", "-m", "30", "http://127.0.0.1:\(port)/health"])
            #expect(fast == #"{"status":"ok"}"#)
            let (text, closed) = await slow.readToClose()
            #expect(text.hasPrefix("HTTP/1.1 408 "))
            #expect(closed)
            let (idleText, idleClosed) = await idle.readToClose()
            #expect(idleText.isEmpty && idleClosed)
        }
    }

    @Test func gracefulShutdownLetsInFlightRequestFinish() async throws {
        // The handler is held until the server is draining, so the request is in flight when the
        // stop begins however the test's tasks are scheduled.
        let gate = Gate()
        var router = testRouter()
        router.get("/gated") { _, _ in
            while !gate.isOpen { try await Task.sleep(for: .milliseconds(5)) }
            return .text("slow done")
        }
        var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        config.eventLoops = 1
        let server = HTTPServer(configuration: config, router: router, logger: Logger(label: "test", level: .error))
        let port = try await server.start()[0].port
        let c = try RawClient(port: port)
        defer { c.close() }
        c.send("GET /gated HTTP/1.1\r\nHost: x\r\n\r\n")
        while await server.connectionCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let stopping = Task { await server.shutdown(grace: .seconds(3)) }
        while !(await server.isDraining) { try await Task.sleep(for: .milliseconds(5)) }
        gate.open()
        let (text, closed) = await c.readToClose()
        await stopping.value
        #expect(text.contains("slow done"))
        #expect(text.contains("Connection: close"))
        #expect(closed)
        #expect((try? RawClient(port: port)) == nil, "no longer accepting")
    }


    @Test func listensOnIPv4AndIPv6() async throws {
        var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        config.hosts = ["127.0.0.1", "::1"]
        config.eventLoops = 1
        let server = HTTPServer(configuration: config, router: testRouter(), logger: Logger(label: "test", level: .error))
        let addresses = try await server.start()
        #expect(addresses.count == 2 && addresses[0].port == addresses[1].port)
        let v6 = try await run("/usr/bin/curl", ["-s", "-m", "30", "http://[::1]:\(addresses[1].port)/health"])
        #expect(v6 == #"{"status":"ok"}"#)
        await server.shutdown(grace: .seconds(1))
    }
}

/// A one-way latch for tests: closed until `open()`.
final class Gate: Sendable {
    private let state = Atomic<Bool>(false)
    var isOpen: Bool { state.load(ordering: .acquiring) }
    func open() { state.store(true, ordering: .releasing) }
}
