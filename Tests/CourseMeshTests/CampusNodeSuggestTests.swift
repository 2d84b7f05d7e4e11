import Foundation
import MeshCore
import Overlay
import Search
import Testing
import Web
@testable import CourseMesh

/// Campus nodes in one in-memory overlay: `/api/v1/suggest`'s service merges every campus's
/// words through the prefix holders, follows pushes and deletions, and answers short prefixes
/// from the node's own words.
struct CampusNodeSuggestTests {
    typealias Campus = CampusNodeSearchTests.Campus

    @Test func suggestionsMergeEveryCampusAndFollowPushesAndDeletions() async throws {
        let (network, campuses) = try await CampusNodeSearchTests.ring(4, seed: 9)
        defer { for c in campuses { try? FileManager.default.removeItem(atPath: c.directory) } }
        _ = try await campuses[1].node.pushCourses([CampusNodeSearchTests.doc(1, 2, "Organic chemistry"),
                                                    CampusNodeSearchTests.doc(1, 3, "Chemical safety")])
        _ = try await campuses[2].node.pushCourses([CampusNodeSearchTests.doc(2, 2, "Physical chemistry")])
        #expect(try await campuses[3].node.suggest(prefix: "Chem", limit: 10) == ["chemistry", "chemical"])
        #expect(try await campuses[0].node.suggest(prefix: "chemi", limit: 1) == ["chemistry"])

        #expect(try await campuses[2].node.deleteCourse(courseID: 2))
        _ = try await campuses[1].node.pushCourses([CampusNodeSearchTests.doc(1, 4, "Chemical kinetics")])
        #expect(try await campuses[3].node.suggest(prefix: "chem", limit: 10) == ["chemical", "chemistry"])

        // Shorter than a key: this node's own words.
        #expect(try await campuses[1].node.suggest(prefix: "ch", limit: 10) == ["chemical", "chemistry"])
        #expect(try await campuses[3].node.suggest(prefix: "ch", limit: 10) == [])

        // Every holder of the prefix down: this node's own words, not an error.
        for holder in await campuses[0].overlay.replicaSet(of: .prefix("che")) where holder != campuses[1].overlay.url {
            network.kill(holder)
        }
        let fallback = try await campuses[1].node.suggest(prefix: "chem", limit: 10)
        #expect(fallback == ["chemical", "chemistry"])
        for c in campuses { await c.node.close() }
    }
}
