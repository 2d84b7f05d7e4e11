#if canImport(Glibc)
import Glibc
#endif

/// What `HTTPRequestParser.next` found in the bytes it was given.
public enum HTTPParserEvent: Sendable, Equatable {
    /// No complete element yet: read more bytes and call again.
    case needMore
    /// The request line and header fields of the next request. Call `next` again for its body;
    /// before doing so the caller may set `bodyLimit` (per-route limit) and send `100 Continue`.
    case head(HTTPRequestHead)
    /// The complete body of the request whose head came last (empty when it had none).
    case body([UInt8])
    /// The request is malformed or over a limit; answer with `error.status` and close.
    case error(HTTPParseError)
}

/// The parsed request line and header section (RFC 9112 §3, §5), with the framing decided.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The path part of the target, still percent-encoded (`*` for `OPTIONS *`).
    public var path: String
    /// The query after `?`, without the `?`, still encoded.
    public var rawQuery: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var versionMinor: Int
    public var headers: HTTPHeaders
    /// Whether the connection may stay open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` (RFC 9110 §10.1.1).
    public var expectContinue: Bool
    /// The declared `Content-Length`, nil when absent or chunked.
    public var contentLength: Int?
    /// Whether the body is sent with `Transfer-Encoding: chunked`.
    public var chunked: Bool
}

/// An incremental HTTP/1.1 request parser (RFC 9112): a value-type state machine with no I/O.
///
/// Feed it the connection's unconsumed bytes; it advances `index` past what it consumed and
/// returns one event at a time. Bytes after one request are left for the next (pipelining).
/// Line endings: RFC 9112 §2.2 lets a recipient accept a bare LF; this parser does not — a bare
/// LF anywhere in the head, a chunk line or trailers is a 400, because peers that disagree about
/// line endings are a known request-smuggling vector, and every real client sends CRLF.
/// Not thread-safe (a value: each connection owns its own).
public struct HTTPRequestParser: Sendable {
    /// Size limits; defaults match `HTTPServer.Configuration`.
    public struct Limits: Sendable, Equatable {
        /// Request line plus header section, in bytes (431 beyond). Trailers share this limit.
        public var maxHeaderBytes: Int = 16 * 1024
        /// Default body limit in bytes (413 beyond); `bodyLimit` can change it per request.
        public var maxBodyBytes: Int = 1 << 20
        /// Maximum number of header fields (431 beyond).
        public var maxHeaderCount: Int = 100
        /// Maximum length of one chunk-size line including extensions (400 beyond).
        public var maxChunkLineBytes: Int = 1024
        public init() {}
    }

    enum Framing: Sendable { case none, length(Int), chunked }
    enum State: Sendable {
        case head(scanned: Int, lineStart: Int)
        case bodyPending(Framing)
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(total: Int)
        case failed(HTTPParseError)
    }

    public var limits: Limits
    /// The body limit for the request whose head was returned last; reset to `limits.maxBodyBytes`
    /// after each body. Set it between the `.head` event and the next call to apply a route's limit.
    public var bodyLimit: Int
    var state: State = .head(scanned: 0, lineStart: 0)
    var body: [UInt8] = []

    /// A parser waiting for a request line.
    public init(limits: Limits = Limits()) {
        self.limits = limits
        self.bodyLimit = limits.maxBodyBytes
    }

    /// Whether the parser is between requests with nothing buffered of the next one's head.
    public var isAtRequestStart: Bool {
        if case .head(let s, _) = state { return s == 0 }
        return false
    }

    /// Whether the parser is reading a body (for choosing the body-read timeout).
    public var isReadingBody: Bool {
        switch state {
        case .head, .failed: return false
        default: return true
        }
    }

    /// Parses from `bytes[index...]`, advancing `index` past consumed bytes.
    public mutating func next(_ bytes: [UInt8], index: inout Int) -> HTTPParserEvent {
        bytes.withUnsafeBufferPointer { next(bytes: $0, index: &index) }
    }

