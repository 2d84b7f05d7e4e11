import Foundation
import MeshCore
import MeshHTTP

/// What `coursemesh demo` runs: which node serves which campus, how the campuses' courses reach
/// their nodes (the Moodle plugin's push API), and when the federation counts as searchable.
public enum DemoPlan {
    /// The bundled Moodle's wwwroot, as its node's `index` run records it.
    public static let moodleURL = "https://moodle.example.edu"
    /// Courses per `POST /api/v1/courses`, well under the API's body limit.
    public static let batchSize = 400

    /// Node i's site: the campuses in order, the bundled Moodle as the last node (when there are
    /// at least two), and empty peers past the campuses (they still hold postings for others).
    public static func sites(count: Int, campuses: DemoCampuses, moodle: String) -> [LocalFederationConfiguration.Site] {
        let campusNodes = count >= 2 ? count - 1 : count
        var sites: [LocalFederationConfiguration.Site] = (0..<campusNodes).map { i in
            if i < campuses.campuses.count {
                let c = campuses.campuses[i]
                return .init(url: c.url, name: c.name, country: c.country, language: c.language)
            }
            return .init(url: "https://peer\(i).example", name: "Peer \(i) (no courses of its own)", country: "DE", language: "de")
        }
        if count >= 2 {
            // The name and country come from the Moodle itself (the index run stores its stats record).
            sites.append(.init(url: moodleURL, name: "", country: "ES", language: "es",
                               setup: [["index", "--moodle", "sqlite://" + moodle, "--wwwroot", moodleURL,
                                        "--country", "ES", "--language", "es", "--full"]]))
        }
        return sites
    }

    /// What the demo published.
    public struct Outcome: Sendable {
        /// Courses the nodes serve (pushed plus read from Moodle).
        public var courses: Int
        /// Sites with at least one course.
        public var sites: Int
        /// A query worth opening first.
        public var exampleQuery: String
    }

    /// Pushes each campus's courses to its node in batches with the federation's token, then waits
    /// (bounded) until every campus answers a query for one of its own words: through node 0 when
    /// the nodes form one overlay, else on its own node. Throws `PlainServiceError` naming the node.
    public static func publish(campuses: DemoCampuses, federation: LocalFederation, timeout: Duration) async throws -> Outcome {
        let nodes = await federation.nodes
        let token = federation.configuration.apiToken
        let overlay = await federation.overlayEnabled
        let client = HTTPClient()
        defer { client.shutdown() }
        let pairs = nodes.compactMap { node in campuses.campuses.first { $0.url == node.site.url }.map { (node, $0) } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (node, campus) in pairs {
                group.addTask {
                    let documents = DemoCampuses.documents(of: campus)
                    for start in stride(from: 0, to: documents.count, by: batchSize) {
                        struct Push: Encodable { var courses: [CourseDocument] }
                        let batch = Push(courses: Array(documents[start..<min(start + batchSize, documents.count)]))
                        let body = try JSONCoding.encode(batch)
                        do {
                            _ = try await client.send(method: "POST", url: node.url + "/api/v1/courses",
                                                      headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                                                      body: body, timeout: .seconds(60))
                        } catch {
                            throw PlainServiceError(status: 500, code: "demo_push",
                                                    message: "pushing \(campus.name)'s courses to node \(node.index) failed: \((error as? any ServiceError)?.message ?? "\(error)") (see \(node.logPath))")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        // Searchable: each campus is found by a word from one of its titles.
        struct Reply: Decodable { var total: Int }
        for (node, campus) in pairs {
            let word = probeWord(campus)
            let asked = overlay ? nodes[0] : node
            let url = asked.url + "/api/v1/search?q=" + word
            let deadline = ContinuousClock.now + timeout
            while true {
                if let reply = try? await client.getJSON(url, as: Reply.self, timeout: .seconds(5)), reply.total > 0 { break }
                guard ContinuousClock.now < deadline else {
                    throw PlainServiceError(status: 500, code: "demo_not_searchable",
                                            message: "node \(asked.index) found none of \(campus.name)'s courses for '\(word)' within the start-up bound (see \(asked.logPath))")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        struct Status: Decodable { var ownCourses: Int; enum CodingKeys: String, CodingKey { case ownCourses = "own_courses" } }
        var courses = 0
        var sites = 0
        for node in nodes {
            let own = (try? await client.getJSON(node.url + "/api/v1/node", as: Status.self, timeout: .seconds(5)))?.ownCourses ?? 0
            courses += own
            sites += own > 0 ? 1 : 0
        }
        return Outcome(courses: courses, sites: sites, exampleQuery: "introduction")
    }

    /// A lowercase word of at least 6 letters from the campus's first titles (its probe query).
    static func probeWord(_ campus: DemoCampuses.Campus) -> String {
        for course in campus.courses.prefix(50) {
            let words = course.title.lowercased().split { !$0.isLetter || !$0.isASCII }.filter { $0.count >= 6 }
            if let word = words.first { return String(word) }
        }
        return "course"
    }
}
