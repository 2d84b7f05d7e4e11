#if canImport(Glibc)
import Glibc
#endif
import CEpoll
import MeshCore

/// A pthread mutex for state touched by an event-loop thread and handler tasks.
final class ConnectionLock: @unchecked Sendable {
    private let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(m, nil) }
    deinit { pthread_mutex_destroy(m); m.deallocate() }
    @inline(__always) func lock() { pthread_mutex_lock(m) }
    @inline(__always) func unlock() { pthread_mutex_unlock(m) }
}

/// One accepted TCP connection: its buffers, parser and in-flight request.
///
/// Every field below `lock` is guarded by it; the loop thread and handler tasks both take it.
/// Only the owning loop closes the fd (after which `closed` is set and nothing touches it), so a
/// late handler can never write to a reused descriptor. One request is handled at a time, so
/// pipelined responses go out in request order.
final class ServerConnection: @unchecked Sendable {
    enum Deadline { case none, idle, header, body, linger }

    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    /// The peer's numeric address without the port: the key of per-address limits.
    let remoteHost: String
    unowned let loop: EventLoop
    let context: ServerContext
    let lock = ConnectionLock()

    var input: [UInt8]
    var inputEnd = 0
    var readIndex = 0
    var parser: HTTPRequestParser
    var pendingHead: HTTPRequestHead?
    var pendingRoute: Router.Match = .notFound
    var output: [UInt8] = []
    var outputIndex = 0
    var inFlight = false
    var closeAfterFlush = false
    var lingering = false
    var closing = false
    var closed = false
    var peerClosedRead = false
    var readPending = false
    var deadlineKind: Deadline = .idle
    var deadline: Int64
    var drainWaiter: CheckedContinuation<Void, any Error>?

    static let initialInput = 4096
    static let maxBufferedInput = 64 * 1024
    static let lingerMilliseconds: Int64 = 2000
    static let streamHighWater = 256 * 1024

    init(id: UInt64, fd: Int32, remoteAddress: String, remoteHost: String, loop: EventLoop, context: ServerContext) {
        self.id = id; self.fd = fd; self.remoteAddress = remoteAddress; self.remoteHost = remoteHost
        self.loop = loop; self.context = context
        self.input = [UInt8](repeating: 0, count: Self.initialInput)
        self.parser = HTTPRequestParser(limits: context.parserLimits)
        self.deadline = Syscall.monotonicMilliseconds() + context.configuration.idleTimeout.milliseconds
    }

    // MARK: reading (lock held)

    /// Reads until EAGAIN, EOF, or the buffered-input cap. Returns whether bytes arrived.
    @discardableResult
    func readAvailable() -> Bool {
        var got = false
        readPending = false
        while !closed && !peerClosedRead {
            if readIndex == inputEnd { readIndex = 0; inputEnd = 0 }
            if inputEnd == input.count {
                if readIndex > 0 {
                    input.withUnsafeMutableBufferPointer { b in
                        _ = memmove(b.baseAddress!, b.baseAddress! + readIndex, inputEnd - readIndex)
                    }
                    inputEnd -= readIndex; readIndex = 0
                } else if input.count < Self.maxBufferedInput {
                    input.append(contentsOf: repeatElement(0, count: input.count))
                } else {
                    readPending = true
                    return got
                }
            }
            let n: Int?
            do {
                let fd = self.fd, end = inputEnd
                n = try input.withUnsafeMutableBufferPointer { b throws(HTTPServerError) in
                    try Syscall.nonBlocking("read") { read(fd, b.baseAddress! + end, b.count - end) }
                }
            } catch {
                closing = true
                return got
            }
            guard let n else { return got }
            if n == 0 { peerClosedRead = true; return got }
            if lingering { continue }  // discard what a closing peer still sends
            inputEnd += n
            got = true
        }
        return got
    }

    // MARK: request processing (lock held)

    /// Parses buffered bytes and runs requests until one is in flight or more bytes are needed.
    func process() {
        while !inFlight && !closeAfterFlush && !closing && !closed {
            let event = input.withUnsafeBufferPointer { b in
                parser.next(bytes: UnsafeBufferPointer(rebasing: b[0..<inputEnd]), index: &readIndex)
            }
            switch event {
            case .needMore:
                if readPending && readAvailable() { continue }
                if peerClosedRead {
                    closeAfterFlush = true
                    break
                }
                setDeadline()
                flush()
                return
            case .head(let head):
                onHead(head)
            case .body(let body):
                guard let head = pendingHead else { continue }
                pendingHead = nil
                dispatch(head: head, body: body)
            case .error(let e):
                context.logger.debug("rejected request", [("status", "\(e.status)"), ("code", e.code), ("peer", remoteAddress)])
                writeResponse(HTTPResponse.error(e), method: .get, versionMinor: 1, keepAlive: false, acceptsGzip: false)
            }
        }
        flush()
    }

