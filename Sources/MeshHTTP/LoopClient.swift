#if canImport(Glibc)
import Glibc
#endif
import CEpoll
import MeshCore

/// Requests sent by a task running on an event loop's own thread, over connections that loop
/// watches: the request is written from that thread and its reply is read by the same loop,
/// so a round trip to a peer wakes no other thread of this process (libcurl's path wakes its
/// network thread to send, and again to hand the reply back).
///
/// Takes only plain `http://` URLs whose host is an IP literal (no name lookup may block a
/// loop) and only while the peer has fewer than `maxConnectionsPerPeer` connections here;
/// `HTTPClient` sends everything else through libcurl. Keep-alive connections are reused per
/// peer; a reused connection that closes before any byte of the reply is retried once on a new
/// one (the peer closed it idle, RFC 9112 §9.3.1). Deadlines are checked by the loop's sweep,
/// so a timeout fires up to `EventLoop.sweepMilliseconds` late. Loop thread only: no locks.
final class LoopClient {
    /// One request, with where its outcome goes.
    struct Pending {
        let id: UInt64
        let request: ClientRequest
        let peer: String
        let address: SocketAddress
        let deadline: Int64
        let completion: @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void
        var retried = false
    }

    final class Connection {
        let fd: Int32
        let key: UInt64
        let peer: String
        var connecting: Bool
        var output: [UInt8] = []
        var outputIndex = 0
        var parser: HTTPResponseParser?
        var pending: Pending?
        var reused = false
        /// When it last finished a request (monotonic ms), for `idleTimeout`.
        var idleSince: Int64 = 0

        init(fd: Int32, key: UInt64, peer: String, connecting: Bool) {
            self.fd = fd; self.key = key; self.peer = peer; self.connecting = connecting
        }
    }

    /// Epoll keys of client connections have this bit; server connections' never do.
    static let keyBit: UInt64 = 1 << 62
    /// Idle connections kept per peer.
    static let maxIdlePerPeer = 8
    /// An idle connection unused this long is closed: below the server's default idle timeout
    /// (60 s), so a request rarely meets a connection its peer is closing.
    static let idleTimeoutMilliseconds: Int64 = 30_000

    private let epfd: Int32
    private var connections: [UInt64: Connection] = [:]
    private var idle: [String: [Connection]] = [:]
    private var openPerPeer: [String: Int] = [:]
    private var nextKey: UInt64 = 0
    private var nextID: UInt64 = 0
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(epfd: Int32) { self.epfd = epfd }

    /// The peer address of each request when this client can take all of them now, else nil.
    func accepts(_ requests: [ClientRequest], maxConnectionsPerPeer: Int) -> [SocketAddress]? {
        var wanted: [String: Int] = [:]
        var addresses: [SocketAddress] = []
        for request in requests {
            guard let peer = PeerAddress(url: request.url), peer.scheme == "http", Self.isIPLiteral(peer.host) else { return nil }
            let address = SocketAddress(host: peer.host, port: peer.port)
            wanted[address.description, default: 0] += 1
            let free = idle[address.description]?.count ?? 0
            let open = openPerPeer[address.description] ?? 0
            guard wanted[address.description]! <= free + max(0, maxConnectionsPerPeer - open) else { return nil }
            addresses.append(address)
        }
        return addresses
    }

    /// Starts `request`; `completion` is called once on the loop thread (possibly before this
    /// returns, for a request that fails at once). Returns the id `cancel` takes.
    @discardableResult
    func start(_ request: ClientRequest, to address: SocketAddress,
               completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) -> UInt64 {
        nextID += 1
        let pending = Pending(id: nextID, request: request, peer: address.description, address: address,
                              deadline: Syscall.monotonicMilliseconds() + request.timeout.milliseconds, completion: completion)
        dispatch(pending)
        return pending.id
    }

