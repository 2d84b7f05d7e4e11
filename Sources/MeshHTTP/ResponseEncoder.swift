#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Serialises response heads and bodies into a byte buffer (RFC 9112 §4, §6). Pure functions.
public enum ResponseEncoder {
    /// How the body is framed on the wire.
    public enum Framing: Sendable, Equatable {
        /// `Content-Length: n`; the body bytes follow unless the request was HEAD.
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// No length: the body ends when the connection closes (streaming to HTTP/1.0 clients).
        case closeDelimited
    }

    /// Appends the status line and header section to `out`. Adds `Date`, the framing header and
    /// `Connection: close` (or `keep-alive` for HTTP/1.0 clients) itself; those names in `headers`
    /// are ignored so a handler cannot break framing. Header names/values containing CR or LF are
    /// dropped (response splitting).
    public static func encodeHead(status: Int, headers: HTTPHeaders, framing: Framing, keepAlive: Bool,
                                  requestVersionMinor: Int = 1, date: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: statusLine(status))
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: crlf)
        for (name, value) in headers {
            if isFramingHeader(name) { continue }
            if name.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x3A }) || value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) { continue }
            out.append(contentsOf: name.utf8)
            out.append(0x3A); out.append(0x20)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: crlf)
        }
        switch framing {
        case .length(let n):
            // RFC 9110 §8.6: no Content-Length on 1xx and 204.
            if status >= 200 && status != 204 && status != 304 {
                out.append(contentsOf: "Content-Length: ".utf8)
                appendDecimal(n, to: &out)
                out.append(contentsOf: crlf)
            }
        case .chunked: out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .closeDelimited: break
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if requestVersionMinor == 0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: crlf)
    }

    /// Appends one chunk (`size CRLF data CRLF`); an empty `data` appends nothing.
    public static func encodeChunk(_ data: [UInt8], into out: inout [UInt8]) {
        guard !data.isEmpty else { return }
        out.append(contentsOf: String(data.count, radix: 16).utf8)
        out.append(contentsOf: crlf)
        out.append(contentsOf: data)
        out.append(contentsOf: crlf)
    }

    /// The last chunk with no trailers.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    /// The interim response sent for `Expect: 100-continue`.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static let crlf: [UInt8] = [0x0D, 0x0A]

    static func isFramingHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HTTPHeaders.namesEqual(name, "date")
        case 10: return HTTPHeaders.namesEqual(name, "connection")
        case 14: return HTTPHeaders.namesEqual(name, "content-length")
        case 17: return HTTPHeaders.namesEqual(name, "transfer-encoding")
        default: return false
        }
    }

    static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        if n < 10 { out.append(UInt8(0x30 + n)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[count] = UInt8(0x30 + v % 10); v /= 10; count += 1 }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    static let commonStatusLines: [Int: [UInt8]] = Dictionary(uniqueKeysWithValues:
        reasons.map { ($0.key, Array("HTTP/1.1 \($0.key) \($0.value)\r\n".utf8)) })

    static func statusLine(_ status: Int) -> [UInt8] {
        commonStatusLines[status] ?? Array("HTTP/1.1 \(status) Status\r\n".utf8)
    }

    /// Reason phrases (RFC 9110 §15) for the statuses this service uses.
    static let reasons: [Int: String] = [
        100: "Continue", 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
        301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
        413: "Content Too Large", 415: "Unsupported Media Type", 417: "Expectation Failed",
        422: "Unprocessable Content", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
    ]
}

/// The IMF-fixdate (RFC 9110 §5.6.7) for the current second, formatted at most once a second
/// and shared by all threads. Thread-safe.
final class HTTPDateCache: Sendable {
    static let shared = HTTPDateCache()
    private let state = Mutex<(second: Int, bytes: [UInt8])>((second: -1, bytes: []))

    /// The `Date` value for now.
    func current() -> [UInt8] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        let now = Int(ts.tv_sec)
        return state.withLock { s in
            if s.second != now { s = (now, Array(Self.format(epochSeconds: now).utf8)) }
            return s.bytes
        }
    }

    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for a Unix time.
    static func format(epochSeconds: Int) -> String {
        var t = time_t(epochSeconds)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tmv.tm_wday)]), \(two(tmv.tm_mday)) \(months[Int(tmv.tm_mon)]) \(tmv.tm_year + 1900) "
            + "\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec)) GMT"
    }
}
