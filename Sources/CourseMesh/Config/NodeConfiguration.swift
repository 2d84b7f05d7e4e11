import MeshCore

/// Everything one node needs to start, from flags, environment and defaults.
/// A value type; validated once by `init(options:)` so a running node never meets bad config.
public struct NodeConfiguration: Sendable {
    /// Where the HTTP server listens.
    public var listen: ListenAddress
    /// The base URL other nodes and browsers use to reach this node (its identity on the ring).
    public var publicURL: String
    /// Folder for the node's SQLite store (created if missing).
    public var dataDirectory: String
    /// Bearer token the Moodle plugin must send to push courses; nil disables pushes.
    public var apiToken: String?
    public var logLevel: Logger.Level
    /// The campus Moodle's public base URL (course URLs must be on its host); default: the public URL.
    public var siteURL: String?
    /// Shown on results and stats; default: from the last Moodle read, else the site's host.
    public var siteName: String?
    /// ISO 3166 alpha-2 country of the campus; default: from the last Moodle read.
    public var country: String?
    /// Default language of the campus; default: from the last Moodle read, else `en`.
    public var language: String?

    public init(listen: ListenAddress, publicURL: String, dataDirectory: String,
                apiToken: String? = nil, logLevel: Logger.Level = .info) {
        self.listen = listen
        self.publicURL = publicURL
        self.dataDirectory = dataDirectory
        self.apiToken = apiToken
        self.logLevel = logLevel
    }
}

/// `HOST:PORT` for the listening socket: `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:80`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; IPv6 hosts go in brackets. Port 0 asks the kernel for a free port.
    public init(parsing text: String) throws(CommandLineError) {
        let fail = CommandLineError("--listen must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got '\(text)'")
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw fail }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { throw fail }
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { throw fail }
        self.host = String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
