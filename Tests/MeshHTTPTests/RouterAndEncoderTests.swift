import Testing
import MeshCore
@testable import MeshHTTP

struct RouterTests {
    func router() -> Router {
        var r = Router()
        r.get("/health") { _, _ in .text("ok") }
        r.get("/api/v1/courses/:id") { _, p in .text(p["id"] ?? "") }
        r.delete("/api/v1/courses/:id") { _, _ in .text("deleted") }
        r.post("/upload", bodyLimit: 10) { _, _ in .text("up") }
        r.get("/files/*rest") { _, p in .text(p["rest"] ?? "") }
        return r
    }

    @Test func matchesStaticAndParameterRoutes() {
        let r = router()
        guard case .found(_, let p, _) = r.match(.get, path: "/api/v1/courses/a%20b") else { Issue.record("no match"); return }
        #expect(p["id"] == "a b")
        guard case .found = r.match(.get, path: "/health") else { Issue.record("no /health"); return }
        guard case .found(_, let rest, _) = r.match(.get, path: "/files/x/y.txt") else { Issue.record("no rest"); return }
        #expect(rest["rest"] == "x/y.txt")
    }

    @Test func headFollowsGet() {
        guard case .found = router().match(.head, path: "/health") else { Issue.record("HEAD not routed"); return }
        guard case .found = router().match(.head, path: "/api/v1/courses/7") else { Issue.record("HEAD not routed"); return }
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() {
        let r = router()
        guard case .notFound = r.match(.get, path: "/nope") else { Issue.record("expected 404"); return }
        guard case .methodNotAllowed(let allow) = r.match(.post, path: "/api/v1/courses/1") else { Issue.record("expected 405"); return }
        #expect(allow == [.get, .head, .delete])
        guard case .methodNotAllowed(let allow2) = r.match(.get, path: "/upload") else { Issue.record("expected 405"); return }
        #expect(allow2 == [.post])
    }

    @Test func perRouteBodyLimitIsReported() {
        guard case .found(_, _, let limit) = router().match(.post, path: "/upload") else { Issue.record("no match"); return }
        #expect(limit == 10)
    }

    @Test func queryDecodingHandlesPercentPlusAndRepeats() {
        let q = QueryParameters("q=linear+algebra&tag=a%2Fb&tag=c&empty&caf%C3%A9=%E2%9C%93&bad=%zz")
        #expect(q["q"] == "linear algebra")
        #expect(q.values(for: "tag") == ["a/b", "c"])
        #expect(q["empty"] == "")
        #expect(q["café"] == "✓")
        #expect(q["bad"] == "%zz")
        #expect(q["missing"] == nil)
    }
}

struct ResponseEncoderTests {
    func encode(_ status: Int, _ headers: HTTPHeaders, _ framing: ResponseEncoder.Framing, keepAlive: Bool = true, minor: Int = 1) -> String {
        var out: [UInt8] = []
        ResponseEncoder.encodeHead(status: status, headers: headers, framing: framing, keepAlive: keepAlive,
                                   requestVersionMinor: minor, date: Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func writesDateLengthAndConnection() {
        #expect(encode(200, ["Content-Type": "text/plain"], .length(12), keepAlive: false)
            == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")
        #expect(encode(200, [:], .chunked).contains("Transfer-Encoding: chunked\r\n"))
        #expect(encode(200, [:], .length(0), minor: 0).contains("Connection: keep-alive\r\n"))
        #expect(!encode(204, [:], .length(0)).contains("Content-Length"))
    }

    @Test func dropsFramingOverridesAndInjectedHeaders() {
        let s = encode(200, ["Content-Length": "999", "X-Evil": "a\r\nSet-Cookie: x", "X-Ok": "1"], .length(3))
        #expect(!s.contains("999"))
        #expect(!s.contains("Set-Cookie"))
        #expect(s.contains("X-Ok: 1\r\n"))
    }

    @Test func chunksAreHexSized() {
        var out: [UInt8] = []
        ResponseEncoder.encodeChunk(Array(repeating: 0x61, count: 26), into: &out)
        #expect(String(decoding: out, as: UTF8.self).hasPrefix("1a\r\n"))
    }

    @Test func dateIsIMFFixdate() {
        #expect(HTTPDateCache.format(epochSeconds: 784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func gzipNegotiationAndRoundTrip() throws {
        #expect(GzipCompression.accepts("gzip, deflate, br"))
        #expect(!GzipCompression.accepts("gzip;q=0"))
        #expect(GzipCompression.accepts("*"))
        #expect(!GzipCompression.accepts("br"))
        #expect(!GzipCompression.accepts(nil))
        #expect(GzipCompression.isCompressible(contentType: "application/json; charset=utf-8"))
        #expect(!GzipCompression.isCompressible(contentType: "image/png"))
        let body = Array(String(repeating: "course search ", count: 200).utf8)
        let gz = try #require(GzipCompression.compress(body))
        #expect(gz.count < body.count / 4)
        #expect(gz.prefix(2) == [0x1F, 0x8B])
    }
}
