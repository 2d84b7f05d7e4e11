import Foundation
import MeshCore
import MeshHTTP
#if canImport(Glibc)
import Glibc
#endif

/// N real `coursemesh serve` processes on 127.0.0.1, for the demo and for multi-process tests.
///
/// Node 0 starts alone; the others start together, with `--bootstrap <node 0>` when the overlay
/// is on. `start()` returns once every node answers /health and, with the overlay on, once every
/// node reports all N members; each wait is bounded and a failure names the node and its log.
/// Each node has its own data directory and log file under `directory`. Children never outlive
/// this process: `stop()` stops them (SIGTERM, then SIGKILL after the grace), a normal exit
/// SIGKILLs survivors, and each child stops itself when its parent disappears (`ParentWatch`).
///
/// An actor: start, stop, kill and restart are serialized. Waits suspend, never block.
public actor LocalFederation {
    public let configuration: LocalFederationConfiguration
    /// Every node, by index; set up by `start()` (empty before).
    public private(set) var nodes: [LocalNode] = []
    /// Whether nodes join one ring (`serve --bootstrap`); decided by `start()`.
    public private(set) var overlayEnabled = false
    /// The folder holding every node's data directory and log.
    public private(set) var directory = ""
    private var children: [ChildProcess?] = []
    private var ownsDirectory = false
    private var executable = ""
    private let client = HTTPClient()

    public init(_ configuration: LocalFederationConfiguration) {
        self.configuration = configuration
    }

    /// Starts every node and waits until the federation is ready. On failure, stops what it
    /// started (keeping the logs) and throws `FederationError` naming the node and its log.
    public func start() async throws(FederationError) {
        guard nodes.isEmpty else { throw .invalidNode(0, reason: "the federation was already started") }
        guard !configuration.sites.isEmpty else { throw .setup("a federation needs at least one site") }
        try prepare()
        do {
            try await runSetup()
            overlayEnabled = try await decideOverlay()
            try launch(0)
            try await waitHealthy([0])
            let rest = Array(nodes.indices.dropFirst())
            for i in rest { try launch(i) }
            try await waitHealthy(rest)
            if overlayEnabled { try await waitForMembers(nodes.count) }
        } catch {
            await stop(removeFiles: false)
            throw error
        }
    }

    /// Stops every running node: SIGTERM, up to `stopGrace` to exit, then SIGKILL.
    /// Removes the temporary folder when `start()` made it and `removeFiles` is true.
    public func stop(removeFiles: Bool = true) async {
        let running = children.compactMap { $0 }.filter(\.isRunning)
        for child in running { child.send(SIGTERM) }
        let grace = configuration.stopGrace
        await withTaskGroup(of: Void.self) { group in
            for child in running {
                group.addTask {
                    if await child.waitForExit(timeout: grace) == nil {
                        child.send(SIGKILL)
                        _ = await child.waitForExit(timeout: .seconds(5))
                    }
                }
            }
        }
        children = children.map { _ in nil }
        client.shutdown()
        if removeFiles && ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// SIGKILLs node `i` (a crash, for failure tests) and waits until it is gone.
    public func kill(_ i: Int) async throws(FederationError) {
        guard children.indices.contains(i), let child = children[i] else { throw .invalidNode(i, reason: "it is not running") }
        child.send(SIGKILL)
        _ = await child.waitForExit(timeout: .seconds(5))
        children[i] = nil
    }

    /// SIGTERMs node `i` and waits for its graceful exit (SIGKILL after `stopGrace`); returns its status.
    @discardableResult
    public func terminate(_ i: Int) async throws(FederationError) -> Int32? {
        guard children.indices.contains(i), let child = children[i] else { throw .invalidNode(i, reason: "it is not running") }
        child.send(SIGTERM)
        var status = await child.waitForExit(timeout: configuration.stopGrace)
        if status == nil {
            child.send(SIGKILL)
            status = await child.waitForExit(timeout: .seconds(5))
        }
        children[i] = nil
        return status
    }

    /// Starts node `i` again (after `kill` or `terminate`) on its port with its data directory;
    /// with the overlay on it joins through the first other running node. Waits for /health.
    public func restart(_ i: Int) async throws(FederationError) {
        guard nodes.indices.contains(i) else { throw .invalidNode(i, reason: "no such node") }
        if children[i] != nil { try await terminate(i) }
        try launch(i)
        try await waitHealthy([i])
    }

    /// Whether node `i`'s process is running.
    public func isRunning(_ i: Int) -> Bool { children.indices.contains(i) && children[i]?.isRunning == true }

    /// The process id of node `i`, nil when it is not running.
    public func pid(of i: Int) -> pid_t? { children.indices.contains(i) ? children[i]?.pid : nil }

    // MARK: Starting

    private func prepare() throws(FederationError) {
        executable = Self.resolve(configuration.executable)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw .spawnFailed(executable: executable, reason: "not an executable file")
        }
        if let given = configuration.directory {
            directory = given
        } else {
            directory = NSTemporaryDirectory() + "coursemesh-federation-" + UUID().uuidString.prefix(8).lowercased()
            ownsDirectory = true
        }
        let ports: [Int]
        if let base = configuration.basePort {
            ports = configuration.sites.indices.map { base + $0 }
        } else {
            ports = try FreePorts.pick(configuration.sites.count)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .setup("could not create \(directory): \(error.localizedDescription)")
        }
        nodes = configuration.sites.enumerated().map { i, site in
            LocalNode(index: i, port: ports[i], url: "http://127.0.0.1:\(ports[i])",
                      dataDirectory: directory + "/node-\(i)", logPath: directory + "/node-\(i).log", site: site)
        }
        children = Array(repeating: nil, count: nodes.count)
    }

    /// Runs every site's setup commands (all sites at once, each site's in order).
    private func runSetup() async throws(FederationError) {
        let jobs = nodes.filter { !$0.site.setup.isEmpty }
        let executable = self.executable
        let bound = configuration.startTimeout
        let failure = await withTaskGroup(of: FederationError?.self) { group -> FederationError? in
            for node in jobs {
                group.addTask {
                    for command in node.site.setup {
                        do {
                            let child = try ChildProcess(executable: executable, arguments: command + ["--data", node.dataDirectory],
                                                         logPath: node.logPath)
                            guard let status = await child.waitForExit(timeout: bound) else {
                                child.send(SIGKILL)
                                return .timedOut(node: node.index, waitingFor: "finish `\(command.first ?? "")`",
                                                 seconds: Int(bound.components.seconds), log: node.logPath, tail: child.logTail())
                            }
                            if status != 0 {
                                return .exited(node: node.index, status: status, log: node.logPath, tail: child.logTail())
                            }
                        } catch { return error as? FederationError ?? .setup("\(error)") }
                    }
                    return nil
                }
            }
            for await result in group {
                if let result { group.cancelAll(); return result }
            }
            return nil
        }
        if let failure { throw failure }
    }

    private func decideOverlay() async throws(FederationError) -> Bool {
        switch configuration.overlay {
        case .on: return true
        case .off: return false
        case .automatic:
            let log = directory + "/serve-help.txt"
            let child = try ChildProcess(executable: executable, arguments: ["serve", "--help"], logPath: log)
            _ = await child.waitForExit(timeout: .seconds(10))
            child.send(SIGKILL)
            let help = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return help.contains("--bootstrap")
        }
    }

    /// The `serve` arguments of node `i`.
    func serveArguments(_ i: Int) -> [String] {
        let node = nodes[i]
        var arguments = ["serve", "--listen", "127.0.0.1:\(node.port)", "--public-url", node.url, "--data", node.dataDirectory,
                         "--api-token", configuration.apiToken, "--site-url", node.site.url, "--site-name", node.site.name,
                         "--country", node.site.country, "--language", node.site.language, "--log-level", configuration.logLevel]
        if overlayEnabled, let contact = nodes.indices.first(where: { $0 != i && isRunning($0) }) {
            arguments += ["--bootstrap", nodes[contact].url]
        }
        return arguments + configuration.extraArguments
    }

    private func launch(_ i: Int) throws(FederationError) {
        children[i] = try ChildProcess(executable: executable, arguments: serveArguments(i), logPath: nodes[i].logPath)
    }

    private func waitHealthy(_ indices: [Int]) async throws(FederationError) {
        let targets = indices.compactMap { i in children[i].map { (nodes[i], $0) } }
        try await Self.waitAll(targets, client: client, bound: configuration.startTimeout, what: "answer /health") { _, reply in
            reply.status == 200
        }
    }

    private func waitForMembers(_ count: Int) async throws(FederationError) {
        struct Members: Decodable { var members: Int }
        let targets = nodes.indices.compactMap { i in children[i].map { (nodes[i], $0) } }
        try await Self.waitAll(targets, client: client, bound: configuration.startTimeout, what: "report \(count) members",
                               path: "/api/v1/node") { _, reply in
            (try? JSONCoding.decode(Members.self, from: reply.body))?.members == count
        }
    }

    /// Polls `path` on every target until `ready` holds for each, a child exits, or `bound` passes.
    private static func waitAll(_ targets: [(LocalNode, ChildProcess)], client: HTTPClient, bound: Duration, what: String,
                                path: String = "/health",
                                ready: @escaping @Sendable (LocalNode, HTTPClientResponse) -> Bool) async throws(FederationError) {
        let failure = await withTaskGroup(of: FederationError?.self) { group -> FederationError? in
            for (node, child) in targets {
                group.addTask {
                    let deadline = ContinuousClock.now + bound
                    while ContinuousClock.now < deadline, !Task.isCancelled {
                        if let status = child.status {
                            return .exited(node: node.index, status: status, log: node.logPath, tail: child.logTail())
                        }
                        if let reply = try? await client.get(node.url + path, timeout: .seconds(2)), ready(node, reply) { return nil }
                        do { try await Task.sleep(for: .milliseconds(100)) } catch { break }
                    }
                    return .timedOut(node: node.index, waitingFor: what, seconds: Int(bound.components.seconds),
                                     log: node.logPath, tail: child.logTail())
                }
            }
            for await result in group {
                if let result { group.cancelAll(); return result }
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// `/proc/self/exe` resolved to the real path (clearer in logs and errors).
    private static func resolve(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return path }
        let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.hasPrefix("/") ? target : path
    }
}
