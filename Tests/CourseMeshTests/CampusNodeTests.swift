import Foundation
import MeshCore
import Testing
@testable import CourseMesh

struct CampusNodeTests {
    @Test func aPushUpdatesStatsAndKeepsTodaysSnapshotForHistory() async throws {
        let dir = NSTemporaryDirectory() + "campus-node-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = NodeConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), publicURL: "http://127.0.0.1:9",
                                       dataDirectory: dir, apiToken: "t")
        config.siteURL = "https://m.example.edu"
        let node = try await CampusNode.open(config)
        let doc = MoodleSyncTests.doc(2, "Organic Chemistry")
        let reply = try await node.pushCourses([doc])
        #expect(reply.added == 1)

        let stats = try await node.globalStats()
        #expect(stats.aggregate.documents == 1 && stats.aggregate.totals.courses == 1)
        let history = try await node.statsHistory(days: 1)
        #expect(history.count == 1)
        #expect(history.first?.aggregate == stats.aggregate)

        #expect(try await node.deleteCourse(courseID: 2))
        #expect(try await node.globalStats().aggregate.documents == 0)
        #expect(try await node.statsHistory(days: 1).first?.aggregate.documents == 0)
        await node.close()
    }
}