    func onHead(_ head: HTTPRequestHead) {
        // Rate limit before anything else is done for the request, its body included: the
        // answer closes the connection, and lingering close discards whatever body follows.
        if let retryAfter = context.clientLimits.admit(peer: remoteHost, headers: head.headers) {
            context.logger.debug("rate limited", [("peer", remoteAddress), ("retry_after", String(retryAfter))])
            writeResponse(ClientLimits.tooManyRequests(retryAfter: retryAfter), method: head.method,
                          versionMinor: head.versionMinor, keepAlive: false, acceptsGzip: false)
            return
        }
        pendingHead = head
        pendingRoute = context.router.match(head.method, path: head.path)
        if case .found(_, _, let limit?) = pendingRoute { parser.bodyLimit = limit }
        if head.chunked || (head.contentLength ?? 0) > 0 {
            deadlineKind = .body
            deadline = Syscall.monotonicMilliseconds() + context.configuration.bodyReadTimeout.milliseconds
            // RFC 9110 §10.1.1: send 100 only when we will read the body; an oversized one gets 413.
            if head.expectContinue && (head.contentLength ?? 0) <= parser.bodyLimit {
                output.append(contentsOf: ResponseEncoder.continueResponse)
                flush()
            }
        }
    }

    func setDeadline() {
        let now = Syscall.monotonicMilliseconds()
        if parser.isReadingBody { return }
        if parser.isAtRequestStart && readIndex == inputEnd {
            if deadlineKind != .idle {
                deadlineKind = .idle
                deadline = now + context.configuration.idleTimeout.milliseconds
            }
        } else if deadlineKind != .header {
            deadlineKind = .header
            deadline = now + context.configuration.headerReadTimeout.milliseconds
        }
    }

    func dispatch(head: HTTPRequestHead, body: [UInt8]) {
        let request = HTTPRequest(method: head.method, path: head.path, rawQuery: head.rawQuery, headers: head.headers,
                                  body: body, remoteAddress: remoteAddress, versionMinor: head.versionMinor)
        let gzip = context.configuration.gzipMinimumBytes > 0 && GzipCompression.accepts(head.headers["Accept-Encoding"])
        switch pendingRoute {
        case .notFound:
            writeResponse(.error(RoutingError.notFound(head.path)), method: head.method, versionMinor: head.versionMinor,
                          keepAlive: head.keepAlive, acceptsGzip: false)
        case .methodNotAllowed(let allow):
            var r = HTTPResponse.error(RoutingError.methodNotAllowed(head.method, allow: allow))
            r.headers.set("Allow", allow.map(\.rawValue).joined(separator: ", "))
            writeResponse(r, method: head.method, versionMinor: head.versionMinor, keepAlive: head.keepAlive, acceptsGzip: false)
        case .found(.immediate(let handler), let params, _):
            let response: HTTPResponse
            do { response = try handler(request, params) } catch { response = context.render(error, request) }
            writeResponse(response, method: head.method, versionMinor: head.versionMinor, keepAlive: head.keepAlive, acceptsGzip: gzip)
        case .found(.immediateFirst(let attempt, let fallback), let params, _):
            let response: HTTPResponse?
            do { response = try attempt(request, params) } catch { response = context.render(error, request) }
            guard let response else {
                runAsync(fallback, request: request, params: params, head: head, acceptsGzip: gzip)
                return
            }
            writeResponse(response, method: head.method, versionMinor: head.versionMinor, keepAlive: head.keepAlive, acceptsGzip: gzip)
        case .found(.async(let handler), let params, _):
            runAsync(handler, request: request, params: params, head: head, acceptsGzip: gzip)
        case .found(.asyncOnLoop(let handler), let params, _):
            runAsync(handler, request: request, params: params, head: head, acceptsGzip: gzip, onLoop: true)
        }
    }

    /// Runs `handler` on Swift's shared executor, or with the loop as its preferred executor;
    /// `complete` writes its response.
    func runAsync(_ handler: @escaping HTTPHandler, request: HTTPRequest, params: RouteParameters, head: HTTPRequestHead,
                  acceptsGzip: Bool, onLoop: Bool = false) {
        inFlight = true
        deadlineKind = .none
        let context = self.context
        let operation: @Sendable () async -> Void = {
            let response: HTTPResponse
            do { response = try await handler(request, params) } catch { response = context.render(error, request) }
            await self.complete(response, head: head, acceptsGzip: acceptsGzip)
        }
        if onLoop { Task(executorPreference: loop, operation: operation) } else { Task(operation: operation) }
    }

