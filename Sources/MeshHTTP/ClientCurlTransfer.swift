import CCurl
import MeshCore
import Synchronization

/// What the caller asked for, validated, before any libcurl handle exists.
struct ClientRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var timeout: Duration
    var connectTimeout: Duration
    var maxResponseBytes: Int
    var userAgent: String
}

/// One request on its way through the client's curl thread.
///
/// Created by the calling task; from `submit` on, every field except `cancelRequested` is only
/// touched by the curl thread, which also calls `completion` exactly once.
final class CurlTransfer: @unchecked Sendable {
    let request: ClientRequest
    /// Set by the caller's cancellation handler from any thread; the curl thread checks it.
    let cancelRequested = Atomic<Bool>(false)
    /// Receives the outcome (a continuation's resume, or a batch's collector).
    var completion: (@Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void)?
    /// Monotonic deadline (ns) covering the wait for a free connection too, which libcurl's
    /// own timeout does not (a transfer queued for a connection has no timer in libcurl).
    let deadline: UInt64

    var head = ResponseHeadParser()
    var body: [UInt8] = []
    var overflowed = false
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(_ request: ClientRequest, now: UInt64) {
        self.request = request
        deadline = now + request.timeout.nanoseconds
        errorBuffer[0] = 0
    }

    /// Calls `completion` with `result` once; later calls do nothing.
    func complete(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        completion?(result)
        completion = nil
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option of this request on a fresh or reset easy handle.
    func configure(_ easy: UnsafeMutableRawPointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_set_string(easy, CURLOPT_URL, request.url)
        ccurl_easy_set_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_easy_set_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        ccurl_easy_set_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_set_long(easy, CURLOPT_TCP_NODELAY, 1)
        ccurl_easy_set_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout.milliseconds))
        ccurl_easy_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS,
                            Int(min(request.connectTimeout, request.timeout).milliseconds))
        ccurl_easy_set_offset(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes))
        ccurl_easy_set_string(easy, CURLOPT_USERAGENT, request.userAgent)
        ccurl_easy_set_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_easy_set_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody)
        ccurl_easy_set_pointer(easy, CURLOPT_WRITEDATA, context)
        ccurl_easy_set_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        ccurl_easy_set_pointer(easy, CURLOPT_HEADERDATA, context)

        switch request.method {
        case "GET":
            ccurl_easy_set_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_easy_set_long(easy, CURLOPT_NOBODY, 1)
        default:
            // The body is copied by libcurl; an empty body is given as "" because a NULL would
            // make libcurl read the body from its default read callback (stdin).
            ccurl_easy_set_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            if request.body.isEmpty {
                ccurl_easy_set_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBytes { _ = ccurl_easy_set_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            }
            if request.method != "POST" { ccurl_easy_set_string(easy, CURLOPT_CUSTOMREQUEST, request.method) }
        }

        // "Expect:" turns off libcurl's `Expect: 100-continue` for bodies over 1 KiB, which costs
        // a round trip (or a 1 s wait) per request against servers that do not answer it.
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        var hasContentType = false
        for (name, value) in request.headers {
            if name.lowercased() == "content-type" { hasContentType = true }
            list = curl_slist_append(list, "\(name): \(value)")
        }
        if !hasContentType && !request.body.isEmpty {
            list = curl_slist_append(list, "Content-Type: application/octet-stream")
        }
        headerList = list
        ccurl_easy_set_pointer(easy, CURLOPT_HTTPHEADER, list)
    }

    /// The outcome of a finished transfer as a response or the error that explains it.
    func outcome(_ code: CURLcode) -> Result<HTTPClientResponse, HTTPClientError> {
        let url = request.url
        switch code {
        case CURLE_OK:
            let response = HTTPClientResponse(status: head.status, headers: head.headers, body: body)
            guard (200..<300).contains(response.status) else {
                let error = decodeErrorBody(body)?.error
                return .failure(.badStatus(url: url, status: response.status, code: error?.code, detail: error?.message))
            }
            return .success(response)
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(.bodyTooLarge(url: url, limit: request.maxResponseBytes))
        case CURLE_WRITE_ERROR where overflowed:
            return .failure(.bodyTooLarge(url: url, limit: request.maxResponseBytes))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timeout(url: url, after: request.timeout))
        case CURLE_COULDNT_RESOLVE_HOST:
            return .failure(.dnsFailure(host: peerAddress(of: url).host))
        case CURLE_COULDNT_CONNECT:
            return .failure(.connectionRefused(peer: peerAddress(of: url).description))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(.invalidURL(url))
        default:
            let detail = String(cString: errorBuffer)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(.transport(peer: peerAddress(of: url).description, reason: reason))
        }
    }
}

/// libcurl's body callback: appends to the transfer's body, or stops the transfer (by returning
/// less than it was given) once the body would pass the size limit.
private let curlWriteBody: ccurl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length <= transfer.request.maxResponseBytes else {
        transfer.overflowed = true
        return 0
    }
    if let data { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

/// libcurl's header callback: one raw header line (status line included) per call.
private let curlWriteHeader: ccurl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    if let data { transfer.head.feed(UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

extension Duration {
    /// Whole nanoseconds, clamped at zero.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return seconds < 0 ? 0 : UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds, at least 1 so that libcurl never reads 0 as "no timeout".
    var milliseconds: Int64 { max(1, Int64(nanoseconds / 1_000_000)) }
}
