/// The peer an absolute http(s) URL points at: the unit connections are pooled and counted by.
/// Pure logic; `nil` when the URL is not one the client can send to.
struct PeerAddress: Equatable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    /// Parses `scheme://[userinfo@]host[:port][/path…]`, IPv6 literals in brackets included.
    /// Rejects other schemes, an empty host, a bad port, and whitespace or control characters
    /// anywhere (they would let a caller smuggle extra header lines into the request).
    init?(url: String) {
        guard !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }), let separator = Self.schemeSeparator(in: url) else { return nil }
        scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            port = scheme == "https" ? 443 : 80
        }
    }

    /// The first `://` of `url`, found on its UTF-8 bytes (Foundation's `range(of:)` costs
    /// more than the rest of the parse, and this runs for every request).
    private static func schemeSeparator(in url: String) -> Range<String.Index>? {
        let utf8 = url.utf8
        var i = utf8.startIndex
        while let colon = utf8[i...].firstIndex(of: UInt8(ascii: ":")) {
            let rest = utf8[colon...]
            if rest.starts(with: "://".utf8) { return colon..<utf8.index(colon, offsetBy: 3) }
            i = utf8.index(after: colon)
        }
        return nil
    }

    /// The request target of an absolute `url` (RFC 9112 §3.2.1, origin-form): its path and
    /// query, `/` when it has no path, never the fragment. Found on bytes, like the scheme.
    static func requestTarget(of url: String) -> String {
        guard let separator = schemeSeparator(in: url) else { return "/" }
        let rest = url[separator.upperBound...]
        guard let start = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = String(rest[start...].prefix { $0 != "#" })
        return target.hasPrefix("?") ? "/" + target : target
    }

    /// `host:port`, with IPv6 hosts in brackets.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The peer of `url` for messages, or the URL itself when it does not parse.
func peerAddress(of url: String) -> (host: String, description: String) {
    guard let peer = PeerAddress(url: url) else { return (url, url) }
    return (peer.host, peer.description)
}
