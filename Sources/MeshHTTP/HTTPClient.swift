import MeshCore
import Synchronization

/// An HTTP/1.1 client for talking to peers: overlay messages, posting batches, queries.
///
/// - Connections: keep-alive connections are reused per peer (scheme, host, port); at most
///   `settings.maxConnectionsPerPeer` are open to one peer at once and further requests queue.
/// - Timeouts: every request has one deadline covering its wait in that queue, the connect, the
///   upload and the whole reply (`settings.defaultTimeout` unless the call gives one).
/// - Errors: every method throws `HTTPClientError` only; a reply outside 200…299 is
///   `.badStatus`, with the peer's `{"error":{…}}` code and message when it sent one.
/// - Threads: safe to share between tasks. Network I/O runs on one dedicated thread per client
///   (libcurl's multi interface), never on Swift's shared pool; callers only suspend. A caller
///   running on one of this process's `HTTPServer` event loops (a `.asyncOnLoop` route) sends
///   its plain-http requests to IP-literal peers from that loop instead (`LoopClient`), so the
///   round trip wakes no other thread; limits, timeouts and errors are the same.
/// - Cancellation: cancelling the calling task abandons the request at once with `.cancelled`.
/// - Lifecycle: `shutdown()` (or releasing the client) fails pending requests with `.cancelled`
///   and closes its connections. Create one client per process and share it.
public final class HTTPClient: Sendable {
    /// The limits this client was created with.
    public let settings: HTTPClientSettings
    private let engine: CurlEngine

    /// Creates a client and starts its network thread.
    public init(settings: HTTPClientSettings = HTTPClientSettings()) {
        self.settings = settings
        engine = CurlEngine(maxConnectionsPerPeer: max(1, settings.maxConnectionsPerPeer),
                            maxIdleConnections: max(1, settings.maxIdleConnections))
    }

    deinit { engine.stop() }

    /// Stops the network thread: requests in flight or queued fail with `.cancelled`, later
    /// requests fail at once. Idempotent; does not wait.
    public func shutdown() { engine.stop() }

