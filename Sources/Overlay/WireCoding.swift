import MeshCore

/// Every overlay request, as one value; the HTTP method and path follow from the case
/// (Docs/protocol.md). Append-only: new message types get new cases and paths.
public enum OverlayRequest: Hashable, Sendable {
    case ping(PingRequest)
    case join(JoinRequest)
    case members(MembersRequest)
    case lookup(LookupRequest)
    case store(StoreRequest)
    case fetch(FetchRequest)
    case handover(HandoverRequest)
    case leave(LeaveRequest)
    case digest(DigestRequest)
    case events(EventsRequest)
    case deliver(DeliverRequest)

    /// The HTTP method and path this request is sent with. All are POST with a JSON body,
    /// except that a join callback may also use `GET /overlay/v1/ping` with no body.
    public var endpoint: (method: String, path: String) {
        switch self {
        case .ping: ("POST", "/overlay/v1/ping")
        case .join: ("POST", "/overlay/v1/join")
        case .members: ("POST", "/overlay/v1/members")
        case .lookup: ("POST", "/overlay/v1/lookup")
        case .store: ("POST", "/overlay/v1/store")
        case .fetch: ("POST", "/overlay/v1/fetch")
        case .handover: ("POST", "/overlay/v1/handover")
        case .leave: ("POST", "/overlay/v1/leave")
        case .digest: ("POST", "/overlay/v1/digest")
        case .events: ("POST", "/overlay/v1/events")
        case .deliver(let m): ("POST", "/overlay/v1/app/" + m.app)
        }
    }

    /// The body: JSON with sorted keys, or the raw payload of `deliver`.
    public func encodeBody() throws -> [UInt8] {
        switch self {
        case .ping(let m): try JSONCoding.encode(m)
        case .join(let m): try JSONCoding.encode(m)
        case .members(let m): try JSONCoding.encode(m)
        case .lookup(let m): try JSONCoding.encode(m)
        case .store(let m): try JSONCoding.encode(m)
        case .fetch(let m): try JSONCoding.encode(m)
        case .handover(let m): try JSONCoding.encode(m)
        case .leave(let m): try JSONCoding.encode(m)
        case .digest(let m): try JSONCoding.encode(m)
        case .events(let m): try JSONCoding.encode(m)
        case .deliver(let m): m.payload
        }
    }

    /// Decodes and validates a request received at `method path`. Throws `OverlayError`
    /// (unknown endpoint, too large, malformed, wrong version); never has side effects.
    public static func decode(method: String, path: String, body: [UInt8]) throws(OverlayError) -> OverlayRequest {
        guard body.count <= WireLimits.maxRequestBytes else {
            throw .tooLarge("request body of \(body.count) bytes exceeds \(WireLimits.maxRequestBytes)")
        }
        if method == "GET" && path == "/overlay/v1/ping" && body.isEmpty { return .ping(PingRequest(from: nil)) }
        guard method == "POST" else { throw .unknownEndpoint("\(method) \(path)") }
        let request: OverlayRequest
        switch path {
        case "/overlay/v1/ping": request = .ping(try decodeJSON(PingRequest.self, body))
        case "/overlay/v1/join": request = .join(try decodeJSON(JoinRequest.self, body))
        case "/overlay/v1/members": request = .members(try decodeJSON(MembersRequest.self, body))
        case "/overlay/v1/lookup": request = .lookup(try decodeJSON(LookupRequest.self, body))
        case "/overlay/v1/store": request = .store(try decodeJSON(StoreRequest.self, body))
        case "/overlay/v1/fetch": request = .fetch(try decodeJSON(FetchRequest.self, body))
        case "/overlay/v1/handover": request = .handover(try decodeJSON(HandoverRequest.self, body))
        case "/overlay/v1/leave": request = .leave(try decodeJSON(LeaveRequest.self, body))
        case "/overlay/v1/digest": request = .digest(try decodeJSON(DigestRequest.self, body))
        case "/overlay/v1/events": request = .events(try decodeJSON(EventsRequest.self, body))
        case _ where path.hasPrefix("/overlay/v1/app/"):
            let app = String(path.dropFirst("/overlay/v1/app/".count))
            guard DeliverRequest.isValidAppName(app) else {
                throw .malformed("application name \"\(app.prefix(80))\" must be 1-\(WireLimits.maxAppNameBytes) of a-z 0-9 - _ .")
            }
            request = .deliver(DeliverRequest(app: app, payload: body))
        default: throw .unknownEndpoint("\(method) \(path)")
        }
        try request.validate()
        return request
    }

