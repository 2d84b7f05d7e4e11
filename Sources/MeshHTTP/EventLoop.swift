#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import CEpoll
import MeshCore

/// One epoll instance on its own dedicated thread (never on Swift's shared pool): accepts on
/// the server's shared listeners, reads, parses, runs immediate handlers, writes, and sweeps
/// timeouts every `sweepMilliseconds`. It is also a task executor (EventLoopExecutor.swift) for
/// handlers that mostly wait on peers, and carries their requests itself (`client`). Other
/// threads talk to it only through `commands` and `remoteJobs` + eventfd.
final class EventLoop: @unchecked Sendable {
    enum Command { case close(ServerConnection), stopAccepting, closeIdle, stop, cancelClient(Set<UInt64>) }

    let epfd: Int32
    let wakeFD: Int32
    let context: ServerContext
    let index: Int
    var listeners: [Int32]
    var connections: [UInt64: ServerConnection] = [:]  // loop thread only
    var nextID: UInt64
    let commands = Mutex<[Command]>([])
    let exited = Atomic<Bool>(false)
    /// Requests sent by tasks running on this loop (loop thread only).
    let client: LoopClient
    /// Jobs enqueued from the loop thread itself (loop thread only).
    var localJobs: [UnownedJob] = []
    /// Jobs enqueued from other threads, until the loop stops taking them.
    let remoteJobs = Mutex(RemoteJobs())
    static let sweepMilliseconds: Int64 = 250
    static let wakeKey: UInt64 = .max
    static let listenerKeyBase: UInt64 = .max - 1000

    init(index: Int, listeners: [Int32], context: ServerContext) throws(HTTPServerError) {
        self.index = index
        self.listeners = listeners
        self.context = context
        self.nextID = UInt64(index) << 48
        epfd = try Syscall.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try Syscall.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        client = LoopClient(epfd: epfd)
        try add(wakeFD, key: Self.wakeKey, events: EPOLLIN.rawValue)
        // Every loop watches the same listening sockets; EPOLLEXCLUSIVE wakes one loop per
        // incoming connection instead of all of them (no thundering herd, no SO_REUSEPORT).
        for (i, l) in listeners.enumerated() {
            try add(l, key: Self.listenerKeyBase + UInt64(i), events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        }
    }

    func add(_ fd: Int32, key: UInt64, events: UInt32) throws(HTTPServerError) {
        var ev = epoll_event()
        ev.events = events
        ev.data.u64 = key
        try Syscall.call("epoll_ctl") { epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) }
    }

    /// Stops accepting on this loop. The listening sockets are shared by all loops and closed
    /// once by the server; here they only leave this loop's epoll set.
    func stopWatchingListeners() {
        for l in listeners where l >= 0 { _ = epoll_ctl(epfd, EPOLL_CTL_DEL, l, nil) }
        listeners = listeners.map { _ in -1 }
    }

