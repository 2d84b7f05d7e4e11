import MeshCore

/// The request methods this server recognises: the methods of RFC 9110 §9 and PATCH. Routes
/// decide which a resource allows (405 with `Allow` otherwise: TRACE and CONNECT are known but no
/// route allows them). Any other syntactically valid method gets 501 (RFC 9110 §9.1: a server
/// that does not recognise a method responds 501 Not Implemented).
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE"
    case patch = "PATCH", options = "OPTIONS", trace = "TRACE", connect = "CONNECT"

    /// Parses the exact, case-sensitive method token (RFC 9110 §9.1: methods are case-sensitive).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        switch bytes.count {
        case 3:
            if bytes[0] == 0x47 && bytes[1] == 0x45 && bytes[2] == 0x54 { self = .get; return }
            if bytes[0] == 0x50 && bytes[1] == 0x55 && bytes[2] == 0x54 { self = .put; return }
        case 4:
            if Self.equal(bytes, "HEAD") { self = .head; return }
            if Self.equal(bytes, "POST") { self = .post; return }
        case 5:
            if Self.equal(bytes, "PATCH") { self = .patch; return }
            if Self.equal(bytes, "TRACE") { self = .trace; return }
        case 6: if Self.equal(bytes, "DELETE") { self = .delete; return }
        case 7:
            if Self.equal(bytes, "OPTIONS") { self = .options; return }
            if Self.equal(bytes, "CONNECT") { self = .connect; return }
        default: break
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        guard bytes.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<bytes.count where bytes[i] != p[i] { return false }
        return true
    }
}

/// An ordered list of header fields with case-insensitive name lookup (RFC 9110 §5.1).
///
/// A value type: copies are independent; safe to share across threads once built.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    /// The fields in the order received or added; names keep their original case.
    public private(set) var fields: [(name: String, value: String)]

    /// An empty header list.
    public init() { fields = [] }
    /// Headers from `(name, value)` pairs, kept in order.
    public init(_ pairs: [(String, String)]) { fields = pairs.map { (name: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    /// The first value of `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        for f in fields where Self.namesEqual(f.name, name) { return f.value }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field, keeping any existing ones with the same name.
    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    /// Replaces every field named `name` with one field holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) { fields.removeAll { Self.namesEqual($0.name, name) } }

    /// Number of fields.
    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// ASCII case-insensitive comparison, without allocating.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
        while true {
            let ca = ia.next(), cb = ib.next()
            guard let x = ca, let y = cb else { return ca == nil && cb == nil }
            if x == y { continue }
            if x | 0x20 != y | 0x20 || !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) { return false }
        }
    }
}

/// One complete HTTP request as handlers see it: head and whole body.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path, still percent-encoded as sent (e.g. `/api/v1/courses/a%20b`).
    public var path: String
    /// The raw query string after `?`, without the `?` (empty if none).
    public var rawQuery: String
    /// Decoded query parameters (percent-decoding, `+` as space, repeated keys kept).
    public var query: QueryParameters { QueryParameters(rawQuery) }
    /// Request headers; lookup is case-insensitive.
    public var headers: HTTPHeaders
    /// The whole request body (empty when none was sent).
    public var body: [UInt8]
    /// The peer's address as `ip:port` (`[ip]:port` for IPv6); empty in pure tests.
    public var remoteAddress: String
    /// HTTP minor version (0 or 1).
    public var versionMinor: Int

    /// A request value, mostly for tests and in-process callers.
    public init(method: HTTPMethod, path: String, rawQuery: String = "", headers: HTTPHeaders = [:],
                body: [UInt8] = [], remoteAddress: String = "", versionMinor: Int = 1) {
        self.method = method; self.path = path; self.rawQuery = rawQuery; self.headers = headers
        self.body = body; self.remoteAddress = remoteAddress; self.versionMinor = versionMinor
    }
}

/// Writes the chunks of a streaming response body. Each `write` waits while the connection's
/// send buffer is full (back-pressure); throws `HTTPServerError` once the client is gone.
public protocol HTTPBodyWriter: Sendable {
    /// Sends `bytes` as one chunk (an empty array sends nothing).
    func write(_ bytes: [UInt8]) async throws
}

/// A response: status, headers, and a body that is either bytes or a chunked stream.
public struct HTTPResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// A complete body sent with `Content-Length`.
        case bytes([UInt8])
        /// A body produced over time, sent with `Transfer-Encoding: chunked` (close-delimited to HTTP/1.0 clients).
        case stream(@Sendable (any HTTPBodyWriter) async throws -> Void)
    }

    /// The status code (100…599).
    public var status: Int
    /// Response headers; the server adds `Date`, `Content-Length`/`Transfer-Encoding` and `Connection`.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body

    /// A response with a complete body.
    public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status; self.headers = headers; self.body = .bytes(body)
    }

    /// A streaming (chunked) response; `produce` writes the body and returns when done.
    public init(status: Int = 200, headers: HTTPHeaders = [:],
                stream produce: @escaping @Sendable (any HTTPBodyWriter) async throws -> Void) {
        self.status = status; self.headers = headers; self.body = .stream(produce)
    }

    /// A UTF-8 text response with the given content type.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    /// A JSON response from already-encoded bytes.
    public static func json(_ bytes: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: bytes)
    }

    /// A JSON response encoding `value` with `JSONCoding`; throws if encoding fails.
    public static func json<T: Encodable>(encoding value: T, status: Int = 200) throws -> HTTPResponse {
        .json(try JSONCoding.encode(value), status: status)
    }

    /// The `{"error":{"code":"…","message":"…"}}` rendering of `error`, with its status.
    public static func error(_ error: any ServiceError) -> HTTPResponse {
        let bytes = (try? JSONCoding.encode(ErrorBody(error))) ?? Array(#"{"error":{"code":"internal_error","message":"error"}}"#.utf8)
        return .json(bytes, status: error.status)
    }
}
