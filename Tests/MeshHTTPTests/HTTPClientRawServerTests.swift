import Foundation
import Glibc
import Synchronization
import Testing
@testable import MeshHTTP

/// A tiny HTTP/1.1 server on a raw loopback socket, one thread per connection, whose replies
/// the test scripts: it lets tests count connections and misbehave on purpose.
final class RawTestServer: Sendable {
    struct Counts { var accepted = 0; var open = 0; var maxOpen = 0; var requests = 0 }
    /// What to do for one request head: wait `delay`, then write `reply` (keep-alive stays on).
    typealias Script = @Sendable (String) -> (delay: Duration, reply: [UInt8])

    let port: Int
    private let listener: Int32
    final class Tally: Sendable {
        let state = Mutex(Counts())
        func withLock<R>(_ body: (inout Counts) -> R) -> R { state.withLock { body(&$0) } }
    }
    private let counts = Tally()
    private let stopped = Atomic<Bool>(false)

    var snapshot: Counts { counts.withLock { $0 } }

    init(_ script: @escaping Script) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0, listen(fd, 128) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let counts = self.counts
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                counts.withLock { $0.accepted += 1; $0.open += 1; $0.maxOpen = max($0.maxOpen, $0.open) }
                Thread {
                    RawTestServer.serve(client, script, counts)
                    counts.withLock { $0.open -= 1 }
                    close(client)
                }.start()
            }
        }.start()
    }

    /// Stops accepting; connections already open end when their client closes them.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private static func serve(_ fd: Int32, _ script: Script, _ counts: Tally) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read one request: head up to CRLFCRLF, then Content-Length bytes of body.
            var headEnd: Int?
            while headEnd == nil {
                if let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) { headEnd = range.upperBound; break }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            let bodyLength = lengthLine.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            while buffer.count < headEnd! + bodyLength {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            buffer.removeFirst(headEnd! + bodyLength)
            counts.withLock { $0.requests += 1 }
            let (delay, reply) = script(head)
            if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18) }
            let written = reply.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 { return }
        }
    }

    /// A complete reply with `Content-Length`.
    static func reply(_ status: Int, _ body: String, contentType: String = "text/plain") -> [UInt8] {
        let bytes = Array(body.utf8)
        return Array("HTTP/1.1 \(status) X\r\nContent-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}

/// A loopback port on which nothing listens (bound, then closed at once).
func closedPort() throws -> Int {
    let server = try RawTestServer { _ in (.zero, []) }
    let port = server.port
    server.stop()
    return port
}

@Suite struct HTTPClientRawServerTests {
    @Test func rawServerAnswersScriptedReply() async throws {
        let server = try RawTestServer { _ in (.zero, RawTestServer.reply(200, "hi")) }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.get(server.url("/"))
        #expect(response.bodyText == "hi")
        #expect(server.snapshot.requests == 1)
    }
}
