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
        let (method, path) = request.endpoint
        let body: [UInt8]
        do { body = try request.encodeBody() } catch {
            throw .malformedReply("the request could not be encoded: \(error)")
        }
        let contentType: String
        if case .deliver = request { contentType = "application/octet-stream" } else { contentType = "application/json" }
        let response: HTTPClientResponse
        do {
            response = try await client.send(method: method, url: node.endpoint(path),
                                             headers: [("Content-Type", contentType), ("Accept", "application/json")],
                                             body: body, timeout: timeout)
        } catch {
            throw Self.transportError(error)
        }
        do {
            return try OverlayReply.decode(replyTo: request, body: response.body)
        } catch {
            throw .malformedReply("\(node) answered \(path) with a reply that does not decode: \(error.message)")
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