    /// Sends one request and returns the complete reply if its status is 2xx.
    ///
    /// - Parameters:
    ///   - method: the request method, e.g. `GET`, `POST`, `PUT`, `DELETE`, `HEAD`.
    ///   - url: an absolute `http://` or `https://` URL.
    ///   - headers: extra header fields; names and values must not contain line breaks.
    ///   - body: the request body, sent with `Content-Length` (`application/octet-stream`
    ///     unless `headers` name a `Content-Type`); ignored for GET and HEAD.
    ///   - timeout: the whole request's deadline; `settings.defaultTimeout` when nil.
    /// - Throws: `HTTPClientError` for every failure, including a non-2xx status.
    public func send(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                     body: [UInt8] = [], timeout: Duration? = nil) async throws(HTTPClientError) -> HTTPClientResponse {
        let request = try validated(method: method, url: url, headers: headers, body: body, timeout: timeout)
        try Task.checkCancellation(url: url)
        if let results = await sendOnLoop([request]) { return try results[0].get() }
        let transfer = CurlTransfer(request, now: monotonicNanoseconds())
        let engine = self.engine
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    transfer.completion = { continuation.resume(with: $0.mapError { $0 as any Error }) }
                    engine.submit([transfer])
                }
            } onCancel: {
                engine.cancel(transfer)
            }
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw .transport(peer: peerAddress(of: url).description, reason: "\(error)")
        }
    }

    /// Sends several requests at once and returns each one's outcome, in order, when the last
    /// has finished: what `send` would have returned or thrown for it. The requests run in
    /// parallel like concurrent `send` calls (same connections, limits and deadlines), but are
    /// handed to the network thread together and the caller resumes once, so a round of
    /// requests to several peers costs one thread handoff each way instead of one per request.
    /// Cancelling the calling task cancels every request not yet finished.
    public func sendAll(_ requests: [HTTPClientRequest]) async -> [Result<HTTPClientResponse, HTTPClientError>] {
        var results = [Result<HTTPClientResponse, HTTPClientError>?](repeating: nil, count: requests.count)
        var valid: [(index: Int, request: ClientRequest)] = []
        for (index, request) in requests.enumerated() {
            do throws(HTTPClientError) {
                let checked = try validated(method: request.method, url: request.url, headers: request.headers,
                                            body: request.body, timeout: request.timeout)
                try Task.checkCancellation(url: request.url)
                valid.append((index, checked))
            } catch {
                results[index] = .failure(error)
            }
        }
        if !valid.isEmpty, let onLoop = await sendOnLoop(valid.map(\.request)) {
            for ((index, _), result) in zip(valid, onLoop) { results[index] = result }
        } else if !valid.isEmpty {
            let now = monotonicNanoseconds()
            let engine = self.engine, transfers = valid.map { (index: $0.index, transfer: CurlTransfer($0.request, now: now)) }
            let collected = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<[(Int, Result<HTTPClientResponse, HTTPClientError>)], Never>) in
                    let collector = BatchCollector(count: transfers.count, continuation: continuation)
                    for (index, transfer) in transfers {
                        transfer.completion = { collector.add(index, $0) }
                    }
                    engine.submit(transfers.map(\.transfer))
                }
            } onCancel: {
                for (_, transfer) in transfers { engine.cancel(transfer) }
            }
            for (index, result) in collected { results[index] = result }
        }
        return results.map { $0! }
    }

    /// Sends `requests` from the event loop running the caller, when there is one and it can
    /// take them all now (`LoopClient.accepts`): each outcome, in order. Nil when not, and then
    /// nothing was sent. Cancelling the caller cancels the requests already started.
    private func sendOnLoop(_ requests: [ClientRequest]) async -> [Result<HTTPClientResponse, HTTPClientError>]? {
        guard let loop = EventLoop.current,
              let addresses = loop.client.accepts(requests, maxConnectionsPerPeer: max(1, settings.maxConnectionsPerPeer)) else { return nil }
        let started = Mutex(Set<UInt64>())
        let collected = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[(Int, Result<HTTPClientResponse, HTTPClientError>)], Never>) in
                // The task prefers the loop, so it is still on the loop's thread here; if it
                // ever were not, nothing is started and the requests go through libcurl.
                guard loop.isCurrent else { return continuation.resume(returning: []) }
                let collector = BatchCollector(count: requests.count, continuation: continuation)
                for (index, request) in requests.enumerated() {
                    let id = loop.client.start(request, to: addresses[index]) { collector.add(index, $0) }
                    started.withLock { _ = $0.insert(id) }
                }
            }
        } onCancel: {
            loop.send(.cancelClient(started.withLock { $0 }))
        }
        guard collected.count == requests.count else { return nil }
        var results = [Result<HTTPClientResponse, HTTPClientError>?](repeating: nil, count: requests.count)
        for (index, result) in collected { results[index] = result }
        return results.map { $0! }
    }

    /// GETs `url` and returns the reply if its status is 2xx. Throws `HTTPClientError`.
    public func get(_ url: String, headers: [(name: String, value: String)] = [],
                    timeout: Duration? = nil) async throws(HTTPClientError) -> HTTPClientResponse {
        try await send(method: "GET", url: url, headers: headers, timeout: timeout)
    }

    /// GETs `url` and decodes its JSON reply as `Reply` with `JSONCoding`.
    /// Throws `HTTPClientError` (`.badBody` names the field that did not decode).
    public func getJSON<Reply: Decodable>(_ url: String, as type: Reply.Type = Reply.self,
                                          timeout: Duration? = nil) async throws(HTTPClientError) -> Reply {
        let response = try await send(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: timeout)
        return try decode(Reply.self, from: response, url: url)
    }

    /// POSTs `value` encoded with `JSONCoding` to `url` and decodes the JSON reply as `Reply`.
    /// Throws `HTTPClientError`: `.invalidRequest` if `value` does not encode, `.badBody` if the
    /// reply does not decode, and the transport and status errors of `send`.
    public func postJSON<Body: Encodable, Reply: Decodable>(
        _ url: String, _ value: Body, as type: Reply.Type = Reply.self, timeout: Duration? = nil
    ) async throws(HTTPClientError) -> Reply {
        let body: [UInt8]
        do { body = try JSONCoding.encode(value) } catch {
            throw .invalidRequest(reason: "the JSON body could not be encoded (\(error))")
        }
        let response = try await send(method: "POST", url: url,
                                      headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                      body: body, timeout: timeout)
        return try decode(Reply.self, from: response, url: url)
    }

    private func decode<Reply: Decodable>(_ type: Reply.Type, from response: HTTPClientResponse,
                                          url: String) throws(HTTPClientError) -> Reply {
        do { return try JSONCoding.decode(Reply.self, from: response.body) } catch {
            throw .badBody(url: url, reason: error.reason)
        }
    }

    private func validated(method: String, url: String, headers: [(name: String, value: String)],
                           body: [UInt8], timeout: Duration?) throws(HTTPClientError) -> ClientRequest {
        guard PeerAddress(url: url) != nil else { throw .invalidURL(url) }
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            throw .invalidRequest(reason: "the method \(method) is not an HTTP token")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw .invalidRequest(reason: "the header name \(name) is not an HTTP token")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest(reason: "the value of header \(name) contains a line break")
            }
        }
        let timeout = timeout ?? settings.defaultTimeout
        guard timeout > .zero else { throw .invalidRequest(reason: "the timeout \(timeout) is not positive") }
        return ClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout,
                             connectTimeout: settings.connectTimeout, maxResponseBytes: settings.maxResponseBytes,
                             userAgent: settings.userAgent)
    }
}

/// One request of `HTTPClient.sendAll`: the arguments `send` takes.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The whole request's deadline; the client's default when nil.
    public var timeout: Duration?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Gathers a batch's outcomes as the network thread finishes them, and resumes the caller once
/// with all of them. Thread-safe.
private final class BatchCollector: Sendable {
    private struct State {
        var remaining: Int
        var results: [(Int, Result<HTTPClientResponse, HTTPClientError>)] = []
        var continuation: CheckedContinuation<[(Int, Result<HTTPClientResponse, HTTPClientError>)], Never>?
    }
    private let state: Mutex<State>

    init(count: Int, continuation: CheckedContinuation<[(Int, Result<HTTPClientResponse, HTTPClientError>)], Never>) {
        state = Mutex(State(remaining: count, continuation: continuation))
    }

    func add(_ index: Int, _ result: Result<HTTPClientResponse, HTTPClientError>) {
        let finished: (CheckedContinuation<[(Int, Result<HTTPClientResponse, HTTPClientError>)], Never>, [(Int, Result<HTTPClientResponse, HTTPClientError>)])? = state.withLock { state in
            state.results.append((index, result))
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.results)
        }
        if let (continuation, results) = finished { continuation.resume(returning: results) }
    }
}

/// RFC 9110 §5.6.2 `tchar`: the bytes allowed in methods and header names.
private func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

extension Task where Success == Never, Failure == Never {
    /// Throws `.cancelled` if the current task is cancelled, before anything is sent.
    fileprivate static func checkCancellation(url: String) throws(HTTPClientError) {
        if Task.isCancelled { throw .cancelled(url: url) }
    }
}
