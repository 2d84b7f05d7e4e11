import MeshCore

/// A node's identity: its normalized base URL and the ring id derived from it.
///
/// Normalization (Docs/protocol.md, "Node URLs"):
/// - the scheme must be `http` or `https` (any case) and is lower-cased;
/// - the host is lower-cased; an explicit default port (80 for http, 443 for https) is dropped;
/// - userinfo (`user@`), query strings and fragments are rejected, as are spaces and control characters;
/// - trailing slashes of the path are removed (`https://a.edu/mesh/` → `https://a.edu/mesh`).
///
/// The id is SHA-256 of the normalized authority (host, plus `:port` when not the default) and
/// path, so `http://` and `https://` spellings of one site share an id. A value type; thread-safe.
public struct NodeURL: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The normalized URL, e.g. `https://moodle.example.edu/coursemesh`.
    public let string: String
    /// SHA-256 of the normalized host[:port] and path.
    public let id: RingKey

    /// Normalizes `text`; throws `OverlayError.invalidURL` saying what is wrong.
    public init(_ text: String) throws(OverlayError) {
        let (normalized, identity) = try NodeURL.normalize(text)
        string = normalized
        id = RingKey.hash(identity)
    }

    /// The URL `string + path` for an overlay endpoint (`path` starts with `/`).
    public func endpoint(_ path: String) -> String { string + path }

    public var description: String { string }
    public static func < (a: NodeURL, b: NodeURL) -> Bool { a.string < b.string }
    public static func == (a: NodeURL, b: NodeURL) -> Bool { a.string == b.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    /// The normalized URL and the text whose hash is the id.
    static func normalize(_ text: String) throws(OverlayError) -> (String, String) {
        func bad(_ why: String) -> OverlayError { .invalidURL("\"\(text.prefix(200))\": \(why)") }
        guard text.utf8.count <= WireLimits.maxURLBytes else { throw bad("longer than \(WireLimits.maxURLBytes) bytes") }
        guard let sep = text.range(of: "://") else { throw bad("missing scheme; use http:// or https://") }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw bad("scheme must be http or https") }
        let rest = text[sep.upperBound...]
        for scalar in rest.unicodeScalars where scalar.value <= 0x20 || scalar.value == 0x7F {
            throw bad("contains a space or control character")
        }
        if rest.contains("#") { throw bad("fragments (#...) are not allowed in a node URL") }
        if rest.contains("?") { throw bad("query strings are not allowed in a node URL") }
        let authority: Substring
        var path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[slash...]
        } else {
            authority = rest
            path = ""
        }
        if authority.contains("@") { throw bad("userinfo (user@host) is not allowed") }
        guard !authority.isEmpty else { throw bad("missing host") }
        var host: Substring
        var port: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("unclosed IPv6 literal") }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("junk after IPv6 literal") }
                port = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw bad("missing host") }
        for ch in host.unicodeScalars where !(ch.properties.isAlphabetic || ("0"..."9").contains(ch) || "-.[]:_".unicodeScalars.contains(ch)) {
            throw bad("host contains \"\(ch)\"")
        }
        var portText = ""
        if let p = port {
            guard !p.isEmpty, p.count <= 5, let value = Int(p), (1...65535).contains(value) else { throw bad("port must be 1-65535") }
            let isDefault = (scheme == "http" && value == 80) || (scheme == "https" && value == 443)
            if !isDefault { portText = ":\(value)" }
        }
        while path.hasSuffix("/") { path = path.dropLast() }
        for segment in path.split(separator: "/") where segment == "." || segment == ".." {
            throw bad("dot segments are not allowed in the path")
        }
        let lowerHost = host.lowercased()
        let identity = lowerHost + portText + path
        return ("\(scheme)://\(identity)", identity)
    }
}

extension NodeURL: Codable {
    /// Decoding normalizes again, so an id never comes from the wire.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(string)
    }
}
