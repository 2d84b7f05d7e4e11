#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import MeshCore
@testable import MeshHTTP

extension RawClient {
    /// A connection from the loopback address `source` (e.g. `127.0.0.2`: all of 127/8 is
    /// local on Linux), so one test can play several client addresses.
    init(port: Int, from source: String, receiveTimeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let fd = self.fd
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if bound != 0 || r != 0 {
            Glibc.close(fd)
            throw PlainServiceError(status: 500, code: "connect", message: "bind/connect from \(source) failed: errno \(errno)")
        }
    }

    /// One `GET path` with `Connection: close`; the whole answer.
    static func get(_ path: String, port: Int, from source: String, headers: String = "") throws -> String {
        let c = try RawClient(port: port, from: source)
        defer { c.close() }
        c.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\(headers)Connection: close\r\n\r\n")
        return c.readBlocking(until: { _ in false }).text
    }
}

/// The first line of a raw response ("\r\n" is one Character in Swift).
func statusLine(_ response: String) -> String { String(response.prefix { $0 != "\r\n" }) }

/// The server under abuse: floods, slowloris and oversized bodies (Docs/http.md, "Abuse limits").
@Suite(.serialized)
struct AbuseLiveTests {
    @Test func floodFromOneAddressGets429WithRetryAfterWhileOtherAddressesAreServed() async throws {
        try await withServer({ $0.rateLimitPerSecond = 2; $0.rateLimitBurst = 5 }) { _, port in
            let (flood, others, proxied) = try await offPool { () -> Result<([String], [String], [String]), any Error> in
                Result {
                    let flood = try (0..<20).map { _ in try RawClient.get("/health", port: port, from: "127.0.0.2") }
                    let others = try ["127.0.0.3", "127.0.0.4", "127.0.0.5"].flatMap { a in
                        try (0..<3).map { _ in try RawClient.get("/health", port: port, from: a) }
                    }
                    // Through the trusted proxy (loopback): limited per forwarded client.
                    let proxied = try (0..<8).map { i in
                        try RawClient.get("/health", port: port, from: "127.0.0.1",
                                          headers: "X-Forwarded-For: 198.51.100.\(i < 7 ? 1 : 2)\r\n")
                    }
                    return (flood, others, proxied)
                }
            }.get()
            let ok = flood.filter { statusLine($0).contains(" 200 ") }.count
            let limited = flood.filter { statusLine($0).contains(" 429 ") }
            #expect(ok >= 5 && ok <= 8, "the burst of 5 (plus refill) passes, got \(ok)")
            #expect(limited.count == 20 - ok)
            let first = try #require(limited.first)
            #expect(first.contains("Retry-After: 1\r\n"))
            #expect(first.contains("Content-Type: application/json"))
            #expect(first.contains(#"{"error":{"code":"rate_limited","message":"#))
            #expect(others.allSatisfy { statusLine($0).contains(" 200 ") }, "other addresses are not limited")
            #expect(proxied[0..<5].allSatisfy { statusLine($0).contains(" 200 ") })
            #expect(proxied[5..<7].allSatisfy { statusLine($0).contains(" 429 ") }, "the forwarded client is limited")
            #expect(statusLine(proxied[7]).contains(" 200 "), "another forwarded client is not")
        }
    }

    @Test func connectionsBeyondThePerAddressCapAreClosedOthersConnect() async throws {
        try await withServer({ $0.maxConnectionsPerAddress = 4 }) { server, port in
            let result = try await offPool { () -> Result<(Bool, String), any Error> in
                Result {
                    let held = try (0..<4).map { _ in try RawClient(port: port, from: "127.0.0.2") }
                    defer { held.forEach { $0.close() } }
                    Thread.sleep(forTimeInterval: 0.3)  // the loops accept them
                    let fifth = try RawClient(port: port, from: "127.0.0.2", receiveTimeoutSeconds: 5)
                    defer { fifth.close() }
                    // Nothing is sent: a close with unread bytes would be a reset, not an end of stream.
                    let refused = fifth.readBlocking(until: { _ in false })
                    let other = try RawClient.get("/health", port: port, from: "127.0.0.3")
                    return (refused.closed && refused.text.isEmpty, other)
                }
            }.get()
            #expect(result.0, "the fifth connection from one address is closed without an answer")
            #expect(statusLine(result.1).contains(" 200 "))
            _ = server
        }
    }

