import MeshCore

/// Everything the overlay can refuse or fail at. Conforms to `ServiceError`, so the HTTP layer
/// renders it as `{"error":{"code":"…","message":"…"}}`. Throwing one never changes node state.
public enum OverlayError: ServiceError, Equatable, CustomStringConvertible {
    /// A node URL that does not normalize (see `NodeURL`).
    case invalidURL(String)
    /// A request or reply body that is not valid for its message type.
    case malformed(String)
    /// A body or list longer than the named limit in `WireLimits`.
    case tooLarge(String)
    /// A message of a protocol version this node does not speak.
    case unsupportedVersion(Int)
    /// No overlay endpoint at this method and path.
    case unknownEndpoint(String)
    /// The node is not (yet, or any more) a member and cannot serve this.
    case notMember(String)
    /// A routed message names an application not registered on the owner.
    case unknownApplication(String)
    /// A join whose callback verification failed (the URL did not answer as the joiner).
    case joinRefused(String)
    /// An application or the item store refused or failed; its own status, code and message.
    case application(status: Int, code: String, message: String)

    public var status: Int {
        switch self {
        case .invalidURL, .malformed, .unsupportedVersion: 400
        case .tooLarge: 413
        case .unknownEndpoint, .unknownApplication: 404
        case .notMember: 503
        case .joinRefused: 403
        case .application(let status, _, _): status
        }
    }

    public var code: String {
        switch self {
        case .invalidURL: "invalid_node_url"
        case .malformed: "malformed_message"
        case .tooLarge: "message_too_large"
        case .unsupportedVersion: "unsupported_version"
        case .unknownEndpoint: "unknown_endpoint"
        case .notMember: "not_member"
        case .unknownApplication: "unknown_application"
        case .joinRefused: "join_refused"
        case .application(_, let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .invalidURL(let why): "Invalid node URL \(why)."
        case .malformed(let why): "Malformed overlay message: \(why). Check the body against Docs/protocol.md."
        case .tooLarge(let why): "Overlay message too large: \(why). Send it in smaller pages."
        case .unsupportedVersion(let v): "Overlay protocol version \(v) is not supported; this node speaks version \(WireLimits.protocolVersion)."
        case .unknownEndpoint(let what): "No overlay endpoint \(what); see Docs/protocol.md for the list."
        case .notMember(let why): "This node is not an active overlay member: \(why). Retry later or ask another node."
        case .unknownApplication(let name): "No application \"\(name)\" is registered on this node."
        case .application(_, _, let message): message
        case .joinRefused(let why): "Join refused: \(why). Join under the URL this node is served at."
        }
    }

    public var description: String { "\(code): \(message)" }
}
