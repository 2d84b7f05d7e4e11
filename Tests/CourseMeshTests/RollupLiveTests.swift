import Foundation
import MeshCore
import MeshHTTP
import Overlay
import Rollup
import Testing
import Web
@testable import CourseMesh

/// 16 real `coursemesh serve` processes on 127.0.0.1, each with its own campus courses,
/// rolling their statistics up the overlay's tree once a second.
@Suite(.serialized)
struct RollupLiveTests {
    static let nodeCount = 16
    static let token = "rollup-live-token"
    static let countries = ["ES", "FR", "DE", "BR"]

    struct Stats: Decodable {
        var as_of: Int64?
        var sites_contributing: Int
        var aggregate: Aggregate
    }

    struct Node: Decodable {
        struct Peer: Decodable { var url: String }
        var tree_parent: Peer?
        var tree_children: [Peer]
    }

    /// `count` small courses of campus `index`.
    static func courses(_ index: Int, count: Int) -> [CourseDocument] {
        (0..<count).map { c in
            CourseDocument(courseID: Int64(2 + c), url: "https://campus\(index).example.edu/course/view.php?id=\(2 + c)",
                           fullName: "Course \(c) of campus \(index)", shortName: "C\(index)-\(c)",
                           summary: "Topic \(c) taught at campus \(index)", categoryPath: ["Faculty", "Subject \(c % 3)"],
                           tags: [], language: "en", format: "topics", startDate: nil, endDate: nil, timeModified: 1_700_000_000,
                           openEnrolment: false, enrolledCount: 0, modules: [])
        }
    }

    @Test(.timeLimit(.minutes(4)))
    func sixteenProcessesAgreeOnTheExactSumOfEveryCampus() async throws {
        let ring = try LiveRingProcesses()
        defer { ring.stopAll() }
        ring.extraArguments = { i in
            ["--api-token", Self.token, "--stats-period", "1", "--country", Self.countries[i % Self.countries.count]]
        }
        try ring.start(0, bootstrap: nil)
        try await ring.waitForRing(members: 1, within: .seconds(20))
        for i in 1..<Self.nodeCount { try ring.start(i, bootstrap: 0) }
        try await ring.waitForRing(members: Self.nodeCount, within: .seconds(60))

        // Campus i publishes i + 1 courses.
        for i in 0..<Self.nodeCount {
            let body = try JSONCoding.encode(CoursePushRequest(courses: Self.courses(i, count: i + 1)))
            _ = try await ring.client.send(method: "POST", url: ring.url(i).endpoint("/api/v1/courses"),
                                           headers: [("Authorization", "Bearer \(Self.token)"), ("Content-Type", "application/json")],
                                           body: body, timeout: .seconds(10))
        }
        let pushed = ContinuousClock.now
        let courses = (1...Self.nodeCount).reduce(0, +)
        var byCountry: [String: Int] = [:]
        for i in 0..<Self.nodeCount { byCountry[Self.countries[i % Self.countries.count], default: 0] += 1 }

        func exact(_ s: Stats) -> Bool {
            s.sites_contributing == Self.nodeCount && s.aggregate.totals.courses == courses && s.aggregate.documents == courses
                && s.aggregate.byCountry.mapValues(\.sites) == byCountry
        }
        // Every node serves the exact global (it flows down in the replies).
        var converged: Duration?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var all = true
            for i in 0..<Self.nodeCount {
                let s = try? await ring.client.getJSON(ring.url(i).endpoint("/api/v1/stats"), as: Stats.self, timeout: .seconds(5))
                if s.map(exact) != true { all = false; break }
            }
            if all { converged = ContinuousClock.now - pushed; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let took = try #require(converged, "the nodes did not all serve the exact total within 60 s")
        print("rollup-live nodes=\(Self.nodeCount) secondsToExactEverywhere=\(took) (stats period 1 s)")

        // The tree: exactly one root, and every child listed by its parent.
        var roots = 0
        var parents: [String: String] = [:]
        for i in 0..<Self.nodeCount {
            let node = try await ring.client.getJSON(ring.url(i).endpoint("/api/v1/node"), as: Node.self, timeout: .seconds(5))
            if let p = node.tree_parent { parents[ring.url(i).string] = p.url } else { roots += 1 }
        }
        #expect(roots == 1)
        #expect(parents.count == Self.nodeCount - 1)
    }
}