    @Test func tenMegabyteBodyIsRefusedWith413BeforeItIsRead() async throws {
        try await withServer { _, port in
            let (answer, seconds) = try await offPool { () -> Result<(String, Double), any Error> in
                Result {
                    let c = try RawClient(port: port, from: "127.0.0.2")
                    defer { c.close() }
                    let start = Date()
                    // Only the head is sent: the answer must come without waiting for any body byte.
                    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\nContent-Length: \(10 << 20)\r\n\r\n")
                    let answer = c.readBlocking(until: { $0.contains("\r\n\r\n") && $0.hasSuffix("}}") })
                    return (answer.text, Date().timeIntervalSince(start))
                }
            }.get()
            #expect(statusLine(answer).hasPrefix("HTTP/1.1 413"))
            #expect(answer.contains(#""code":"body_too_large""#))
            #expect(answer.contains("Connection: close"))
            #expect(seconds < 1, "refused in \(seconds) s")
        }
    }

    /// Found by schemathesis: TRACE got 501 (a server error) although it is a standard method.
    @Test func traceAndConnectAreKnownMethodsAnswered405WithAllow() async throws {
        try await withServer { _, port in
            let answers = try await offPool { () -> Result<[String], any Error> in
                Result {
                    try ["TRACE /health", "CONNECT /health"].map { line in
                        let c = try RawClient(port: port, from: "127.0.0.2")
                        defer { c.close() }
                        c.send("\(line) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                        return c.readBlocking(until: { _ in false }).text
                    }
                }
            }.get()
            #expect(statusLine(answers[0]) == "HTTP/1.1 405 Method Not Allowed")
            #expect(answers[0].contains("Allow: GET, HEAD\r\n"))
            // CONNECT takes an authority (host:port), so a path target is a malformed request.
            #expect(statusLine(answers[1]).hasPrefix("HTTP/1.1 4"))
        }
    }

    /// 1,000 connections dribble a header line every 250 ms from four addresses while one
    /// normal client makes 300 keep-alive requests: its p99 stays under 50 ms, and the header
    /// read timeout then reclaims every slow connection.
    @Test func slowlorisConnectionsDoNotStarveNormalClients() async throws {
        try await withServer({ $0.headerReadTimeout = .seconds(4) }) { server, port in
            let outcome = try await offPool { () -> Result<(latencies: [Double], openDuring: Int, slowAnswered: Int), any Error> in
                Result {
                    var slow: [RawClient] = []
                    defer { slow.forEach { $0.close() } }
                    for i in 0..<1000 {
                        let c = try RawClient(port: port, from: "127.0.0.\(2 + i % 4)", receiveTimeoutSeconds: 8)
                        c.send("GET /health HTTP/1.1\r\nHost: t\r\n")
                        slow.append(c)
                    }
                    let stop = Gate()
                    let slowClients = slow
                    let dribbler = Thread {
                        var round = 0
                        while !stop.isOpen && round < 40 {  // bounded: at most 10 s
                            for c in slowClients { c.send("X-Slow-\(round): y\r\n") }
                            round += 1
                            Thread.sleep(forTimeInterval: 0.25)
                        }
                    }
                    dribbler.start()
                    let normal = try RawClient(port: port, from: "127.0.0.1")
                    defer { normal.close() }
                    var latencies: [Double] = []
                    for _ in 0..<300 {
                        let start = DispatchTime.now().uptimeNanoseconds
                        normal.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
                        let r = normal.readBlocking(until: { $0.hasSuffix("{\"status\":\"ok\"}") })
                        guard !r.closed else { break }
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    }
                    let openDuring = slow.count
                    stop.open()
                    // After the header read timeout every slow connection gets its 408 and is closed.
                    let answered = slow.filter { c in
                        let r = c.readBlocking(until: { $0.hasSuffix("}}") })
                        return statusLine(r.text).contains(" 408 ")
                    }.count
                    return (latencies, openDuring, answered)
                }
            }.get()
            let sorted = outcome.latencies.sorted()
            #expect(sorted.count == 300, "every normal request was answered")
            let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            print("slowloris: 1000 slow connections, normal p50 \(sorted[sorted.count / 2]) ms, p99 \(p99) ms, max \(sorted.last ?? 0) ms")
            #expect(p99 < 50, "normal clients' p99 \(p99) ms")
            #expect(outcome.slowAnswered == 1000, "every slow connection timed out with 408")
            _ = server
        }
    }
}
