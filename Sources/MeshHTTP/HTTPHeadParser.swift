/// Parses one complete request head (request line and field lines, RFC 9112 §3 and §5) and
/// decides the message framing (§6). Pure functions over a byte range.
enum HTTPHeadParser {
    static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, sp: UInt8 = 0x20, ht: UInt8 = 0x09

    /// tchar (RFC 9110 §5.6.2): the bytes allowed in methods and field names.
    static let tchar: [Bool] = (0..<256).map { b in
        switch UInt8(b) {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
    }

    /// Parses `bytes[start..<end]`, which ends with the blank line's CRLF.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int,
                      limits: HTTPRequestParser.Limits) -> Result<HTTPRequestHead, HTTPParseError> {
        let firstLF = HTTPRequestParser.find(lf, in: bytes, from: start, to: end)!
        let lineEnd = firstLF - 1
        guard let sp1 = HTTPRequestParser.find(sp, in: bytes, from: start, to: lineEnd), sp1 > start,
              let sp2 = HTTPRequestParser.find(sp, in: bytes, from: sp1 + 1, to: lineEnd), sp2 > sp1 + 1 else {
            return .failure(.bad("bad_request_line", "The request line must be `METHOD target HTTP/1.1`."))
        }
        // Version first, so the HTTP/2 preface (`PRI * HTTP/2.0`) gets 505, not 501 for `PRI`.
        let v = sp2 + 1
        guard lineEnd - v == 8, bytes[v] == 0x48, bytes[v + 1] == 0x54, bytes[v + 2] == 0x54, bytes[v + 3] == 0x50,
              bytes[v + 4] == 0x2F, bytes[v + 6] == 0x2E,
              (0x30...0x39).contains(bytes[v + 5]), (0x30...0x39).contains(bytes[v + 7]) else {
            return .failure(.bad("bad_version", "The request line must end with `HTTP/1.1`."))
        }
        guard bytes[v + 5] == 0x31 else {
            if bytes[v + 5] == 0x32 {
                return .failure(HTTPParseError(status: 505, code: "http2_not_supported",
                    message: "This server speaks HTTP/1.1 only; HTTP/2 with prior knowledge is not supported."))
            }
            return .failure(HTTPParseError(status: 505, code: "version_not_supported", message: "Only HTTP/1.0 and HTTP/1.1 are supported."))
        }
        let minor = bytes[v + 7] == 0x30 ? 0 : 1
        for i in start..<sp1 where !tchar[Int(bytes[i])] {
            return .failure(.bad("bad_method", "The method contains a character that is not allowed."))
        }
        guard let method = HTTPMethod(bytes: UnsafeBufferPointer(rebasing: bytes[start..<sp1])) else {
            return .failure(HTTPParseError(status: 501, code: "method_not_implemented",
                message: "The method \(string(bytes, start, sp1)) is not implemented; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS."))
        }
        guard case .success(let (path, query)) = parseTarget(bytes, sp1 + 1, sp2, method) else {
            return .failure(.bad("bad_target", "The request target must be an absolute path such as /api/v1/search?q=x."))
        }

        var headers = HTTPHeaders()
        var contentLength: Int? = nil
        var transferCodings: [String] = []
        var close = false, keepAliveToken = false, expectContinue = false
        var hostCount = 0
        var p = firstLF + 1
        let fieldsEnd = end - 2
        while p < fieldsEnd {
            let fieldLF = HTTPRequestParser.find(lf, in: bytes, from: p, to: end)!
            let le = fieldLF - 1
            if let e = validateFieldLine(bytes, start: p, end: le) { return .failure(e) }
            if headers.count >= limits.maxHeaderCount { return .failure(.headersTooLarge) }
            let colon = HTTPRequestParser.find(0x3A, in: bytes, from: p, to: le)!
            var vs = colon + 1, ve = le
            while vs < ve && (bytes[vs] == sp || bytes[vs] == ht) { vs += 1 }
            while ve > vs && (bytes[ve - 1] == sp || bytes[ve - 1] == ht) { ve -= 1 }
            let name = UnsafeBufferPointer(rebasing: bytes[p..<colon])
            let value = string(bytes, vs, ve)
            switch colon - p {
            case 4 where asciiEqual(name, "host"):
                hostCount += 1
                if hostCount > 1 { return .failure(.bad("duplicate_host", "Send exactly one Host header.")) }
            case 6 where asciiEqual(name, "expect"):
                guard value.lowercased() == "100-continue" else {
                    return .failure(HTTPParseError(status: 417, code: "expectation_failed", message: "Only `Expect: 100-continue` is supported."))
                }
                expectContinue = true
            case 10 where asciiEqual(name, "connection"):
                for token in value.split(separator: ",") {
                    let t = token.trimmingSpaces.lowercased()
                    if t == "close" { close = true } else if t == "keep-alive" { keepAliveToken = true }
                }
            case 14 where asciiEqual(name, "content-length"):
                // RFC 9110 §8.6 allows rejecting repeated Content-Length outright; we do, equal or not.
                guard contentLength == nil else {
                    return .failure(.bad("duplicate_content_length", "Send exactly one Content-Length header."))
                }
                guard ve > vs, ve - vs <= 18, (vs..<ve).allSatisfy({ (0x30...0x39).contains(bytes[$0]) }) else {
                    return .failure(.bad("invalid_content_length", "Content-Length must be a decimal number of bytes."))
                }
                contentLength = Int(value)!
            case 17 where asciiEqual(name, "transfer-encoding"):
                for token in value.split(separator: ",") { transferCodings.append(token.trimmingSpaces.lowercased()) }
            default: break
            }
            headers.add(string(bytes, p, colon), value)
            p = fieldLF + 1
        }

        var chunked = false
        if !transferCodings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; with Content-Length
            // it is a smuggling attempt or a broken intermediary. Both are rejected.
            if minor == 0 { return .failure(.bad("transfer_encoding_in_http10", "HTTP/1.0 requests cannot use Transfer-Encoding.")) }
            if contentLength != nil {
                return .failure(.bad("content_length_with_transfer_encoding", "Send either Content-Length or Transfer-Encoding, not both."))
            }
            if transferCodings == ["chunked"] {
                chunked = true
            } else if transferCodings.last == "chunked" && transferCodings.filter({ $0 == "chunked" }).count == 1 {
                return .failure(HTTPParseError(status: 501, code: "transfer_coding_not_implemented",
                                               message: "Only the chunked transfer coding is supported."))
            } else {
                // RFC 9112 §6.3: a request whose final coding is not chunked cannot be framed.
                return .failure(.bad("invalid_transfer_encoding", "The final transfer coding of a request must be chunked, once."))
            }
        }
        if minor == 1 && hostCount == 0 {
            return .failure(.bad("missing_host", "HTTP/1.1 requests must carry a Host header (RFC 9112 §3.2)."))
        }
        return .success(HTTPRequestHead(
            method: method, path: path, rawQuery: query, versionMinor: minor, headers: headers,
            keepAlive: minor == 1 ? !close : (keepAliveToken && !close), expectContinue: expectContinue,
            contentLength: chunked ? nil : contentLength, chunked: chunked))
    }

    /// Checks `name ":" OWS value OWS` (RFC 9112 §5): token name with no space before the colon,
    /// no obs-fold, and no control characters (CR, LF, NUL…) in the value — header injection.
    static func validateFieldLine(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> HTTPParseError? {
        if bytes[start] == sp || bytes[start] == ht {
            return .bad("obsolete_line_folding", "Header values cannot continue on a new line (obs-fold, RFC 9112 §5.2).")
        }
        var p = start
        while p < end && tchar[Int(bytes[p])] { p += 1 }
        guard p > start, p < end, bytes[p] == 0x3A else {
            return .bad("invalid_header_name", "A header name must be a token followed directly by a colon.")
        }
        p += 1
        while p < end {
            let b = bytes[p]
            if b != ht && (b < 0x20 || b == 0x7F) {
                return .bad("invalid_header_value", "A header value contains a control character.")
            }
            p += 1
        }
        return nil
    }

    /// origin-form, asterisk-form (OPTIONS only) or absolute-form (RFC 9112 §3.2).
    static func parseTarget(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int,
                            _ method: HTTPMethod) -> Result<(String, String), HTTPParseError> {
        let invalid = HTTPParseError.bad("bad_target", "")
        for i in a..<b {
            let c = bytes[i]
            if c <= 0x20 || c >= 0x7F || c == 0x23 { return .failure(invalid) }
        }
        var pathStart = a
        if bytes[a] == 0x2A {
            return b - a == 1 && method == .options ? .success(("*", "")) : .failure(invalid)
        } else if bytes[a] != 0x2F {
            let target = string(bytes, a, b).lowercased()
            let scheme = target.hasPrefix("http://") ? 7 : target.hasPrefix("https://") ? 8 : 0
            guard scheme > 0 else { return .failure(invalid) }
            guard let slash = HTTPRequestParser.find(0x2F, in: bytes, from: a + scheme, to: b) else {
                let q = HTTPRequestParser.find(0x3F, in: bytes, from: a + scheme, to: b)
                return .success(("/", q.map { string(bytes, $0 + 1, b) } ?? ""))
            }
            pathStart = slash
        }
        if let q = HTTPRequestParser.find(0x3F, in: bytes, from: pathStart, to: b) {
            return .success((string(bytes, pathStart, q), string(bytes, q + 1, b)))
        }
        return .success((string(bytes, pathStart, b), ""))
    }

    static func asciiEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let p = lower.utf8Start
        for i in 0..<bytes.count {
            var c = bytes[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != p[i] { return false }
        }
        return true
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs (OWS).
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
