import MeshCore

/// Why an outgoing HTTP request failed. Every case names the peer or URL involved and says what
/// to check, so a log line is enough to act on. As a `ServiceError` it maps to the status a node
/// should answer when it cannot reach a peer on a client's behalf: 502 for a peer that failed or
/// answered badly, 504 for a peer that did not answer in time.
public enum HTTPClientError: ServiceError, Equatable, CustomStringConvertible {
    /// The URL is not an absolute `http://` or `https://` URL with a host.
    case invalidURL(String)
    /// The request itself is malformed (e.g. a header with a line break); nothing was sent.
    case invalidRequest(reason: String)
    /// The peer's host name did not resolve.
    case dnsFailure(host: String)
    /// Nothing listens at the peer's host and port (connection refused or unreachable).
    case connectionRefused(peer: String)
    /// The connection failed or broke for another reason (reset, TLS failure, malformed reply).
    case transport(peer: String, reason: String)
    /// No complete reply arrived within the request's timeout (queueing, connect and transfer).
    case timeout(url: String, after: Duration)
    /// The peer answered with a status outside 200…299. `code` and `detail` come from a
    /// `{"error":{"code":"…","message":"…"}}` body when the peer sent one.
    case badStatus(url: String, status: Int, code: String?, detail: String?)
    /// The reply body was larger than the client's `maxResponseBytes`.
    case bodyTooLarge(url: String, limit: Int)
    /// The reply body was not what the caller expected (e.g. not the JSON type asked for).
    case badBody(url: String, reason: String)
    /// The calling task was cancelled or the client was shut down before the reply arrived.
    case cancelled(url: String)

    public var status: Int {
        switch self {
        case .invalidURL, .invalidRequest, .cancelled: 500
        case .timeout: 504
        case .dnsFailure, .connectionRefused, .transport, .badStatus, .bodyTooLarge, .badBody: 502
        }
    }

    public var code: String {
        switch self {
        case .invalidURL: "peer_url_invalid"
        case .invalidRequest: "peer_request_invalid"
        case .dnsFailure: "peer_dns_failure"
        case .connectionRefused: "peer_refused"
        case .transport: "peer_transport_error"
        case .timeout: "peer_timeout"
        case .badStatus: "peer_bad_status"
        case .bodyTooLarge: "peer_body_too_large"
        case .badBody: "peer_bad_body"
        case .cancelled: "peer_request_cancelled"
        }
    }

    public var message: String {
        switch self {
        case .invalidURL(let url):
            "The URL \(url) is not an absolute http:// or https:// URL; check the peer's base URL."
        case .invalidRequest(let reason):
            "The request was not sent: \(reason)."
        case .dnsFailure(let host):
            "The host name \(host) did not resolve; check the peer's URL and this machine's DNS."
        case .connectionRefused(let peer):
            "Nothing accepted a connection at \(peer); the peer is down or its port is wrong."
        case .transport(let peer, let reason):
            "The connection to \(peer) failed: \(reason)."
        case .timeout(let url, let after):
            "No reply from \(url) within \(after); the peer is overloaded or unreachable, retry later."
        case .badStatus(let url, let status, let code, let detail):
            "\(url) answered \(status)" + (code.map { " \($0)" } ?? "") + (detail.map { ": \($0)" } ?? ".")
        case .bodyTooLarge(let url, let limit):
            "The reply from \(url) is larger than the \(limit)-byte limit; it was discarded."
        case .badBody(let url, let reason):
            "The reply from \(url) could not be read: \(reason)"
        case .cancelled(let url):
            "The request to \(url) was cancelled before its reply arrived."
        }
    }

    public var description: String { "\(code): \(message)" }
}
