import MeshCore
import Testing
@testable import MeshHTTP

/// Our client against our server on loopback: the pair the nodes use to talk to each other.
@Suite(.serialized)
struct ClientServerLiveTests {
    @Test func ourClientReusesOneConnectionAndMapsErrors() async throws {
        try await withServer { server, port in
            let client = HTTPClient()
            defer { client.shutdown() }
            let base = "http://127.0.0.1:\(port)"
            for word in ["one", "two", "three"] {
                let r = try await client.get("\(base)/echo/\(word)?q=a+b")
                #expect(r.status == 200 && r.bodyText == "\(word)|a b")
            }
            // Keep-alive: the three requests travelled over one connection.
            #expect(await server.connectionCount == 1)

            let body = [UInt8](repeating: 0x61, count: 5000)
            let echoed = try await client.send(method: "POST", url: "\(base)/echo", body: body)
            #expect(echoed.body == body)

            do {
                _ = try await client.get("\(base)/fail")
                Issue.record("a 409 must throw")
            } catch let error as HTTPClientError {
                guard case .badStatus(_, let status, let code, _) = error else { Issue.record("unexpected \(error)"); return }
                #expect(status == 409 && code == "conflict")
            }
            do {
                _ = try await client.send(method: "POST", url: "\(base)/small", body: Array("123456789".utf8))
                Issue.record("an oversize body must throw")
            } catch let error as HTTPClientError {
                guard case .badStatus(_, let status, _, _) = error else { Issue.record("unexpected \(error)"); return }
                #expect(status == 413)
            }
        }
    }
}
