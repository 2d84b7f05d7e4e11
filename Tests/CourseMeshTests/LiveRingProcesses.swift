import Foundation
import MeshCore
import MeshHTTP
import Overlay

/// Real `coursemesh serve` processes on loopback forming one overlay ring, for live tests:
/// start N, wait until every one reports N members, kill -9 / restart one, stop all.
final class LiveRingProcesses: @unchecked Sendable {
    struct NodeReport: Decodable {
        var members: Int
        var routing_state: String?
        var items_held: Int?
    }

    let binary: String
    let root: String
    private(set) var ports: [Int] = []
    private var processes: [Int: Process] = [:]
    let client = HTTPClient()
    /// More `serve` arguments for node `index` (e.g. a token or a country).
    var extraArguments: @Sendable (Int) -> [String] = { _ in [] }

    init() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        binary = repo.appendingPathComponent(".build/debug/coursemesh").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw PlainServiceError(status: 500, code: "no_binary", message: "build first: swift build (\(binary) is missing)")
        }
        root = NSTemporaryDirectory() + "coursemesh-ring-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func url(_ index: Int) -> NodeURL { try! NodeURL("http://127.0.0.1:\(ports[index])") }
    var urls: [NodeURL] { ports.indices.map(url) }
    func isRunning(_ index: Int) -> Bool { processes[index]?.isRunning == true }

    /// Starts node `index` (a new one when `index == ports.count`), joining through `bootstrap`.
    func start(_ index: Int, bootstrap: Int?) throws {
        if index == ports.count { ports.append(try freePort()) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = ["serve", "--listen", "127.0.0.1:\(ports[index])", "--data", root + "/node\(index)",
                         "--site-url", "https://campus\(index).example.edu", "--log-level", "warn", "--grace", "1"]
        if let bootstrap { arguments += ["--bootstrap", url(bootstrap).string] }
        arguments += extraArguments(index)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        processes[index] = process
    }

    /// `GET /api/v1/node` of node `index`, or nil when it does not answer.
    func report(_ index: Int) async -> NodeReport? {
        try? await client.getJSON(url(index).endpoint("/api/v1/node"), as: NodeReport.self, timeout: .seconds(5))
    }

    /// Waits until every running node reports `members` members as an active member.
    func waitForRing(members: Int, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        var last: [Int: Int] = [:]
        while ContinuousClock.now < deadline {
            var settled = true
            for i in ports.indices where isRunning(i) {
                let r = await report(i)
                last[i] = r?.members ?? -1
                if r?.members != members || !["alone", "member"].contains(r?.routing_state ?? "") { settled = false }
            }
            if settled { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw PlainServiceError(status: 500, code: "ring_not_formed",
                                message: "after \(limit) the nodes report members \(last.sorted { $0.key < $1.key }.map(\.value)), not \(members)")
    }

    /// kill -9: the node gets no chance to leave.
    func kill(_ index: Int) {
        guard let p = processes[index], p.isRunning else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Stops every node (SIGTERM, so each leaves) and removes the data.
    func stopAll() {
        for p in processes.values where p.isRunning { p.terminate() }
        for p in processes.values { p.waitUntilExit() }
        client.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }
}
