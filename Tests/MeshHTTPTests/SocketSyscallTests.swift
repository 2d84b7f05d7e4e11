#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MeshHTTP

struct SocketSyscallTests {
    @Test func failedCallIsNamedWithErrno() {
        do {
            try Syscall.call("close") { close(-1) }
            Issue.record("close(-1) did not fail")
        } catch {
            #expect(error.operation == "close")
            #expect(error.errno == EBADF)
        }
    }

    @Test func wouldBlockIsNilNotAnError() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var byte: UInt8 = 0
        let n = try Syscall.nonBlocking("read") { read(fds[0], &byte, 1) }
        #expect(n == nil)
    }

    @Test func hostNamesOtherThanLocalhostAreRejected() {
        #expect(throws: HTTPServerError.self) {
            _ = try ListenSocket.open(SocketAddress(host: "example.org", port: 0), backlog: 1)
        }
    }

    @Test func addressesPrintWithBracketsForIPv6() {
        #expect(SocketAddress(host: "::1", port: 80).description == "[::1]:80")
        #expect(SocketAddress(host: "127.0.0.1", port: 80).description == "127.0.0.1:80")
    }
}
