#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import MeshCore

/// What every loop and connection of one server shares. Immutable but for the atomics.
final class ServerContext: Sendable {
    let configuration: HTTPServer.Configuration
    let router: Router
    let logger: Logger
    let parserLimits: HTTPRequestParser.Limits
    let connectionCount = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    let clientLimits: ClientLimits

    init(configuration: HTTPServer.Configuration, router: Router, logger: Logger) {
        self.configuration = configuration; self.router = router; self.logger = logger
        self.clientLimits = ClientLimits(configuration)
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderBytes = configuration.maxHeaderBytes
        limits.maxBodyBytes = configuration.maxBodyBytes
        limits.maxHeaderCount = configuration.maxHeaderCount
        parserLimits = limits
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// A handler error as a response: its own status for `ServiceError`, else a logged 500.
    func render(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        if let e = error as? any ServiceError { return .error(e) }
        logger.error("handler failed", [("method", request.method.rawValue), ("path", request.path), ("error", "\(error)")])
        return .error(InternalServerError())
    }
}

/// An HTTP/1.1 server on non-blocking POSIX sockets and epoll, one event-loop thread per
/// configured loop, handing requests to the `Router`'s handlers.
///
/// Thread-safe (an actor). `start` binds and returns the bound addresses (port 0 picks a free
/// port); `shutdown(grace:)` stops accepting, lets in-flight requests finish up to `grace`,
/// then closes everything. A server is started at most once.
public actor HTTPServer {
    /// Named limits and timeouts, with their defaults.
    public struct Configuration: Sendable {
        /// Numeric addresses to listen on (IPv4 and/or IPv6, e.g. `["127.0.0.1", "::1"]`). Default `["127.0.0.1"]`.
        public var hosts: [String] = ["127.0.0.1"]
        /// TCP port for every host; 0 picks a free port (the same one for all hosts). Default 8080.
        public var port: Int = 8080
        /// Request line + header section limit in bytes (431 beyond). Default 16 KiB.
        public var maxHeaderBytes: Int = 16 * 1024
        /// Header field count limit (431 beyond). Default 100.
        public var maxHeaderCount: Int = 100
        /// Default request body limit in bytes (413 beyond); routes may override. Default 1 MiB.
        public var maxBodyBytes: Int = 1 << 20
        /// Time allowed from a request's first byte to the end of its header section (408 after). Default 10 s.
        public var headerReadTimeout: Duration = .seconds(10)
        /// Time allowed to receive a request body once its head is read (408 after). Default 30 s.
        public var bodyReadTimeout: Duration = .seconds(30)
        /// How long an open connection may wait, between requests, for the next one. Default 60 s.
        public var idleTimeout: Duration = .seconds(60)
        /// Open connections above this are closed on accept. Default 10,000.
        public var maxConnections: Int = 10_000
        /// Event-loop threads. Default: one per core.
        public var eventLoops: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Smallest compressible body sent gzipped when the client accepts it; 0 disables gzip. Default 1,024.
        public var gzipMinimumBytes: Int = 1024
        /// Listen backlog. Default 1,024.
        public var backlog: Int = 1024
        /// Sustained requests per second allowed per client address (token bucket); beyond it,
        /// **429** with `Retry-After`. 0 disables. Default 200.
        public var rateLimitPerSecond: Double = 200
        /// Requests a client address may send at once before the rate applies. Default 1,000.
        public var rateLimitBurst: Int = 1000
        /// Open connections allowed per client address; more are closed on accept (trusted
        /// proxies are exempt). 0 disables. Default 256.
        public var maxConnectionsPerAddress: Int = 256
        /// Peer addresses of reverse proxies in front of the node (e.g. nginx terminating TLS):
        /// their requests are rate-limited by the last `X-Forwarded-For` entry instead (not at
        /// all without one), and their connections are not capped per address. Default the
        /// loopback addresses `["127.0.0.1", "::1"]`.
        public var trustedProxies: [String] = ["127.0.0.1", "::1"]

        /// The defaults above.
        public init() {}
        /// Defaults listening on `host:port`.
        public init(host: String, port: Int) { hosts = [host]; self.port = port }
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    /// The listening sockets, one per host, shared by every event loop; closed once, here.
    private var listeners: [Int32] = []
    let context: ServerContext
    var loops: [EventLoop] = []
    var bound: [SocketAddress] = []

    /// A server that will serve `router` once started. Nothing is bound until `start()`.
    public init(configuration: Configuration = Configuration(), router: Router, logger: Logger = Logger(label: "http")) {
        self.configuration = configuration
        self.context = ServerContext(configuration: configuration, router: router, logger: logger)
    }

    /// Binds every host, starts the event-loop threads, and returns the bound addresses.
    /// Throws `HTTPServerError` naming the failing call (e.g. `bind` with EADDRINUSE); on failure
    /// nothing stays open. Returns at once: serving happens on the loop threads.
    @discardableResult
    public func start() throws -> [SocketAddress] {
        guard loops.isEmpty else { return bound }
        var opened: [Int32] = []
        do {
            var port = configuration.port  // port 0: the first bind picks it, the other hosts reuse it
            for host in configuration.hosts {
                let (fd, address) = try ListenSocket.open(SocketAddress(host: host, port: port), backlog: Int32(configuration.backlog))
                opened.append(fd)
                bound.append(address)
                port = address.port
            }
            for i in 0..<max(1, configuration.eventLoops) { loops.append(try EventLoop(index: i, listeners: opened, context: context)) }
        } catch {
            for fd in opened { close(fd) }
            loops = []; bound = []
            throw error
        }
        listeners = opened
        for loop in loops { loop.start() }
        context.logger.info("http server listening", [("addresses", bound.map(\.description).joined(separator: ","))])
        return bound
    }

    /// The bound addresses (empty before `start`).
    public var addresses: [SocketAddress] { bound }
    /// The bound port (nil before `start`).
    public var port: Int? { bound.first?.port }
    /// Open connections right now.
    public var connectionCount: Int { context.connectionCount.load(ordering: .relaxed) }
    /// True once `shutdown` has begun (tests use it to order events).
    var isDraining: Bool { context.isDraining }

    /// Graceful stop: stops accepting, closes idle connections, lets in-flight requests finish
    /// (their responses carry `Connection: close`) for up to `grace`, then closes the rest and
    /// ends the loop threads. Never blocks a pool thread (it polls with `Task.sleep`).
    public func shutdown(grace: Duration = .seconds(10)) async {
        guard !loops.isEmpty else { return }
        context.draining.store(true, ordering: .relaxed)
        for loop in loops { loop.send(.stopAccepting); loop.send(.closeIdle) }
        let deadline = ContinuousClock.now + grace
        while context.connectionCount.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            for loop in loops { loop.send(.closeIdle) }
        }
        for loop in loops { loop.send(.stop) }
        while !loops.allSatisfy({ $0.exited.load(ordering: .acquiring) }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for fd in listeners { close(fd) }
        listeners = []
        context.logger.info("http server stopped", [])
        loops = []
    }
}
