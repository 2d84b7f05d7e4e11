import CourseMesh
import Foundation
import MeshCore
import MeshHTTP

/// `coursemesh demo`: a small federation of real `coursemesh serve` processes on 127.0.0.1 with
/// the bundled campuses, in the foreground until Ctrl-C.
enum DemoCommand: Command {
    static let spec = CommandSpec(name: "demo", summary: "start a local demo federation with bundled campuses (Ctrl-C stops it)", options: [
        .value("nodes", "N", env: "COURSEMESH_DEMO_NODES", default: "8",
               help: "node processes: the first 7 get a demo campus each, the last reads the bundled Moodle, any others join empty"),
        .value("port", "PORT", env: "COURSEMESH_DEMO_PORT", default: "8080", help: "node i listens on 127.0.0.1:PORT+i"),
        .value("data", "DIR", env: "COURSEMESH_DEMO_DATA", default: "",
               help: "folder for the nodes' stores and logs (default: a temporary folder removed at exit)"),
        .value("timeout", "SECONDS", default: "60", help: "bound on each start-up wait (a node up, the ring complete, searchable)"),
        .value("log-level", "LEVEL", default: "notice", help: "the nodes' log level (their logs go to DIR/node-N.log)"),
    ], notes: ["Course texts: MIT OpenCourseWare (CC BY-NC-SA 4.0) and the University of Trento (CC BY-SA 4.0);",
               "campus names and sites are fictional (see Sources/CourseMesh/Resources/README.md)."])

    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32 {
        let count = try options.int("nodes") ?? 8
        let port = try options.int("port") ?? 8080
        let timeout = try options.int("timeout") ?? 60
        guard (1...64).contains(count) else { throw CommandLineError("--nodes must be between 1 and 64, got \(count)") }
        guard (1...65535).contains(port), port + count - 1 <= 65535 else {
            throw CommandLineError("--port must leave room for \(count) ports below 65536, got \(port)")
        }
        guard timeout > 0 else { throw CommandLineError("--timeout must be a positive number of seconds") }
        let watcher = SignalWatcher()
        let started = ContinuousClock.now
        let campuses = try DemoCampuses.load()

        let given = options.string("data") ?? ""
        let directory = given.isEmpty ? NSTemporaryDirectory() + "coursemesh-demo-\(getpid())" : Defaults.expand(given, environment: environment)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let moodle = directory + "/moodle.sqlite"
        try DemoCampuses.writeMoodle(to: moodle)

        var configuration = LocalFederationConfiguration(sites: DemoPlan.sites(count: count, campuses: campuses, moodle: moodle))
        configuration.basePort = port
        configuration.directory = directory
        configuration.startTimeout = .seconds(timeout)
        configuration.logLevel = options.string("log-level") ?? "notice"
        // A short rollup period, so /stats and the ranking statistics cover every campus within
        // seconds of the pushes instead of a production minute.
        configuration.extraArguments = ["--stats-period", "2"]
        let federation = LocalFederation(configuration)
        let pushed = campuses.campuses.filter { c in configuration.sites.contains { $0.url == c.url } }.reduce(0) { $0 + $1.courses.count }
        say("Starting \(count) CourseMesh node\(count == 1 ? "" : "s") on 127.0.0.1:\(port)…\(port + count - 1) (logs in \(directory))")

        // Start-up races Ctrl-C: an early Ctrl-C cancels it, and every child still stops cleanly.
        let startup = Task { () throws -> DemoPlan.Outcome in
            try await federation.start()
            let up = Double((ContinuousClock.now - started).milliseconds) / 1000
            say("Nodes up in \(String(format: "%.1f", up)) s; publishing \(pushed) campus courses…")
            return try await DemoPlan.publish(campuses: campuses, federation: federation, timeout: .seconds(timeout))
        }
        let interrupted = Task { () -> Int32? in
            let signal = await watcher.next()
            startup.cancel()
            return signal
        }
        let outcome = await startup.result
        let finish = { (removeFiles: Bool) async in
            await federation.stop(removeFiles: false)
            if removeFiles && given.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
        }
        switch outcome {
        case .failure(let error):
            await finish(startup.isCancelled)   // keep the logs a failure names
            if startup.isCancelled {
                say("Stopped before the federation was ready; every node is stopped.")
                return 0
            }
            throw error
        case .success(let result):
            let seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
            let nodes = await federation.nodes
            let mode: String
            if !(await federation.overlayEnabled) {
                mode = "standalone nodes (each searches its own campus)"
            } else if result.otherCampuses > 0 && result.otherCampusesFoundFromFirstNode == result.otherCampuses {
                mode = "one overlay: node 0 finds every other campus"
            } else {
                mode = "one overlay ring; node 0 finds \(result.otherCampusesFoundFromFirstNode) of the \(result.otherCampuses) other campuses "
                    + "(search answers from each node's own courses)"
            }
            for node in nodes {
                say("  \(node.url)  \(node.site.name.isEmpty ? "bundled Moodle" : node.site.name)")
            }
            say("Searchable in \(String(format: "%.1f", seconds)) s: \(result.courses) courses from \(result.sites) sites "
                + "on \(nodes.count) nodes, \(mode).")
            say("Open \(nodes[0].url)/search?q=\(result.exampleQuery) (or \(nodes[0].url)/). Ctrl-C stops every node.")
            _ = await interrupted.value
            say("\nStopping \(nodes.count) nodes…")
            await finish(true)
            say("Stopped.")
            return 0
        }
    }

    /// One line on stdout, written at once (`print` buffers when stdout is a pipe).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
