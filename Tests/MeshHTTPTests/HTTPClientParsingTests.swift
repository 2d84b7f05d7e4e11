import Testing
@testable import MeshHTTP

@Suite struct HTTPClientParsingTests {
    @Test(arguments: [
        ("http://example.edu/moodle", "example.edu:80"),
        ("https://example.edu/x?y", "example.edu:443"),
        ("http://user@10.0.0.1:8080", "10.0.0.1:8080"),
        ("http://[::1]:9000/p", "[::1]:9000"),
    ])
    func peerAddressNamesHostAndPort(url: String, expected: String) {
        #expect(PeerAddress(url: url)?.description == expected)
    }

    @Test(arguments: ["ftp://x/", "http://", "http://h:0/", "http://h:99999/", "http://h/a b", "example.edu", "http://h/\r\nX: y"])
    func peerAddressRejectsUnusableURLs(url: String) {
        #expect(PeerAddress(url: url) == nil)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/overlay/v1/app/search", "/overlay/v1/app/search"),
        ("http://127.0.0.1:8080", "/"),
        ("http://127.0.0.1:8080?q=a", "/?q=a"),
        ("http://[::1]:9000/p?q=a+b#frag", "/p?q=a+b"),
        ("http://h/a://b", "/a://b"),
    ])
    func requestTargetIsThePathAndQueryWithoutTheFragment(url: String, expected: String) {
        #expect(PeerAddress.requestTarget(of: url) == expected)
    }

    @Test func headParserKeepsOnlyTheFinalResponseHead() {
        var parser = ResponseHeadParser()
        for line in ["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 201 Created\r\n", "Content-Type:  text/plain \r\n", "X-A: 1\r\n", "\r\n"] {
            parser.feed(Array(line.utf8))
        }
        #expect(parser.status == 201)
        #expect(parser.headers.map(\.name) == ["Content-Type", "X-A"])
        #expect(HTTPClientResponse(status: 201, headers: parser.headers).header("content-type") == "text/plain")
    }

    @Test func errorBodyIsDecodedOnlyWhenItHasTheProjectShape() {
        #expect(decodeErrorBody(Array(#"{"error":{"code":"x","message":"y"}}"#.utf8))?.error.code == "x")
        #expect(decodeErrorBody(Array("<html>".utf8)) == nil)
    }

    @Test func rejectsHeaderInjectionBeforeSending() async {
        let client = HTTPClient()
        await #expect(throws: HTTPClientError.invalidRequest(reason: "the value of header X contains a line break")) {
            _ = try await client.send(url: "http://127.0.0.1:1/", headers: [("X", "a\r\nY: b")])
        }
    }
}