    /// Called on a task thread when an async handler returns.
    func complete(_ response: HTTPResponse, head: HTTPRequestHead, acceptsGzip: Bool) async {
        lock.lock()
        guard !closed else { lock.unlock(); return }
        if case .stream(let produce) = response.body, head.method != .head {
            await stream(response, produce: produce, head: head)
            return
        }
        writeResponse(response, method: head.method, versionMinor: head.versionMinor, keepAlive: head.keepAlive, acceptsGzip: acceptsGzip)
        inFlight = false
        process()
        finishOffLoop()
    }

    /// Releases the lock taken off the loop thread, asking the loop to close the fd if needed.
    func finishOffLoop() {
        let close = closing && !closed
        lock.unlock()
        if close { loop.requestClose(self) }
    }

    /// Encodes a complete response into the output buffer (lock held).
    func writeResponse(_ response: HTTPResponse, method: HTTPMethod, versionMinor: Int, keepAlive requested: Bool, acceptsGzip: Bool) {
        let keepAlive = requested && !context.isDraining
        var headers = response.headers
        var body: [UInt8]
        switch response.body {
        case .bytes(let b): body = b
        case .stream: body = []  // HEAD of a streaming route: head only
        }
        if acceptsGzip && body.count >= context.configuration.gzipMinimumBytes && !headers.contains("Content-Encoding")
            && GzipCompression.isCompressible(contentType: headers["Content-Type"]), let gz = GzipCompression.compress(body) {
            body = gz
            headers.set("Content-Encoding", "gzip")
            headers.add("Vary", "Accept-Encoding")
        }
        let framing: ResponseEncoder.Framing
        if case .stream = response.body { framing = .chunked } else { framing = .length(body.count) }
        ResponseEncoder.encodeHead(status: response.status, headers: headers, framing: framing, keepAlive: keepAlive,
                                   requestVersionMinor: versionMinor, date: HTTPDateCache.shared.current(), into: &output)
        if method != .head && response.status != 204 && response.status != 304 { output.append(contentsOf: body) }
        if !keepAlive { closeAfterFlush = true }
    }

    // MARK: writing (lock held)

    /// Sends buffered output until done or the socket is full (EPOLLOUT resumes it).
    func flush() {
        guard !closed else { return }
        while outputIndex < output.count {
            let n: Int?
            do {
                let fd = self.fd, from = outputIndex
                n = try output.withUnsafeBufferPointer { b throws(HTTPServerError) in
                    try Syscall.nonBlocking("send") { send(fd, b.baseAddress! + from, b.count - from, Int32(MSG_NOSIGNAL)) }
                }
            } catch {
                closing = true
                output.removeAll(); outputIndex = 0
                resumeDrainWaiter(error: error)
                return
            }
            guard let n else { return }
            outputIndex += n
        }
        if output.count > 0 {
            if output.capacity > 64 * 1024 { output = [] } else { output.removeAll(keepingCapacity: true) }
            outputIndex = 0
        }
        resumeDrainWaiter(error: nil)
        if closeAfterFlush && !lingering && !inFlight {
            // Lingering close (RFC 9112 §9.6): stop sending, drain what the client still sends,
            // so a queued error response is not destroyed by a TCP reset.
            shutdown(fd, Int32(SHUT_WR))
            lingering = true
            deadlineKind = .linger
            deadline = Syscall.monotonicMilliseconds() + Self.lingerMilliseconds
            readAvailable()
            if peerClosedRead { closing = true }
        }
    }

    func resumeDrainWaiter(error: (any Error)?) {
        guard let w = drainWaiter else { return }
        drainWaiter = nil
        if let error { w.resume(throwing: error) } else { w.resume() }
    }

    /// Handles a timeout found by the loop's sweep (lock held). Returns whether to close now.
    func expire(now: Int64) -> Bool {
        guard deadlineKind != .none, now >= deadline, !inFlight else { return false }
        switch deadlineKind {
        case .header, .body:
            let e = PlainServiceError(status: 408, code: "request_timeout",
                                      message: "The request was not received in time; send it faster or retry.")
            pendingHead = nil
            writeResponse(.error(e), method: .get, versionMinor: 1, keepAlive: false, acceptsGzip: false)
            flush()
            if !lingering { return true }
            return closing
        default:
            return true
        }
    }
}
