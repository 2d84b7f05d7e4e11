import MeshCore

/// A complete reply from a peer: status, header fields in arrival order, and the whole body.
/// A value type; safe to pass between tasks.
public struct HTTPClientResponse: Sendable, Equatable {
    /// The status code of the final response (interim 1xx responses are skipped).
    public var status: Int
    /// Header fields as received, names in their original case, repeated names kept.
    public var headers: [(name: String, value: String)]
    /// The body bytes, already de-chunked; at most the client's `maxResponseBytes`.
    public var body: [UInt8]

    /// Makes a response value (useful for test doubles of code that takes responses).
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively (RFC 9110 §5.1), or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public static func == (lhs: HTTPClientResponse, rhs: HTTPClientResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// The limits and timeouts of an `HTTPClient`, each with a documented default.
public struct HTTPClientSettings: Sendable, Equatable {
    /// Connections open at once to one peer (scheme, host and port); further requests to that
    /// peer wait in a queue for a free connection. Default 8.
    public var maxConnectionsPerPeer: Int = 8
    /// Idle keep-alive connections kept for reuse across all peers. Default 64.
    public var maxIdleConnections: Int = 64
    /// Time allowed for a whole request (queueing, connect, send, reply) when the call gives
    /// none. Default 10 s.
    public var defaultTimeout: Duration = .seconds(10)
    /// Time allowed to establish a TCP connection, within the request's timeout. Default 3 s.
    public var connectTimeout: Duration = .seconds(3)
    /// Largest reply body accepted; larger replies fail with `bodyTooLarge`. Default 8 MiB.
    public var maxResponseBytes: Int = 8 << 20
    /// `User-Agent` sent with every request. Default `CourseMesh`.
    public var userAgent: String = "CourseMesh"

    /// The defaults above.
    public init() {}
}

/// Reads the parts of a reply that libcurl hands over as raw header lines. Pure logic.
struct ResponseHeadParser {
    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []

    /// Feeds one header line including its CRLF. A status line starts a new head, so interim
    /// 1xx responses (RFC 9110 §15.2) are replaced by the final one.
    mutating func feed(_ line: some Collection<UInt8>) {
        var bytes = Array(line)
        while bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
        if bytes.starts(with: "HTTP/".utf8) {
            let parts = bytes.split(separator: 0x20, maxSplits: 2)
            status = parts.count >= 2 ? Int(String(decoding: parts[1], as: UTF8.self)) ?? 0 : 0
            headers = []
        } else if let field = fieldLine(bytes) {
            headers.append(field)
        }
    }
}

/// The `{"error":{"code":"…","message":"…"}}` body of a failed reply, if that is what it is.
func decodeErrorBody(_ body: [UInt8]) -> ErrorBody? {
    guard body.first == UInt8(ascii: "{") else { return nil }
    return try? JSONCoding.decode(ErrorBody.self, from: body)
}
