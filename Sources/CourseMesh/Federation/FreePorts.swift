#if canImport(Glibc)
import Glibc
#endif

/// Loopback TCP ports that were free a moment ago.
enum FreePorts {
    /// `count` distinct ports: each socket is bound to port 0 and kept open until all are chosen,
    /// so the kernel never hands out one twice. Throws `FederationError.setup` if binding fails.
    static func pick(_ count: Int) throws(FederationError) -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw .setup("could not open a socket to find a free port (errno \(errno))") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw .setup("could not find a free loopback port (errno \(errno))") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
