import MeshCore

/// Why a request could not be parsed: the status to answer with, a stable code and a short reason.
/// After any of these the server answers once and closes the connection.
public struct HTTPParseError: ServiceError, Equatable, CustomStringConvertible {
    /// 400, 413, 417, 431, 501 or 505.
    public var status: Int
    /// Stable snake_case code, e.g. `obsolete_line_folding`.
    public var code: String
    /// What was wrong, for the response body and logs.
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status; self.code = code; self.message = message
    }

    public var description: String { "\(status) \(code): \(message)" }

    static func bad(_ code: String, _ message: String) -> HTTPParseError {
        HTTPParseError(status: 400, code: code, message: message)
    }
    static let headersTooLarge = HTTPParseError(status: 431, code: "headers_too_large",
        message: "The request line and header fields exceed the server's limit; send fewer or shorter headers.")
    static func bodyTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 413, code: "body_too_large",
                       message: "The request body exceeds the limit of \(limit) bytes for this resource.")
    }
}

/// Errors of the server's socket layer and lifecycle. Each names the failing call and errno.
public struct HTTPServerError: ServiceError, CustomStringConvertible {
    /// The operation that failed, e.g. `bind` or `epoll_wait`.
    public var operation: String
    /// `errno` at the time of failure (0 when not a system call).
    public var errno: Int32
    /// What failed and what to do.
    public var message: String

    public init(operation: String, errno: Int32, message: String) {
        self.operation = operation; self.errno = errno; self.message = message
    }

    public var status: Int { 503 }
    public var code: String { "server_\(operation)" }
    public var description: String { "\(operation) failed (errno \(errno)): \(message)" }
}

/// The 500 body for a handler error that is not a `ServiceError`: no internals leak to the client.
struct InternalServerError: ServiceError {
    var status: Int { 500 }
    var code: String { "internal_error" }
    var message: String { "The server failed while handling the request; the error is in its log." }
}