    /// Parses from `bytes[index...]`, advancing `index` past consumed bytes.
    public mutating func next(bytes: UnsafeBufferPointer<UInt8>, index: inout Int) -> HTTPParserEvent {
        while true {
            switch state {
            case .failed(let e):
                return .error(e)
            case .head(let scanned, let lineStart):
                return nextHead(bytes, &index, scanned, lineStart)
            case .bodyPending(let framing):
                switch framing {
                case .none:
                    return finishBody()
                case .length(let n):
                    if n > bodyLimit { return fail(.bodyTooLarge(limit: bodyLimit)) }
                    body = []
                    body.reserveCapacity(n)
                    state = .fixed(remaining: n)
                case .chunked:
                    body = []
                    state = .chunkSize
                }
            case .fixed(let remaining):
                let n = min(remaining, bytes.count - index)
                if n > 0 { body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + n])) }
                index += n
                if remaining - n == 0 { return finishBody() }
                state = .fixed(remaining: remaining - n)
                return .needMore
            case .chunkSize:
                if let e = nextChunkSize(bytes, &index) { return e }
            case .chunkData(let remaining):
                let n = min(remaining, bytes.count - index)
                if n > 0 { body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + n])) }
                index += n
                if remaining - n > 0 { state = .chunkData(remaining: remaining - n); return .needMore }
                state = .chunkDataEnd
            case .chunkDataEnd:
                let avail = bytes.count - index
                if avail >= 1 && bytes[index] != 0x0D { return fail(.bad("invalid_chunk", "A chunk's data must be followed by CRLF.")) }
                if avail < 2 { return .needMore }
                if bytes[index + 1] != 0x0A { return fail(.bad("invalid_chunk", "A chunk's data must be followed by CRLF.")) }
                index += 2
                state = .chunkSize
            case .trailers(let total):
                if let e = nextTrailerLine(bytes, &index, total) { return e }
            }
        }
    }

    private mutating func fail(_ e: HTTPParseError) -> HTTPParserEvent {
        state = .failed(e)
        return .error(e)
    }

    private mutating func finishBody() -> HTTPParserEvent {
        var done: [UInt8] = []
        swap(&done, &body)
        state = .head(scanned: 0, lineStart: 0)
        bodyLimit = limits.maxBodyBytes
        return .body(done)
    }

    /// Finds the blank line ending the head, checking line endings as it goes.
    private mutating func nextHead(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int,
                                   _ scanned0: Int, _ lineStart0: Int) -> HTTPParserEvent {
        var scanned = scanned0, lineStart = lineStart0
        var start = index
        let end = bytes.count
        while true {
            let from = start + scanned
            guard from < end, let lf = Self.find(0x0A, in: bytes, from: from, to: end) else {
                scanned = end - start
                if scanned > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                state = .head(scanned: scanned, lineStart: lineStart)
                return .needMore
            }
            if lf == start || bytes[lf - 1] != 0x0D {
                return fail(.bad("bare_lf", "Lines must end with CRLF, not a bare LF (RFC 9112 §2.2)."))
            }
            if lf - 1 == start + lineStart {
                if lineStart == 0 {
                    // RFC 9112 §2.2: ignore an empty line received before the request line.
                    start = lf + 1
                    index = start
                    scanned = 0
                    continue
                }
                let headEnd = lf + 1
                if headEnd - start > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                switch HTTPHeadParser.parse(bytes, start: start, end: headEnd, limits: limits) {
                case .failure(let e):
                    return fail(e)
                case .success(let head):
                    index = headEnd
                    let framing: Framing = head.chunked ? .chunked
                        : (head.contentLength ?? 0) > 0 ? .length(head.contentLength!) : .none
                    state = .bodyPending(framing)
                    bodyLimit = limits.maxBodyBytes
                    return .head(head)
                }
            }
            lineStart = lf + 1 - start
            scanned = lineStart
            if scanned > limits.maxHeaderBytes { return fail(.headersTooLarge) }
        }
    }

    /// Parses `chunk-size [chunk-ext] CRLF` (RFC 9112 §7.1); returns an event to stop on, or nil to go on.
    private mutating func nextChunkSize(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> HTTPParserEvent? {
        let end = bytes.count
        guard let lf = Self.find(0x0A, in: bytes, from: index, to: end) else {
            if end - index > limits.maxChunkLineBytes { return fail(.bad("invalid_chunk_size", "The chunk-size line is too long.")) }
            return .needMore
        }
        if lf - index > limits.maxChunkLineBytes { return fail(.bad("invalid_chunk_size", "The chunk-size line is too long.")) }
        if lf == index || bytes[lf - 1] != 0x0D { return fail(.bad("bare_lf", "Chunk-size lines must end with CRLF.")) }
        var p = index, size = 0, digits = 0
        let lineEnd = lf - 1
        while p < lineEnd, let d = Self.hexValue(bytes[p]) {
            digits += 1
            if digits > 15 { return fail(.bad("invalid_chunk_size", "The chunk size is too large.")) }
            size = size << 4 | d
            p += 1
        }
        if digits == 0 { return fail(.bad("invalid_chunk_size", "A chunk must start with a hexadecimal size.")) }
        while p < lineEnd && (bytes[p] == 0x20 || bytes[p] == 0x09) { p += 1 }
        if p < lineEnd {
            guard bytes[p] == 0x3B else { return fail(.bad("invalid_chunk_size", "Unexpected bytes after the chunk size.")) }
            while p < lineEnd {
                let b = bytes[p]
                if b != 0x09 && (b < 0x20 || b == 0x7F) { return fail(.bad("invalid_chunk_size", "Invalid byte in a chunk extension.")) }
                p += 1
            }
        }
        index = lf + 1
        if size == 0 {
            state = .trailers(total: 0)
        } else if body.count + size > bodyLimit {
            return fail(.bodyTooLarge(limit: bodyLimit))
        } else {
            state = .chunkData(remaining: size)
        }
        return nil
    }

    /// Consumes one trailer line (RFC 9112 §7.1.2); trailers are validated and discarded.
    private mutating func nextTrailerLine(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ total: Int) -> HTTPParserEvent? {
        let end = bytes.count
        guard let lf = Self.find(0x0A, in: bytes, from: index, to: end) else {
            if total + end - index > limits.maxHeaderBytes { return fail(.headersTooLarge) }
            return .needMore
        }
        if lf == index || bytes[lf - 1] != 0x0D { return fail(.bad("bare_lf", "Trailer lines must end with CRLF.")) }
        let lineEnd = lf - 1
        let newTotal = total + lf + 1 - index
        if newTotal > limits.maxHeaderBytes { return fail(.headersTooLarge) }
        if lineEnd == index {
            index = lf + 1
            return finishBody()
        }
        if let e = HTTPHeadParser.validateFieldLine(bytes, start: index, end: lineEnd) { return fail(e) }
        index = lf + 1
        state = .trailers(total: newTotal)
        return nil
    }

    static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
    }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }
}
