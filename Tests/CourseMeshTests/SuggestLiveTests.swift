import CourseMesh
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import Testing

/// Two live `coursemesh serve` processes in one ring: `/api/v1/suggest` on either node merges
/// both sites' words through the prefix holders over HTTP.
@Suite(.serialized)
struct SuggestLiveTests {
    static func doc(_ site: String, _ id: Int64, _ title: String) -> CourseDocument {
        CourseDocument(courseID: id, url: site + "/course/view.php?id=\(id)", fullName: title, shortName: "", summary: "",
                       categoryPath: ["Science"], tags: [], language: "en", format: "topics", startDate: nil, endDate: nil,
                       timeModified: 1, openEnrolment: true, enrolledCount: 0, modules: [])
    }

    @Test func aLiveNodePairSuggestsBothSitesWords() async throws {
        let sites = (0..<2).map {
            LocalFederationConfiguration.Site(url: "https://campus\($0).example.edu", name: "Campus \($0)", country: "US", language: "en")
        }
        var configuration = LocalFederationConfiguration(sites: sites)
        configuration.executable = LocalFederationTests.binary
        configuration.logLevel = "warn"
        configuration.overlay = .on
        configuration.startTimeout = .seconds(60)
        let federation = LocalFederation(configuration)
        try await federation.start()
        defer { Task { await federation.stop() } }
        let nodes = await federation.nodes

        let courses = [[Self.doc(sites[0].url, 2, "Organic chemistry"), Self.doc(sites[0].url, 3, "Chemical safety")],
                       [Self.doc(sites[1].url, 2, "Physical chemistry")]]
        for k in 0..<2 {
            let body = try JSONCoding.encode(["courses": courses[k]])
            let (status, _) = try await FederatedSearchLiveTests.http(nodes[k].url + "/api/v1/courses", method: "POST",
                                                                      body: Data(body), token: configuration.apiToken)
            #expect(status == 200)
        }
        // Bounded wait: a node publishes once it is a ring member (at most 30 s).
        var suggestions: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let (status, data) = try await FederatedSearchLiveTests.http(nodes[1].url + "/api/v1/suggest?prefix=Chem")
            #expect(status == 200)
            suggestions = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["suggestions"] as? [String] ?? []
            if suggestions == ["chemistry", "chemical"] { break }
            for k in 0..<2 {   // pushing again republishes what a holder has not acknowledged
                _ = try? await FederatedSearchLiveTests.http(nodes[k].url + "/api/v1/courses", method: "POST",
                                                             body: Data(try JSONCoding.encode(["courses": courses[k]])), token: configuration.apiToken)
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(suggestions == ["chemistry", "chemical"])
    }
}
