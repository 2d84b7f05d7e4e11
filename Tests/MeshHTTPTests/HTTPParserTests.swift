import Testing
@testable import MeshHTTP

/// Runs the parser over a whole message and returns the statuses/events it produced.
func parseAll(_ text: String, limits: HTTPRequestParser.Limits = .init(), split: Int? = nil)
    -> (heads: [HTTPRequestHead], bodies: [[UInt8]], error: HTTPParseError?) {
    let bytes = Array(text.utf8)
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var index = 0
    var heads: [HTTPRequestHead] = [], bodies: [[UInt8]] = []
    // Feed in pieces of `split` bytes (or all at once) to exercise resumption.
    let step = split ?? bytes.count
    var fed = 0
    while fed < bytes.count || true {
        if fed < bytes.count {
            buffer.append(contentsOf: bytes[fed..<min(fed + step, bytes.count)])
            fed = min(fed + step, bytes.count)
        }
        var progressed = false
        loop: while true {
            switch parser.next(buffer, index: &index) {
            case .needMore: break loop
            case .head(let h): heads.append(h); progressed = true
            case .body(let b): bodies.append(b); progressed = true
            case .error(let e): return (heads, bodies, e)
            }
        }
        if fed >= bytes.count && !progressed { break }
        if fed >= bytes.count && index >= buffer.count { break }
    }
    return (heads, bodies, nil)
}

struct HTTPParserTests {
    @Test("malformed requests get the right status", arguments: [
        ("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
        ("bare LF terminating the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        ("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\n\n", 400),
        ("bare CR inside a value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400),
        ("duplicate equal Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400),
        ("differing Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400),
        ("Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx", 400),
        ("negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("invalid chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400),
        ("chunk size with junk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n0\r\n\r\n", 400),
        ("overflowing chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400),
        ("chunk data not followed by CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
        ("final coding not chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("unsupported coding before chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("NUL in a header value (injection)", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", 400),
        ("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("header without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
        ("invalid char in field name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", 400),
        ("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400),
        ("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("target with a space", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("relative target", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        ("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("unknown method", "BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("lowercase method is another method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("method with invalid chars", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
        ("HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        ("unsupported expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417),
    ])
    func rejects(name: String, message: String, status: Int) {
        let result = parseAll(message)
        #expect(result.error?.status == status, "\(name)")
        // The same verdict when bytes arrive one at a time.
        #expect(parseAll(message, split: 1).error?.status == status, "\(name), byte by byte")
    }

    @Test func overlongHeadersAre431() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "a", count: 17_000) + "\r\n\r\n"
        #expect(parseAll(big).error?.status == 431)
        #expect(parseAll(big, split: 1000).error?.status == 431)
        let longLine = "GET /" + String(repeating: "a", count: 17_000)
        #expect(parseAll(longLine).error?.status == 431, "no line end in sight still hits the limit")
        var limits = HTTPRequestParser.Limits(); limits.maxHeaderCount = 3
        #expect(parseAll("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits).error?.status == 431)
    }

    @Test func bodyOverLimitIs413() {
        var limits = HTTPRequestParser.Limits(); limits.maxBodyBytes = 4
        #expect(parseAll("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", limits: limits).error?.status == 413)
        #expect(parseAll("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", limits: limits).error?.status == 413)
        #expect(parseAll("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nhell", limits: limits).error == nil)
    }

    @Test func perRequestBodyLimitAppliesAfterHead() {
        var parser = HTTPRequestParser()
        let bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789".utf8)
        var index = 0
        guard case .head = parser.next(bytes, index: &index) else { Issue.record("no head"); return }
        parser.bodyLimit = 5
        #expect(parser.next(bytes, index: &index) == .error(.bodyTooLarge(limit: 5)))
    }

    @Test func parsesHeadFields() throws {
        let r = parseAll("GET /api/v1/search?q=a+b&x=1 HTTP/1.1\r\nHost: example\r\nX-Thing:   padded value \t\r\nAccept: */*\r\n\r\n")
        let head = try #require(r.heads.first)
        #expect(head.method == .get)
        #expect(head.path == "/api/v1/search")
        #expect(head.rawQuery == "q=a+b&x=1")
        #expect(head.headers["x-thing"] == "padded value")
        #expect(head.headers["ACCEPT"] == "*/*")
        #expect(head.keepAlive)
        #expect(r.bodies == [[]])
    }

    @Test func decodesChunkedBodyWithExtensionsAndTrailers() {
        let msg = "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 1\r\n\r\n"
        for split in [nil, 1, 3, 7] as [Int?] {
            let r = parseAll(msg, split: split)
            #expect(r.error == nil)
            #expect(r.bodies == [Array("hello world".utf8)], "split \(String(describing: split))")
            #expect(r.heads.first?.chunked == true)
        }
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let msg = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        for split in [nil, 1, 5] as [Int?] {
            let r = parseAll(msg, split: split)
            #expect(r.heads.map(\.path) == ["/a", "/b", "/c"])
            #expect(r.bodies == [[], Array("abc".utf8), []])
            #expect(r.heads.map(\.keepAlive) == [true, true, false])
        }
    }

    @Test func http10DefaultsToCloseAndHonoursKeepAlive() {
        #expect(parseAll("GET / HTTP/1.0\r\n\r\n").heads.first?.keepAlive == false)
        #expect(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").heads.first?.keepAlive == true)
        #expect(parseAll("GET / HTTP/1.0\r\n\r\n").heads.first?.versionMinor == 0)
    }

    @Test func emptyLineBeforeRequestLineIsIgnored() {
        #expect(parseAll("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").heads.first?.path == "/")
    }

    @Test func absoluteFormAndAsteriskForm() {
        #expect(parseAll("GET http://example.org/x?y=1 HTTP/1.1\r\nHost: example.org\r\n\r\n").heads.first?.path == "/x")
        #expect(parseAll("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").heads.first?.path == "*")
        #expect(parseAll("GET * HTTP/1.1\r\nHost: a\r\n\r\n").error?.status == 400)
    }

    @Test func expectContinueIsReported() {
        let r = parseAll("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
        #expect(r.heads.first?.expectContinue == true)
        #expect(r.bodies == [Array("hi".utf8)])
    }
}
