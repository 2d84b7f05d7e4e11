import Testing
@testable import MeshHTTP

/// The loop client's response parser, fed bytes in pieces as a socket would deliver them.
struct HTTPResponseParserTests {
    /// Feeds `text` in pieces of `step` bytes; returns the first progress that is not needMore.
    private func parse(_ text: String, step: Int = 1, maxBody: Int = 1 << 20, head: Bool = false,
                       closeAtEnd: Bool = false) -> (HTTPResponseParser, HTTPResponseParser.Progress) {
        var parser = HTTPResponseParser(maxBodyBytes: maxBody, headRequest: head)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + step)])
            let progress = piece.withUnsafeBytes { parser.feed($0) }
            if progress != .needMore { return (parser, progress) }
            i += step
        }
        return (parser, closeAtEnd ? parser.finish() : .needMore)
    }

    @Test(arguments: [1, 3, 7, 1000])
    func contentLengthBodyArrivesWhateverThePieces(step: Int) {
        let (parser, progress) = parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world", step: step)
        #expect(progress == .complete(leftover: 0))
        #expect(parser.status == 200 && String(decoding: parser.body, as: UTF8.self) == "hello world")
        #expect(parser.headers.map(\.name) == ["Content-Type", "Content-Length"] && parser.keepAlive)
    }

    @Test(arguments: [1, 5, 1000])
    func chunkedBodyWithExtensionsAndTrailersIsJoined(step: Int) {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=x\r\none,\r\n3\r\ntwo\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let (parser, progress) = parse(text, step: step)
        #expect(progress == .complete(leftover: 0))
        #expect(String(decoding: parser.body, as: UTF8.self) == "one,two")
    }

    @Test func interimResponsesAreSkipped() {
        let (parser, progress) = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        #expect(progress == .complete(leftover: 0) && parser.status == 201 && parser.body == Array("ok".utf8))
    }

    @Test func headAnd204And304HaveNoBodyWhateverTheyAnnounce() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", head: true).1 == .complete(leftover: 0))
        #expect(parse("HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n").1 == .complete(leftover: 0))
        #expect(parse("HTTP/1.1 304 Not Modified\r\n\r\n").1 == .complete(leftover: 0))
    }

    @Test func bodyWithoutFramingEndsWhenThePeerCloses() {
        let (parser, progress) = parse("HTTP/1.1 200 OK\r\n\r\nall of it", closeAtEnd: true)
        #expect(progress == .complete(leftover: 0) && parser.body == Array("all of it".utf8) && !parser.keepAlive)
    }

    @Test func closeBeforeTheEndIsAnError() {
        guard case .invalid(let reason) = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", closeAtEnd: true).1 else {
            Issue.record("a truncated body must be invalid"); return
        }
        #expect(reason.contains("before the reply was complete"))
    }

    @Test func connectionSemanticsFollowTheVersionAndHeader() {
        #expect(!parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
        #expect(!parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
        #expect(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
    }

    @Test func bytesAfterTheResponseAreReported() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", step: 100).1 == .complete(leftover: 5))
    }

    @Test func bodiesOverTheLimitAreRefusedEarly() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", maxBody: 10).1 == .tooLarge)
        #expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n", maxBody: 10).1 == .tooLarge)
        #expect(parse("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 20), step: 100, maxBody: 10).1 == .tooLarge)
    }

    @Test(arguments: ["HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                      "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"])
    func malformedResponsesSayWhatWasWrong(text: String) {
        guard case .invalid(let reason) = parse(text, step: 1000).1 else { Issue.record("\(text) must be invalid"); return }
        #expect(!reason.isEmpty)
    }
}
