import Foundation
import MeshCore
import Overlay
import Search
import Testing
import Web
@testable import CourseMesh

/// Campus nodes in one in-memory overlay: a push on one campus is found from another, and a
/// deletion is retracted.
struct CampusNodeSearchTests {
    struct Campus {
        var node: CampusNode
        var overlay: OverlayNode
        var directory: String
    }

    static func campus(_ i: Int, network: MemoryNetwork, clock: ManualClock) async throws -> Campus {
        let dir = NSTemporaryDirectory() + "campus-search-\(UUID().uuidString)"
        var config = NodeConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), publicURL: "http://127.0.0.1:\(9100 + i)",
                                       dataDirectory: dir, apiToken: "t")
        config.siteURL = "https://m\(i).example.edu"
        let node = try await CampusNode.open(config)
        let url = try NodeURL(config.publicURL)
        let overlay = OverlayNode(url: url, site: config.siteURL, incarnation: 1, transport: network.transport(for: url),
                                  clock: clock, store: MemoryKeyValueStore())
        network.register(overlay)
        return Campus(node: node, overlay: overlay, directory: dir)
    }

    /// `count` campuses in one in-memory overlay, its ring settled, each with search attached.
    static func ring(_ count: Int, seed: UInt64) async throws -> (MemoryNetwork, [Campus]) {
        let network = MemoryNetwork(seed: seed)
        let clock = ManualClock()
        var campuses: [Campus] = []
        for i in 0..<count { campuses.append(try await campus(i, network: network, clock: clock)) }
        await campuses[0].overlay.startAlone()
        for c in campuses.dropFirst() { try await c.overlay.join(via: campuses[0].overlay.url) }
        for _ in 0..<6 {
            for c in campuses { await c.overlay.tick() }
            clock.advance(by: .seconds(1))
        }
        for c in campuses { await c.node.attachSearch(overlay: c.overlay) }
        return (network, campuses)
    }

    static func doc(_ site: Int, _ id: Int64, _ title: String) -> CourseDocument {
        CourseDocument(courseID: id, url: "https://m\(site).example.edu/course/view.php?id=\(id)", fullName: title, shortName: "",
                       summary: "About \(title)", categoryPath: ["Science"], tags: [], language: "en", format: "topics",
                       startDate: nil, endDate: nil, timeModified: 1, openEnrolment: true, enrolledCount: 0, modules: [])
    }

    @Test func aCoursePushedOnOneCampusIsFoundFromAnotherAndRetractedOnDelete() async throws {
        let (_, campuses) = try await Self.ring(4, seed: 5)
        defer { for c in campuses { try? FileManager.default.removeItem(atPath: c.directory) } }

        _ = try await campuses[1].node.pushCourses([Self.doc(1, 2, "Volcanology field methods"), Self.doc(1, 3, "Organic chemistry")])
        let found = try await campuses[3].node.search(Web.SearchRequest(query: "volcanology"))
        #expect(found.results.map(\.title) == ["Volcanology field methods"])
        #expect(!found.partial && found.nodesAsked >= 1)

        // Unchanged: nothing to send again.
        #expect(await campuses[1].node.publishOwnCourses()?.requests == 0)

        #expect(try await campuses[1].node.deleteCourse(courseID: 2))
        #expect(try await campuses[3].node.search(Web.SearchRequest(query: "volcanology")).total == 0)
        #expect(try await campuses[2].node.search(Web.SearchRequest(query: "chemistry")).total == 1)
        for c in campuses { await c.node.close() }
    }
}