    /// Sends `pending` on an idle connection to its peer, or a new one (always for a retry).
    private func dispatch(_ pending: Pending) {
        let connection: Connection
        if !pending.retried, var free = idle[pending.peer], let reused = free.popLast() {
            idle[pending.peer] = free
            connection = reused
            connection.reused = true
        } else {
            switch open(pending.address) {
            case .success(let opened): connection = opened
            case .failure(let error):
                pending.completion(.failure(error))
                return
            }
        }
        connection.pending = pending
        connection.parser = HTTPResponseParser(maxBodyBytes: pending.request.maxResponseBytes,
                                               headRequest: pending.request.method == "HEAD")
        connection.output = Self.encode(pending.request, host: pending.address)
        connection.outputIndex = 0
        if !connection.connecting { flush(connection) }
    }

    /// Handles readiness of the connection with epoll key `key`.
    func handle(key: UInt64, flags: UInt32) {
        guard let c = connections[key] else { return }
        if c.connecting {
            guard flags & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 else { return }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                fail(c, error == ECONNREFUSED ? .connectionRefused(peer: c.peer)
                                              : .transport(peer: c.peer, reason: String(cString: strerror(error))))
                return
            }
            c.connecting = false
        }
        if flags & EPOLLOUT.rawValue != 0 && c.outputIndex < c.output.count { flush(c) }
        guard connections[key] != nil else { return }
        if flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { read(c) }
    }

    /// Fails requests past their deadline and closes connections idle past `idleTimeout`.
    /// `now` is monotonic milliseconds.
    func sweep(now: Int64) {
        for c in Array(connections.values) {
            if let pending = c.pending {
                if now >= pending.deadline { fail(c, .timeout(url: pending.request.url, after: pending.request.timeout)) }
            } else if now - c.idleSince >= Self.idleTimeoutMilliseconds {
                close(c)
            }
        }
    }

    /// Fails the requests with these ids as cancelled.
    func cancel(_ ids: Set<UInt64>) {
        for c in connections.values {
            guard let pending = c.pending, ids.contains(pending.id) else { continue }
            fail(c, .cancelled(url: pending.request.url))
        }
    }

    /// Closes every connection; requests in flight fail as cancelled.
    func closeAll() {
        for c in Array(connections.values) {
            if let pending = c.pending { fail(c, .cancelled(url: pending.request.url)) } else { close(c) }
        }
    }

    // MARK: connections

    private func open(_ address: SocketAddress) -> Result<Connection, HTTPClientError> {
        let peer = address.description
        let fd = socket(address.isIPv6 ? AF_INET6 : AF_INET,
                        Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.transport(peer: peer, reason: "socket: \(String(cString: strerror(errno)))")) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A non-blocking connect is not retried on EINTR: it goes on in the background and
        // EPOLLOUT says when it is done, as after EINPROGRESS.
        let connectError = (try? address.withSockaddr { sa, length in
            Glibc.connect(fd, sa, length) == 0 ? 0 : errno
        }) ?? EAFNOSUPPORT
        guard connectError == 0 || connectError == EINPROGRESS || connectError == EINTR else {
            Glibc.close(fd)
            return .failure(connectError == ECONNREFUSED ? .connectionRefused(peer: peer)
                                                         : .transport(peer: peer, reason: "connect: \(String(cString: strerror(connectError)))"))
        }
        nextKey += 1
        let c = Connection(fd: fd, key: Self.keyBit | nextKey, peer: peer, connecting: connectError != 0)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.u64 = c.key
        guard epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            return .failure(.transport(peer: peer, reason: "epoll_ctl: \(reason)"))
        }
        connections[c.key] = c
        openPerPeer[peer, default: 0] += 1
        return .success(c)
    }

    private func flush(_ c: Connection) {
        while c.outputIndex < c.output.count {
            let fd = c.fd, from = c.outputIndex
            let n: Int?
            do {
                n = try c.output.withUnsafeBufferPointer { b throws(HTTPServerError) in
                    try Syscall.nonBlocking("send") { send(fd, b.baseAddress! + from, b.count - from, Int32(MSG_NOSIGNAL)) }
                }
            } catch {
                broken(c, reason: "send: \(error.message)")
                return
            }
            guard let n else { return }   // EPOLLOUT resumes it
            c.outputIndex += n
        }
        c.output = []
        c.outputIndex = 0
    }

    private func read(_ c: Connection) {
        while connections[c.key] != nil {
            let fd = c.fd
            let n: Int?
            do {
                n = try Syscall.nonBlocking("recv") { readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            } catch {
                broken(c, reason: "recv: \(error.message)")
                return
            }
            guard let n else { return }
            guard n > 0 else {
                if c.pending == nil { close(c); return }
                finish(c, c.parser!.finish())
                return
            }
            guard c.pending != nil else { close(c); return }   // bytes nobody asked for
            let progress = readBuffer.withUnsafeBytes { c.parser!.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            // Edge-triggered: read on until EAGAIN even after a complete reply, so a close that
            // came with it is seen now (an idle connection would never be told again).
            if progress != .needMore { finish(c, progress) }
        }
    }

    /// Completes the request on `c` with what the parser says.
    private func finish(_ c: Connection, _ progress: HTTPResponseParser.Progress) {
        guard let pending = c.pending, let parser = c.parser else { return }
        switch progress {
        case .needMore:
            return
        case .complete(let leftover):
            c.pending = nil
            c.parser = nil
            if parser.keepAlive && leftover == 0 && (idle[c.peer]?.count ?? 0) < Self.maxIdlePerPeer {
                c.idleSince = Syscall.monotonicMilliseconds()
                idle[c.peer, default: []].append(c)
            } else {
                close(c)
            }
            let response = HTTPClientResponse(status: parser.status, headers: parser.headers, body: parser.body)
            guard (200..<300).contains(response.status) else {
                let error = decodeErrorBody(response.body)?.error
                pending.completion(.failure(.badStatus(url: pending.request.url, status: response.status,
                                                       code: error?.code, detail: error?.message)))
                return
            }
            pending.completion(.success(response))
        case .tooLarge:
            fail(c, .bodyTooLarge(url: pending.request.url, limit: pending.request.maxResponseBytes))
        case .invalid(let reason):
            broken(c, reason: reason)
        }
    }

    /// The connection broke: a reused one that saw no reply byte is retried once on a new one.
    private func broken(_ c: Connection, reason: String) {
        guard var pending = c.pending else { close(c); return }
        if c.reused && !pending.retried && !(c.parser?.receivedAny ?? false) {
            c.pending = nil
            close(c)
            pending.retried = true
            dispatch(pending)
            return
        }
        fail(c, .transport(peer: c.peer, reason: reason))
    }

    private func fail(_ c: Connection, _ error: HTTPClientError) {
        let pending = c.pending
        c.pending = nil
        close(c)
        pending?.completion(.failure(error))
    }

    private func close(_ c: Connection) {
        guard connections.removeValue(forKey: c.key) != nil else { return }
        if var free = idle[c.peer], let i = free.firstIndex(where: { $0 === c }) {
            free.remove(at: i)
            idle[c.peer] = free.isEmpty ? nil : free
        }
        openPerPeer[c.peer, default: 1] -= 1
        if openPerPeer[c.peer] == 0 { openPerPeer[c.peer] = nil }
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, nil)
        Glibc.close(c.fd)
    }

    // MARK: pure helpers

    /// Whether `host` is a numeric IPv4 or IPv6 address (connecting to it needs no lookup).
    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The request's bytes: request line, `Host`, `User-Agent`, the caller's fields, framing.
    static func encode(_ request: ClientRequest, host address: SocketAddress) -> [UInt8] {
        let target = PeerAddress.requestTarget(of: request.url)
        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: \(address.description)\r\nUser-Agent: \(request.userAgent)\r\n"
        var hasContentType = false
        for (name, value) in request.headers {
            if name.lowercased() == "content-type" { hasContentType = true }
            head += "\(name): \(value)\r\n"
        }
        let sendsBody = request.method != "GET" && request.method != "HEAD"
        if sendsBody {
            if !hasContentType && !request.body.isEmpty { head += "Content-Type: application/octet-stream\r\n" }
            head += "Content-Length: \(request.body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if sendsBody { bytes.append(contentsOf: request.body) }
        return bytes
    }
}