    /// Checks version and list limits.
    public func validate() throws(OverlayError) {
        func check(_ v: Int) throws(OverlayError) { if v != WireLimits.protocolVersion { throw .unsupportedVersion(v) } }
        func limit(_ n: Int, _ max: Int, _ what: String) throws(OverlayError) {
            if n > max { throw .tooLarge("\(n) \(what), at most \(max) allowed") }
        }
        switch self {
        case .ping(let m): try check(m.v); try limit(m.events.count, WireLimits.maxEventsPerMessage, "events")
        case .join(let m): try check(m.v)
            if !m.member.alive { throw .malformed("member.alive must be true in a join") }
        case .members(let m): try check(m.v)
            if m.limit < 1 { throw .malformed("limit must be at least 1") }
            try limit(m.limit, WireLimits.maxMembersPerPage, "members per page")
        case .lookup(let m): try check(m.v)
            try limit(m.app?.utf8.count ?? 0, WireLimits.maxAppNameBytes, "bytes of application name")
            try limit(m.payload?.bytes.count ?? 0, WireLimits.maxPayloadBytes, "payload bytes")
            if (m.app == nil) != (m.payload == nil) { throw .malformed("app and payload go together") }
        case .store(let m): try check(m.v); try limit(m.items.count, WireLimits.maxItemsPerMessage, "items")
        case .fetch(let m): try check(m.v); try limit(m.keys.count, WireLimits.maxItemsPerMessage, "keys")
        case .handover(let m): try check(m.v)
            if m.limit < 1 { throw .malformed("limit must be at least 1") }
            try limit(m.limit, WireLimits.maxItemsPerMessage, "items per page")
        case .leave(let m): try check(m.v); try limit(m.items.count, WireLimits.maxItemsPerMessage, "items")
            if m.member.alive { throw .malformed("member.alive must be false in a leave") }
        case .digest(let m): try check(m.v)
            if UInt64(m.digest, radix: 16) == nil { throw .malformed("digest must be hex") }
        case .events(let m): try check(m.v); try limit(m.events.count, WireLimits.maxEventsPerMessage, "events")
        case .deliver(let m):
            if !DeliverRequest.isValidAppName(m.app) { throw .malformed("invalid application name") }
            try limit(m.payload.count, WireLimits.maxPayloadBytes, "payload bytes")
        }
        for item in storedItems {
            try limit(item.name.utf8.count, WireLimits.maxItemNameBytes, "bytes of item name")
        }
    }

    /// Items carried by a store or leave message (empty for others).
    var storedItems: [StoredItem] {
        switch self {
        case .store(let m): m.items
        case .leave(let m): m.items
        default: []
        }
    }
}

/// Every overlay reply. Which case answers which request is fixed (Docs/protocol.md).
public enum OverlayReply: Hashable, Sendable {
    case pong(PingReply)
    case ack(AckReply)
    case members(MembersReply)
    case lookup(LookupReply)
    case items(ItemsReply)
    case digest(DigestReply)
    /// The application's reply bytes to a `deliver`.
    case payload([UInt8])

    /// The JSON body, or the raw bytes of `payload`.
    public func encodeBody() throws -> [UInt8] {
        switch self {
        case .pong(let m): try JSONCoding.encode(m)
        case .ack(let m): try JSONCoding.encode(m)
        case .members(let m): try JSONCoding.encode(m)
        case .lookup(let m): try JSONCoding.encode(m)
        case .items(let m): try JSONCoding.encode(m)
        case .digest(let m): try JSONCoding.encode(m)
        case .payload(let bytes): bytes
        }
    }

    /// Decodes the reply to `request` from `body`; throws `OverlayError` on size, shape or version.
    public static func decode(replyTo request: OverlayRequest, body: [UInt8]) throws(OverlayError) -> OverlayReply {
        guard body.count <= WireLimits.maxReplyBytes else {
            throw .tooLarge("reply body of \(body.count) bytes exceeds \(WireLimits.maxReplyBytes)")
        }
        let reply: OverlayReply
        let version: Int
        switch request {
        case .ping: let m = try decodeJSON(PingReply.self, body); reply = .pong(m); version = m.v
            if m.id != m.member.id { throw .malformed("id does not match member.url") }
        case .join, .store, .leave, .events: let m = try decodeJSON(AckReply.self, body); reply = .ack(m); version = m.v
        case .members: let m = try decodeJSON(MembersReply.self, body); reply = .members(m); version = m.v
            if m.members.count > WireLimits.maxMembersPerPage { throw .tooLarge("\(m.members.count) members in one page") }
        case .lookup: let m = try decodeJSON(LookupReply.self, body); reply = .lookup(m); version = m.v
            if m.closer.count > WireLimits.maxCloserNodes { throw .tooLarge("\(m.closer.count) closer nodes") }
        case .fetch, .handover: let m = try decodeJSON(ItemsReply.self, body); reply = .items(m); version = m.v
        case .digest: let m = try decodeJSON(DigestReply.self, body); reply = .digest(m); version = m.v
        case .deliver: return .payload(body)
        }
        if version != WireLimits.protocolVersion { throw .unsupportedVersion(version) }
        return reply
    }
}

func decodeJSON<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(OverlayError) -> T {
    do { return try JSONCoding.decode(T.self, from: body) } catch { throw .malformed(error.reason) }
}

/// Why a request to another node failed.
public enum TransportError: Error, Sendable, Equatable {
    /// No reply within the timeout.
    case timeout
    /// The node could not be reached (connection refused, DNS, reset).
    case unreachable(String)
    /// The node answered with an error body (`status`, `code` from `{"error":…}`).
    case rejected(status: Int, code: String, message: String)
    /// The reply could not be decoded.
    case malformedReply(String)
}

/// The overlay's only way out: send one request to a node and await its reply.
///
/// The HTTP implementation maps each request to `endpoint` (method, path under the node URL),
/// sends `encodeBody()` as `application/json`, and decodes the reply with
/// `OverlayReply.decode(replyTo:body:)`; non-2xx replies become `.rejected`. Implementations
/// are thread-safe and must give up after `timeout`.
public protocol Transport: Sendable {
    func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply
    /// Sends every request at once and returns each outcome, in order, once all have finished:
    /// what `send` would have returned or thrown for it. The default sends them concurrently
    /// with `send`; the HTTP implementation hands them to its network thread together.
    func sendAll(_ requests: [(request: OverlayRequest, node: NodeURL)], timeout: Duration) async -> [Result<OverlayReply, TransportError>]
}

extension Transport {
    public func sendAll(_ requests: [(request: OverlayRequest, node: NodeURL)], timeout: Duration) async -> [Result<OverlayReply, TransportError>] {
        await requests.concurrentMap { item in
            do throws(TransportError) { return .success(try await send(item.request, to: item.node, timeout: timeout)) }
            catch { return .failure(error) }
        }
    }
}
