import CourseMesh
import Foundation
import MeshCore
import MeshHTTP
import Web

/// `coursemesh serve`: run this campus's node until SIGINT or SIGTERM.
enum ServeCommand: Command {
    static let spec = CommandSpec(name: "serve", summary: "run this campus's node (search pages, JSON API, statistics)", options: [
        .value("listen", "HOST:PORT", env: "COURSEMESH_LISTEN", default: Defaults.listen, help: "address to listen on ([::1]:8080 for IPv6)"),
        .value("public-url", "URL", env: "COURSEMESH_PUBLIC_URL", default: "", help: "base URL others reach this node at (default: http://LISTEN)"),
        .value("data", "DIR", env: "COURSEMESH_DATA", default: Defaults.dataDirectory, help: "folder of the node store"),
        .value("api-token", "TOKEN", env: "COURSEMESH_API_TOKEN", default: "", help: "bearer token the Moodle plugin pushes with (none: pushes refused)"),
        .value("site-url", "URL", env: "COURSEMESH_SITE_URL", default: "", help: "the campus Moodle's wwwroot (default: from the last index run, else the public URL)"),
        .value("site-name", "NAME", env: "COURSEMESH_SITE_NAME", default: "", help: "campus name shown on results (default: from Moodle)"),
        .value("country", "CC", env: "COURSEMESH_COUNTRY", default: "", help: "campus country, ISO 3166 alpha-2 (default: from Moodle)"),
        .value("language", "CODE", env: "COURSEMESH_LANGUAGE", default: "", help: "campus default language (default: from Moodle, else en)"),
        .value("bootstrap", "URL", env: "COURSEMESH_BOOTSTRAP", default: "", help: "a member's base URL to join the overlay through (none: start a new ring)"),
        .value("stats-period", "SECONDS", env: "COURSEMESH_STATS_PERIOD", default: "60", help: "how often this node reports its statistics up the rollup tree"),
        .value("grace", "SECONDS", env: "COURSEMESH_GRACE", default: "10", help: "on SIGINT/SIGTERM, how long in-flight requests may finish"),
        .value("log-level", "LEVEL", env: "COURSEMESH_LOG_LEVEL", default: "info", help: "trace, debug, info, notice, warn or error"),
    ] + ServeLimitOptions.options, notes: ["Every option can also be set by its environment variable (shown in brackets)."])

    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32 {
        ParentWatch.startIfRequested(environment: environment)   // started by LocalFederation: stop with the parent
        let configuration = try configuration(from: options, environment: environment)
        let grace = try options.int("grace") ?? 10
        let rollupSettings = try ServeRollup.settings(options)
        var logger = Logger(label: "coursemesh", level: configuration.logLevel)
        logger.metadata = [("node", configuration.publicURL)]

        let watcher = SignalWatcher()
        let metrics = MetricsRegistry()
        let node = try await CampusNode.open(configuration, metrics: metrics)
        var router = Router()
        WebRoutes(services: node, metrics: metrics, nodeName: await node.status().siteName).install(on: &router)
        let overlay: ServingOverlay?
        do {
            overlay = try await ServeOverlay.make(node: node, bootstrap: options.string("bootstrap"), router: &router, logger: logger)
        } catch {
            await node.close()
            throw error
        }
        var http = HTTPServer.Configuration(host: configuration.listen.host, port: configuration.listen.port)
        try ServeLimitOptions.apply(options, to: &http)
        let server = HTTPServer(configuration: http, router: router, logger: logger)
        let addresses: [SocketAddress]
        do {
            addresses = try await server.start()
        } catch {
            await overlay?.stop()
            await node.close()
            throw error
        }
        await overlay?.start()
        await ServeRollup.start(node: node, overlay: overlay, settings: rollupSettings)
        await ServeSearch.start(node: node, overlay: overlay)
        logger.info("listening", [("addresses", addresses.map { "\($0)" }.joined(separator: ",")),
                                  ("courses", String(await node.status().ownCourses))])
        print("CourseMesh node at \(configuration.publicURL) (listening on \(addresses.map { "\($0)" }.joined(separator: ", "))); Ctrl-C stops it")

        let signal = await watcher.next()
        logger.info("stopping", [("signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"), ("grace_seconds", String(grace))])
        await overlay?.stop()  // leave (handing items over) while the server still answers
        await server.shutdown(grace: .seconds(grace))
        await node.close()
        logger.info("stopped")
        return 0
    }

    static func configuration(from options: ParsedOptions, environment: [String: String]) throws -> NodeConfiguration {
        let listen = try ListenAddress(parsing: options.string("listen") ?? Defaults.listen)
        var publicURL = options.string("public-url") ?? ""
        if publicURL.isEmpty {
            let host = listen.host == "0.0.0.0" || listen.host == "::" ? "127.0.0.1" : listen.host
            publicURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(listen.port)"
        }
        guard CourseDocumentValidation.isHTTPURL(publicURL) else {
            throw CommandLineError("--public-url must be an http(s) URL such as https://moodle.example.edu/coursemesh, got '\(publicURL)'")
        }
        guard let level = Logger.Level(name: options.string("log-level") ?? "info") else {
            throw CommandLineError("--log-level must be trace, debug, info, notice, warn or error")
        }
        func optional(_ name: String) -> String? { options.string(name).flatMap { $0.isEmpty ? nil : $0 } }
        var configuration = NodeConfiguration(listen: listen, publicURL: publicURL,
                                              dataDirectory: Defaults.expand(options.string("data") ?? Defaults.dataDirectory, environment: environment),
                                              apiToken: optional("api-token"), logLevel: level)
        configuration.siteURL = optional("site-url")
        configuration.siteName = optional("site-name")
        configuration.country = optional("country")?.uppercased()
        configuration.language = optional("language")
        return configuration
    }
}
