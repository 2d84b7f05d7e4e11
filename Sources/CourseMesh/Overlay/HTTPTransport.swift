import MeshCore
import MeshHTTP
import Overlay

/// The overlay's `Transport` over HTTP: each `OverlayRequest` goes to `request.endpoint` under
/// the node's base URL, and the reply is decoded with `OverlayReply.decode(replyTo:body:)`.
///
/// - Bodies: JSON (`application/json`) for every message except `deliver`, whose raw payload is
///   sent as `application/octet-stream` (Docs/protocol.md).
/// - Errors: only `TransportError`. Nothing listening, DNS or a broken connection is
///   `.unreachable`; no complete reply within `timeout` is `.timeout`; a non-2xx reply is
///   `.rejected` with the status and the code and message of the peer's `{"error":{…}}` body;
///   a 2xx reply that does not decode (or is over `WireLimits.maxReplyBytes`) is `.malformedReply`.
/// - Threads: safe to share; the network I/O runs on the `HTTPClient`'s own thread, callers
///   only suspend. Cancelling the calling task abandons the request.
public struct HTTPTransport: Transport {
    /// The client requests go through (shared with the rest of the node).
    public let client: HTTPClient

    /// A transport over `client`. The client's `maxResponseBytes` should be at least
    /// `WireLimits.maxReplyBytes` (the default is).
    public init(client: HTTPClient) { self.client = client }

    public func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply {
        let http = try Self.httpRequest(request, to: node, timeout: timeout).get()
        let response: HTTPClientResponse
        do {
            response = try await client.send(method: http.method, url: http.url, headers: http.headers, body: http.body, timeout: timeout)
        } catch {
            throw Self.transportError(error)
        }
        return try Self.reply(to: request, from: node, response).get()
    }

    /// All requests handed to the client together (`HTTPClient.sendAll`): one handoff to its
    /// network thread for the whole round.
    public func sendAll(_ requests: [(request: OverlayRequest, node: NodeURL)], timeout: Duration) async -> [Result<OverlayReply, TransportError>] {
        // A request that does not encode fails on its own; the others go out together.
        var results: [Result<OverlayReply, TransportError>?] = []
        var sendable: [(index: Int, http: HTTPClientRequest)] = []
        for (index, item) in requests.enumerated() {
            switch Self.httpRequest(item.request, to: item.node, timeout: timeout) {
            case .success(let http): sendable.append((index, http)); results.append(nil)
            case .failure(let error): results.append(.failure(error))
            }
        }
        let responses = await client.sendAll(sendable.map(\.http))
        for ((index, _), response) in zip(sendable, responses) {
            let (request, node) = requests[index]
            results[index] = response.mapError(Self.transportError).flatMap { Self.reply(to: request, from: node, $0) }
        }
        return results.map { $0! }
    }

    /// The HTTP request that carries `request` to `node`, or why it could not be encoded.
    private static func httpRequest(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) -> Result<HTTPClientRequest, TransportError> {
        let (method, path) = request.endpoint
        let body: [UInt8]
        do { body = try request.encodeBody() } catch {
            return .failure(.malformedReply("the request could not be encoded: \(error)"))
        }
        let contentType: String
        if case .deliver = request { contentType = "application/octet-stream" } else { contentType = "application/json" }
        return .success(HTTPClientRequest(method: method, url: node.endpoint(path),
                                          headers: [("Content-Type", contentType), ("Accept", "application/json")],
                                          body: body, timeout: timeout))
    }

    /// The decoded reply of a 2xx `response` to `request`.
    private static func reply(to request: OverlayRequest, from node: NodeURL, _ response: HTTPClientResponse) -> Result<OverlayReply, TransportError> {
        do {
            return .success(try OverlayReply.decode(replyTo: request, body: response.body))
        } catch {
            return .failure(.malformedReply("\(node) answered \(request.endpoint.path) with a reply that does not decode: \(error.message)"))
        }
    }

    /// How each client failure reads to the overlay.
    static func transportError(_ error: HTTPClientError) -> TransportError {
        switch error {
        case .timeout: .timeout
        case .badStatus(_, let status, let code, let detail):
            .rejected(status: status, code: code ?? "http_\(status)", message: detail ?? "the peer answered \(status)")
        case .bodyTooLarge(let url, let limit):
            .malformedReply("the reply from \(url) exceeds \(limit) bytes")
        case .badBody(_, let reason):
            .malformedReply(reason)
        case .invalidURL, .invalidRequest, .dnsFailure, .connectionRefused, .transport, .cancelled:
            .unreachable(error.message)
        }
    }
}
