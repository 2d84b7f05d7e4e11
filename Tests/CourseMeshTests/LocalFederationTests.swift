import CourseMesh
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import Testing

/// `LocalFederation` with real `coursemesh serve` processes from `.build/debug/coursemesh`.
@Suite(.serialized)
struct LocalFederationTests {
    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/coursemesh").path
    }

    static func sites(_ n: Int) -> [LocalFederationConfiguration.Site] {
        (0..<n).map { .init(url: "https://campus\($0).example.edu", name: "Campus \($0)", country: ["ES", "IT", "FR"][$0 % 3],
                            language: ["es", "it", "fr"][$0 % 3]) }
    }

    static func get(_ url: String, method: String = "GET", body: String? = nil, token: String? = nil) async throws -> (Int, String) {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        r.timeoutInterval = 5
        if let body { r.httpBody = Data(body.utf8); r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Whether a process with this pid exists (a zombie counts until reaped).
    static func exists(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 }

    @Test func threeNodesStartAnswerSurviveAKillAndStopWithoutLeftovers() async throws {
        var configuration = LocalFederationConfiguration(sites: Self.sites(3))
        configuration.executable = Self.binary
        configuration.logLevel = "warn"
        let federation = LocalFederation(configuration)
        try await federation.start()
        let nodes = await federation.nodes
        #expect(Set(nodes.map(\.port)).count == 3)
        for node in nodes {
            let (status, body) = try await Self.get(node.url + "/api/v1/node")
            #expect(status == 200 && body.contains(node.site.name), "\(node.url) answered \(status)")
            #expect(FileManager.default.fileExists(atPath: node.dataDirectory))
        }

        // The token is every node's push token; the site URL is the node's own.
        let course = #"{"courses":[{"course_id":7,"url":"https://campus2.example.edu/course/view.php?id=7","full_name":"Glaciology","short_name":"G","summary":"Ice.","category_path":["Earth"],"tags":[],"language":"fr","format":"topics","start_date":null,"end_date":null,"time_modified":1700000000,"open_enrolment":true,"enrolled_count":0,"modules":[]}]}"#
        #expect(try await Self.get(nodes[2].url + "/api/v1/courses", method: "POST", body: course, token: configuration.apiToken).0 == 200)
        #expect(try await Self.get(nodes[2].url + "/api/v1/search?q=glaciology").1.contains("Glaciology"))

        let killed = try #require(await federation.pid(of: 1))
        try await federation.kill(1)
        #expect(!(await federation.isRunning(1)))
        #expect(!Self.exists(killed))
        await #expect(throws: (any Error).self) { try await Self.get(nodes[1].url + "/health") }
        try await federation.restart(1)
        #expect(try await Self.get(nodes[1].url + "/health").0 == 200)

        // Data survives a restart: the store is the node's own directory.
        try await federation.restart(2)
        #expect(try await Self.get(nodes[2].url + "/api/v1/search?q=glaciology").1.contains("Glaciology"))

        let pids = await (0..<3).asyncCompactMap { await federation.pid(of: $0) }
        #expect(pids.count == 3)
        let directory = await federation.directory
        await federation.stop()
        for pid in pids { #expect(!Self.exists(pid), "node process \(pid) outlived stop()") }
        #expect(!FileManager.default.fileExists(atPath: directory), "stop() removes the temporary folder it made")
    }

    @Test func aNodeThatCannotStartIsNamedWithItsLog() async throws {
        var configuration = LocalFederationConfiguration(sites: Self.sites(2))
        configuration.executable = Self.binary
        configuration.extraArguments = ["--log-level", "loud"]   // serve refuses it: exit status 2
        let federation = LocalFederation(configuration)
        do {
            try await federation.start()
            Issue.record("a federation of nodes that cannot start must not start")
        } catch {
            #expect(error.code == "node_exited")
            #expect(error.message.contains("node 0") && error.message.contains("node-0.log") && error.message.contains("--log-level"),
                    "\(error.message)")
        }
        await federation.stop()
    }

    @Test func aMissingExecutableSaysToBuildFirst() async throws {
        var configuration = LocalFederationConfiguration(sites: Self.sites(1))
        configuration.executable = "/nonexistent/coursemesh"
        let federation = LocalFederation(configuration)
        await #expect(throws: FederationError.spawnFailed(executable: "/nonexistent/coursemesh", reason: "not an executable file")) {
            try await federation.start()
        }
    }

    @Test func aChildWhoseParentIsGoneStopsItself() async throws {
        let directory = NSTemporaryDirectory() + "coursemesh-orphan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Pid 1 is never this test's pid: the child believes its parent died and stops gracefully.
        let child = try ChildProcess(executable: Self.binary,
                                     arguments: ["serve", "--listen", "127.0.0.1:\(try freePort())", "--data", directory + "/data"],
                                     logPath: directory + "/node.log", extraEnvironment: [ChildProcess.parentEnvironmentKey: "1"])
        let status = await child.waitForExit(timeout: .seconds(15))
        if status == nil { child.send(SIGKILL) }
        #expect(status == 0, "an orphaned node must stop itself gracefully; log: \(child.logTail())")
    }
}

extension Sequence where Element: Sendable {
    func asyncCompactMap<T>(_ transform: (Element) async -> T?) async -> [T] {
        var out: [T] = []
        for element in self { if let value = await transform(element) { out.append(value) } }
        return out
    }
}
