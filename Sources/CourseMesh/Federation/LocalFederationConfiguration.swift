import Foundation

/// What `LocalFederation` starts: one `coursemesh serve` process per site, on 127.0.0.1.
/// A value type; every setting has a documented default.
public struct LocalFederationConfiguration: Sendable {
    /// One node's campus: the Moodle it speaks for and how results show it.
    public struct Site: Sendable, Equatable {
        /// The campus Moodle's wwwroot; pushed course URLs must be on its host.
        public var url: String
        public var name: String
        /// ISO 3166 alpha-2.
        public var country: String
        /// Default course language, e.g. `en`.
        public var language: String
        /// Commands of the same executable run once, in order, before the node first starts, each
        /// with `--data <the node's data directory>` appended (e.g. `["index", "--moodle", dsn, ...]`).
        public var setup: [[String]]

        public init(url: String, name: String, country: String, language: String, setup: [[String]] = []) {
            self.url = url
            self.name = name
            self.country = country
            self.language = language
            self.setup = setup
        }
    }

    /// Whether nodes after the first join node 0's ring with `serve --bootstrap`.
    public enum Overlay: Sendable, Equatable {
        /// On when `coursemesh serve --help` lists `--bootstrap`, else off.
        case automatic
        case on
        case off
    }

    /// The `coursemesh` binary; default `/proc/self/exe` (this very program).
    public var executable = "/proc/self/exe"
    /// One entry per node; node 0 starts first and alone.
    public var sites: [Site]
    /// Node i listens on `basePort + i`; nil (default) picks free ports.
    public var basePort: Int?
    /// Where data directories and logs go; nil (default) makes a fresh temporary folder, removed by `stop()`.
    public var directory: String?
    /// Bearer token every node accepts for course pushes; default a random one.
    public var apiToken = "local-" + UUID().uuidString.lowercased()
    public var overlay = Overlay.automatic
    /// Bound on each wait: one node's /health, the whole ring's membership; default 30 s.
    public var startTimeout: Duration = .seconds(30)
    /// How long `stop()` lets nodes finish gracefully before SIGKILL; default 10 s.
    public var stopGrace: Duration = .seconds(10)
    /// `serve --log-level` of every node; default `info`.
    public var logLevel = "info"
    /// Extra `serve` arguments given to every node.
    public var extraArguments: [String] = []

    public init(sites: [Site]) {
        self.sites = sites
    }
}

/// A running (or stopped) node of a `LocalFederation`.
public struct LocalNode: Sendable, Equatable {
    public var index: Int
    public var port: Int
    /// `http://127.0.0.1:PORT`: its public URL and ring identity.
    public var url: String
    public var dataDirectory: String
    /// Its stdout and stderr.
    public var logPath: String
    public var site: LocalFederationConfiguration.Site
}