    /// Starts the loop's thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "http-loop-\(index)"
        thread.start()
    }

    /// Queues a command and wakes the loop. Thread-safe.
    func send(_ command: Command) {
        commands.withLock { $0.append(command) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func requestClose(_ connection: ServerConnection) { send(.close(connection)) }

    func run() {
        becomeCurrent()
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = Syscall.monotonicMilliseconds()
        var running = true
        while running {
            let n: Int32
            do {
                n = try events.withUnsafeMutableBufferPointer { b throws(HTTPServerError) in
                    try Syscall.call("epoll_wait") { epoll_wait(epfd, b.baseAddress, Int32(b.count), Int32(Self.sweepMilliseconds)) }
                }
            } catch {
                context.logger.error("event loop failed", [("error", "\(error)")])
                break
            }
            for i in 0..<Int(n) {
                let key = events[i].data.u64
                let flags = events[i].events
                if key == Self.wakeKey {
                    var v: UInt64 = 0
                    _ = read(wakeFD, &v, 8)
                    running = runCommands()
                } else if key >= Self.listenerKeyBase {
                    let li = Int(key - Self.listenerKeyBase)
                    if li < listeners.count && listeners[li] >= 0 { acceptAll(listeners[li]) }
                } else if key & LoopClient.keyBit != 0 {
                    client.handle(key: key, flags: flags)
                } else if let c = connections[key] {
                    handle(c, flags)
                }
            }
            runJobs()
            let now = Syscall.monotonicMilliseconds()
            if now - lastSweep >= Self.sweepMilliseconds {
                lastSweep = now
                sweep(now)
                runJobs()
            }
        }
        client.closeAll()
        handOffJobs()
        for c in Array(connections.values) { close(c) }
        stopWatchingListeners()
        Glibc.close(epfd)
        Glibc.close(wakeFD)
        exited.store(true, ordering: .releasing)
    }

    func handle(_ c: ServerConnection, _ flags: UInt32) {
        c.lock.lock()
        if flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && flags & EPOLLIN.rawValue == 0 {
            c.closing = true
        } else {
            if flags & EPOLLOUT.rawValue != 0 && c.outputIndex < c.output.count { c.flush() }
            if flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 {
                c.readAvailable()
                if c.lingering {
                    if c.peerClosedRead || flags & EPOLLHUP.rawValue != 0 { c.closing = true }
                } else if !c.inFlight {
                    c.process()
                } else if c.peerClosedRead {
                    c.closeAfterFlush = true
                }
            }
        }
        let close = c.closing
        c.lock.unlock()
        if close { self.close(c) }
    }

    func acceptAll(_ listener: Int32) {
        while true {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd: Int32?
            do {
                fd = try withUnsafeMutablePointer(to: &storage) { p throws(HTTPServerError) in
                    try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(HTTPServerError) in
                        try Syscall.nonBlocking("accept4") { accept4(listener, sa, &len, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)) }
                    }
                }
            } catch {
                // EMFILE, ECONNABORTED…: log and retry on the next readiness event.
                context.logger.warning("accept failed", [("error", "\(error)")])
                return
            }
            guard let fd else { return }
            if context.connectionCount.add(1, ordering: .relaxed).newValue > context.configuration.maxConnections {
                context.connectionCount.subtract(1, ordering: .relaxed)
                Glibc.close(fd)
                continue
            }
            let peer = withUnsafePointer(to: &storage) { SocketAddress(storage: $0) }
            let host = peer?.host ?? ""
            // One address may not hold more than its share of connections (slowloris from one host).
            guard context.clientLimits.openConnection(from: host) else {
                context.connectionCount.subtract(1, ordering: .relaxed)
                Glibc.close(fd)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            nextID += 1
            let c = ServerConnection(id: nextID, fd: fd, remoteAddress: peer?.description ?? "", remoteHost: host, loop: self, context: context)
            connections[c.id] = c
            do {
                try add(fd, key: c.id, events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue)
            } catch {
                close(c)
            }
        }
    }

    /// Closes the fd on the loop thread and forgets the connection.
    func close(_ c: ServerConnection) {
        guard connections.removeValue(forKey: c.id) != nil else { return }
        c.lock.lock()
        c.closed = true
        c.resumeDrainWaiter(error: HTTPServerError(operation: "write", errno: EPIPE, message: "The connection was closed."))
        Glibc.close(c.fd)
        c.lock.unlock()
        context.connectionCount.subtract(1, ordering: .relaxed)
        context.clientLimits.closeConnection(from: c.remoteHost)
    }

    func sweep(_ now: Int64) {
        var expired: [ServerConnection] = []
        for c in connections.values {
            c.lock.lock()
            if c.expire(now: now) || c.closing { expired.append(c) }
            c.lock.unlock()
        }
        for c in expired { close(c) }
        client.sweep(now: now)
    }

    /// Runs queued commands; returns false when the loop must stop.
    func runCommands() -> Bool {
        let pending = commands.withLock { q -> [Command] in let p = q; q.removeAll(); return p }
        for command in pending {
            switch command {
            case .close(let c): close(c)
            case .stopAccepting:
                stopWatchingListeners()
            case .closeIdle:
                var idle: [ServerConnection] = []
                for c in connections.values {
                    c.lock.lock()
                    if !c.inFlight && c.parser.isAtRequestStart && c.readIndex == c.inputEnd && c.outputIndex == c.output.count { idle.append(c) }
                    c.lock.unlock()
                }
                for c in idle { close(c) }
            case .cancelClient(let ids):
                client.cancel(ids)
            case .stop:
                return false
            }
        }
        return true
    }
}
