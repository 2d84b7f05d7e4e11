#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CEpoll

/// The one gateway for system calls: retries `EINTR`, and turns a failure into an
/// `HTTPServerError` naming the call and errno. Never blocks by itself (sockets are non-blocking).
enum Syscall {
    /// Runs `body` until it does not fail with EINTR; throws on any other failure (-1 return).
    @inline(__always) @discardableResult
    static func call<T: BinaryInteger>(_ name: StaticString, _ body: () -> T) throws(HTTPServerError) -> T {
        while true {
            let r = body()
            if r >= 0 { return r }
            let e = errno
            if e == EINTR { continue }
            throw error(name, e)
        }
    }

    /// Like `call`, but returns nil when the call would block (EAGAIN/EWOULDBLOCK).
    @inline(__always)
    static func nonBlocking<T: BinaryInteger>(_ name: StaticString, _ body: () -> T) throws(HTTPServerError) -> T? {
        while true {
            let r = body()
            if r >= 0 { return r }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return nil }
            throw error(name, e)
        }
    }

    static func error(_ name: StaticString, _ e: Int32) -> HTTPServerError {
        HTTPServerError(operation: "\(name)", errno: e, message: String(cString: strerror(e)))
    }

    /// Monotonic milliseconds (coarse: a few ms resolution, no vDSO syscall cost).
    @inline(__always)
    static func monotonicMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// An IPv4 or IPv6 socket address, convertible to and from text.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The numeric host (`127.0.0.1`, `::1`).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Whether this is an IPv6 address.
    public var isIPv6: Bool { host.contains(":") }

    public init(host: String, port: Int) { self.host = host; self.port = port }

    /// `host:port`, with brackets around IPv6 hosts.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Fills a `sockaddr_storage`; throws if `host` is not a numeric IPv4/IPv6 address or `localhost`.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(HTTPServerError) -> R) throws(HTTPServerError) -> R {
        var h = host
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" { h = "127.0.0.1" }
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, h, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            return try withUnsafePointer(to: &v4) { p throws(HTTPServerError) in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(HTTPServerError) in
                    try body(sa, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, h, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            return try withUnsafePointer(to: &v6) { p throws(HTTPServerError) in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(HTTPServerError) in
                    try body(sa, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        throw HTTPServerError(operation: "address", errno: 0,
                              message: "\(host) is not a numeric IPv4 or IPv6 address; listen on e.g. 127.0.0.1 or ::1.")
    }

    /// Reads an address filled in by `accept` or `getsockname`.
    init?(storage: UnsafePointer<sockaddr_storage>) {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(storage).assumingMemoryBound(to: sockaddr_in.self)
            var a = sin.pointee.sin_addr
            inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count))
            self.init(host: String(cString: buf), port: Int(UInt16(bigEndian: sin.pointee.sin_port)))
        case AF_INET6:
            let sin6 = UnsafeRawPointer(storage).assumingMemoryBound(to: sockaddr_in6.self)
            var a = sin6.pointee.sin6_addr
            inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
            self.init(host: String(cString: buf), port: Int(UInt16(bigEndian: sin6.pointee.sin6_port)))
        default:
            return nil
        }
    }
}

/// Socket creation for listeners; every call goes through `Syscall`.
enum ListenSocket {
    /// A non-blocking listening socket bound to `address` with SO_REUSEADDR (a restart may bind
    /// while old connections sit in TIME_WAIT). No SO_REUSEPORT: another process must never be
    /// able to bind the same port and take a share of this node's connections. Returns the fd
    /// and the bound address.
    static func open(_ address: SocketAddress, backlog: Int32) throws(HTTPServerError) -> (Int32, SocketAddress) {
        let family = address.isIPv6 || address.host == "[::]" ? AF_INET6 : AF_INET
        let fd = try Syscall.call("socket") { socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do throws(HTTPServerError) {
            var one: Int32 = 1
            try Syscall.call("setsockopt") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
            if family == AF_INET6 {
                // Keep IPv6 listeners IPv6-only so `::` and `0.0.0.0` can both be listed.
                try Syscall.call("setsockopt") { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) }
            }
            do {
                _ = try address.withSockaddr { (sa, len) throws(HTTPServerError) in
                    try Syscall.call("bind") { bind(fd, sa, len) }
                }
            } catch {
                let advice = switch error.errno {
                case EADDRINUSE: "another process is listening there; stop it or choose another address (--listen)"
                case EACCES: "ports below 1024 need privileges; use a higher port behind a reverse proxy"
                case EADDRNOTAVAIL: "this machine has no such address; use 127.0.0.1, ::1 or one of its own addresses"
                default: "check the address"
                }
                throw HTTPServerError(operation: "bind", errno: error.errno,
                                      message: "cannot listen on \(address): \(error.message); \(advice)")
            }
            try Syscall.call("listen") { listen(fd, backlog) }
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = try withUnsafeMutablePointer(to: &storage) { p throws(HTTPServerError) in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(HTTPServerError) in
                    try Syscall.call("getsockname") { getsockname(fd, sa, &len) }
                }
            }
            let bound = withUnsafePointer(to: &storage) { SocketAddress(storage: $0) } ?? address
            return (fd, bound)
        } catch {
            close(fd)
            throw error
        }
    }
}
