import MeshCore
import Testing
@testable import MeshHTTP

/// A node's port is its own: nobody else may bind it and receive a share of its connections.
struct ListenerOwnershipTests {
    @Test func secondServerCannotBindARunningServersPort() async throws {
        var router = Router()
        router.getImmediate("/health") { _, _ in .text("first") }
        var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        config.eventLoops = 2
        let first = HTTPServer(configuration: config, router: router, logger: Logger(label: "t", sink: .discard))
        let addresses = try await first.start()
        let port = try #require(addresses.first?.port)

        let second = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: Router(),
                                logger: Logger(label: "t", sink: .discard))
        do {
            _ = try await second.start()
            Issue.record("a second server must not bind a running server's port")
        } catch let error as HTTPServerError {
            #expect(error.message.contains("cannot listen on 127.0.0.1:\(port)") && error.message.contains("another process"))
        }

        // After a graceful stop the port is free again (SO_REUSEADDR), so a restart can bind it.
        await first.shutdown(grace: .seconds(1))
        let restarted = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: router,
                                   logger: Logger(label: "t", sink: .discard))
        #expect(try await restarted.start().first?.port == port)
        await restarted.shutdown(grace: .seconds(1))
    }
}
